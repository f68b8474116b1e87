from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("veranstaltungen/<slug:slug>/", views.detail, name="detail"),
]
