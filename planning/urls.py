from django.urls import path

from planning import team, views

app_name = "planning"

urlpatterns = [
    # Staff on site, beside the contact count (feedback's /team/).
    path("team/passanten/", team.passers_by, name="passers_by"),
    # Coordinators (permission feedback.view_summaries, as the other /auswertung/ pages).
    path("auswertung/planung/", views.overview, name="overview"),
    path("auswertung/planung/kanaele/", views.channels, name="channels"),
]
