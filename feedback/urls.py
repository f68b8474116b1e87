from django.urls import path

from feedback import questionnaire, reports, team, views

app_name = "feedback"

urlpatterns = [
    # Visitors: the short link on the poster and at the stand (a public address).
    path("f/<str:code>/", views.feedback_form, name="form"),
    path("f/<str:code>/danke/", views.thanks, name="thanks"),
    path("f/<str:code>/fragebogen/", questionnaire.questionnaire, name="questionnaire"),
    # Staff on site.
    path("team/", team.index, name="team"),
    # Coordinators.
    path("auswertung/", reports.overview, name="overview"),
    path(
        "auswertung/veranstaltung/<int:pk>/",
        reports.event_report,
        name="event_report",
    ),
    path("auswertung/orte/", reports.locations, name="locations"),
    path("auswertung/kanaele/", reports.channels, name="channels"),
]
