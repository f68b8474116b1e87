from django.urls import path

from alerts import views

app_name = "alerts"

# Public addresses: printed in mails. Never change them.
urlpatterns = [
    path("benachrichtigungen/", views.subscribe, name="subscribe"),
    path("benachrichtigungen/gesendet/", views.sent, name="sent"),
    path(
        "benachrichtigungen/bestaetigen/<int:pk>/<str:token>/",
        views.confirm,
        name="confirm",
    ),
    path(
        "benachrichtigungen/abmelden/<int:pk>/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
]
