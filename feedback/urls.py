from django.urls import path, register_converter

from feedback import questionnaire, reports, team, views

app_name = "feedback"


class ShortCodeConverter:
    """An event's short code, as printed or typed in capitals; anything else is 404.

    Letters and digits only, so a NUL byte or a path never reaches the database.
    """

    regex = "[A-Za-z0-9]{1,20}"

    def to_python(self, value: str) -> str:
        return value.lower()

    def to_url(self, value: str) -> str:
        return value


register_converter(ShortCodeConverter, "code")

urlpatterns = [
    # Visitors: the short link on the poster and at the stand (a public address).
    path("f/<code:code>/", views.feedback_form, name="form"),
    path("f/<code:code>/danke/", views.thanks, name="thanks"),
    path(
        "f/<code:code>/fragebogen/", questionnaire.questionnaire, name="questionnaire"
    ),
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
    path("auswertung/region/", reports.region, name="region"),
]
