from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    # Coordinators (permission feedback.view_summaries, as the other /auswertung/ pages).
    path("auswertung/planung/", views.overview, name="overview"),
    path("auswertung/planung/kanaele/", views.channels, name="channels"),
]
