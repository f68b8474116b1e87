"""The printable paper questionnaire: the online form's questions on paper."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event
from feedback.forms import FeedbackForm
from feedback.questionnaire import Kind, paper_questions
from tests.factories import (
    EventFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    open_for_feedback,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    TargetGroupFactory(name="Familien")
    return open_for_feedback(
        title="Quartierstag <script>alert(1)</script>",
        services=[ServiceOfferingFactory(title="Kinderbetreuung")],
    )


def url(event, prefix=""):
    return f"{prefix}/f/{event.short_code}/fragebogen/"


def test_paper_questions_follow_the_online_form(event):
    questions = paper_questions(FeedbackForm(event=event))
    assert [q.number for q in questions] == list(range(1, 10))
    assert [q.kind for q in questions] == [
        *[Kind.SCALE] * 4,
        Kind.ONE,
        Kind.MANY,
        Kind.ONE,
        Kind.ONE,
        Kind.TEXT,
    ]
    assert questions[0].label == "Wie hat Ihnen die Veranstaltung insgesamt gefallen?"
    assert questions[1].options == ["1 – sehr schlecht", "2", "3", "4", "5 – sehr gut"]
    assert questions[4].options[0] == "Plakat" and len(questions[4].options) == 8
    assert questions[5].options == ["Kinderbetreuung"]  # the event's services
    assert questions[6].options == ["Ja", "Nein"]
    assert questions[7].options == ["Familien", "Etwas anderes"]
    assert questions[8].options == []
    assert questions[8].tick == "Mein Kommentar darf ohne Namen veröffentlicht werden."


def test_on_paper_no_answer_is_left_blank_not_ticked(event):
    for question in paper_questions(FeedbackForm(event=event)):
        assert "Keine Angabe" not in question.options, question.label


def test_the_sheet_shows_the_event_the_questions_and_a_qr_code(
    client, event, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        response = client.get(url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ihre Meinung</h1>" in html
    assert "Quartierstag &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert (
        '<span class="question-number">9.</span> Möchten Sie uns noch etwas sagen?'
        in html
    )
    assert html.count('class="box"') == 4 * 5 + 8 + 1 + 2 + 2 + 1 + 1
    assert 'class="qr-code"' in html
    assert f"/f/{event.short_code}/</strong>" in html
    assert 'name="robots" content="noindex"' in html


def test_the_sheet_in_english(client, event):
    html = client.get(url(event, "/en")).content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Your opinion</h1>" in html
    assert "How did you like the event overall?" in html


def test_a_code_typed_in_capitals_finds_the_sheet(client, event):
    response = client.get(f"/f/{event.short_code.upper()}/fragebogen/")
    assert response.status_code == 200
    assert f"/f/{event.short_code}/</strong>" in response.content.decode()


def test_a_cancelled_event_has_no_sheet(client, event):
    event.status = Event.Status.CANCELLED
    event.save()
    response = client.get(url(event))
    assert response.status_code == 410
    assert "Diese Veranstaltung wurde abgesagt" in response.content.decode()


@pytest.mark.parametrize("code", ["zzzzzz", "<script>", "a" * 300, "%00"])
def test_an_unknown_code_is_404(client, code):
    assert client.get(f"/f/{code}/fragebogen/").status_code == 404


def test_a_draft_sheet_is_for_staff_only(staff_client):
    draft = EventFactory(status=Event.Status.DRAFT)
    assert Client().get(url(draft)).status_code == 404  # anonymous
    assert staff_client.get(url(draft)).status_code == 200


def test_the_sheet_only_answers_get_and_head(client, event):
    assert client.head(url(event)).status_code == 200
    assert client.post(url(event)).status_code == 405


def test_the_event_admin_links_to_the_sheet(staff_client, event):
    page = reverse("admin:events_event_change", args=[event.pk])
    assert (
        f'href="/f/{event.short_code}/fragebogen/"'
        in staff_client.get(page).content.decode()
    )
