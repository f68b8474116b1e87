"""The language each answer was given in, and the report's table of them."""

import pytest

from feedback.models import Feedback
from feedback.summaries import Filters, answer_languages
from tests.factories import FeedbackFactory, feedback_form_data, open_for_feedback

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("prefix", "code"), [("", "de"), ("/uk", "uk"), ("/ar", "ar")])
def test_an_answer_keeps_the_language_of_its_form(client, prefix, code):
    event = open_for_feedback()
    response = client.post(f"{prefix}/f/{event.short_code}/", feedback_form_data(event))
    assert response.status_code == 302
    assert response["Location"] == f"{prefix}/f/{event.short_code}/danke/"
    assert Feedback.objects.get().language == code


def test_the_ukrainian_thanks_page_answers_in_ukrainian(client):
    event = open_for_feedback()
    html = client.get(f"/uk/f/{event.short_code}/danke/").content.decode()
    assert '<html lang="uk"' in html


def test_paper_answers_have_no_language():
    assert FeedbackFactory(source=Feedback.Source.PAPER).language == ""


def test_languages_are_counted_most_first_paper_last():
    event = open_for_feedback()
    for code in ["uk", "uk", "de", ""]:
        FeedbackFactory(event=event, language=code)
    rows = answer_languages(Filters())
    assert [(row.key, row.count) for row in rows] == [("uk", 2), ("de", 1), ("", 1)]


def test_the_overview_shows_the_languages_by_their_own_names(coordinator_client):
    event = open_for_feedback()
    FeedbackFactory(event=event, language="uk")
    FeedbackFactory(event=event, language="de-x-ls")
    response = coordinator_client.get("/auswertung/")
    table = response.context["answer_languages"]
    assert [row[:2] for row in table.rows] == [
        ["Leichte Sprache", 1],
        ["Українська (Ukrainisch)", 1],
    ]
    html = response.content.decode()
    assert "Sprachen der Antworten" in html
    assert "Українська (Ukrainisch)" in html
