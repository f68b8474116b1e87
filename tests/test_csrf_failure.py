"""A form sent without a valid CSRF token: nothing saved, nothing lost, a clear page."""

import re

import pytest
from django.test import Client

from feedback.models import Feedback
from tests.factories import EventFactory, feedback_form_data, open_for_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    """A client that checks CSRF tokens, as a real browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


def token_in(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_feedback_form_comes_back_with_the_answers(browser):
    event = open_for_feedback()
    data = feedback_form_data(event, comment="Sehr nette Beratung", rating_overall="5")
    response = browser.post(f"/f/{event.short_code}/", data)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Ihre Antworten wurden noch nicht gesendet." in html
    assert "Sehr nette Beratung</textarea>" in html
    assert re.search(r'value="5"[^>]*checked', html)
    assert "no-store" in response["Cache-Control"]
    assert Feedback.objects.count() == 0

    # The page set a fresh token: sending again stores the answers once.
    data["csrfmiddlewaretoken"] = token_in(html)
    again = browser.post(f"/f/{event.short_code}/", data)
    assert again.status_code == 302
    assert list(Feedback.objects.values_list("comment", flat=True)) == [
        "Sehr nette Beratung"
    ]


def test_english_visitors_get_the_form_back_in_english(browser):
    event = open_for_feedback()
    response = browser.post(f"/en/f/{event.short_code}/", feedback_form_data(event))
    assert response.status_code == 403
    assert "Your answers have not been sent yet." in response.content.decode()


def test_a_closed_form_gets_the_plain_page(browser):
    event = EventFactory(published=True)  # starts in the future: not open yet
    response = browser.post(f"/f/{event.short_code}/", feedback_form_data(event))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Das Formular konnte nicht gesendet werden</h1>" in html
    assert "Nichts wurde gespeichert." in html


@pytest.mark.parametrize("path", ["/admin/login/", "/team/", "/i18n/setlang/"])
def test_other_forms_get_a_clear_page_not_a_technical_one(browser, path):
    response = browser.post(path, {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Das Formular konnte nicht gesendet werden</h1>" in html
    assert "CSRF" not in html
