from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    # Coordinators (permission audit.view_changes).
    path("auswertung/aenderungen/", views.changes, name="changes"),
]
