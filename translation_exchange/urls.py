from django.contrib import admin
from django.urls import path

from translation_exchange import views

app_name = "translation_exchange"

# Mounted under /admin/uebersetzungen/: the admin site's login and look.
urlpatterns = [
    path("", admin.site.admin_view(views.missing), name="missing"),
    path("export/", admin.site.admin_view(views.export), name="export"),
]
