"""A Ukrainian visitor: the event page and giving feedback, in Ukrainian."""

import pytest

from feedback.models import Feedback
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import LocationFactory, ServiceOfferingFactory, open_for_feedback


@pytest.fixture
def event(settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    service = ServiceOfferingFactory(title="Kinderbetreuung")
    event = open_for_feedback(
        title="Jobcenter im Quartier Oststadt",
        motto="Wir für Sie",
        description="Persönliche Beratung vor Ort.",
        location=LocationFactory(name="Quartierswerkstatt"),
        services=[service],
    )
    # Title translated, motto and description not yet; one text drafted by machine.
    event.set_current_language("uk")
    event.title = "Джобцентр у кварталі Остштадт"
    event.machine_translated = True
    event.save()
    return event


def test_the_ukrainian_event_page_marks_german_text(phone_page, live_server, event):
    phone_page.goto(f"{live_server.url}/uk/veranstaltungen/{event.slug}/")
    assert phone_page.locator("html").get_attribute("lang") == "uk"
    assert "Джобцентр у кварталі Остштадт" in phone_page.locator("h1").inner_text()
    assert phone_page.locator(".translation-mark").first.is_visible()
    motto = phone_page.locator('.lead span[lang="de"]')
    assert motto.inner_text() == "Wir für Sie"
    assert phone_page.locator(".translation-notice").count() == 1
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)


def test_a_visitor_gives_feedback_in_ukrainian(page, live_server, event):
    page.goto(f"{live_server.url}/uk/f/{event.short_code}/")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert_accessible(page)
    page.click("label[for=id_rating_overall_4]")
    page.click("#submit-id-send")
    page.wait_for_url(f"**/uk/f/{event.short_code}/danke/")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert_accessible(page)
    feedback = Feedback.objects.get()
    assert (feedback.rating_overall, feedback.language) == (5, "uk")


@pytest.mark.parametrize("path", ["/de-x-ls/", "/de-x-ls/veranstaltungen/{slug}/"])
def test_the_leichte_sprache_pages_are_accessible(phone_page, live_server, event, path):
    phone_page.goto(live_server.url + path.format(slug=event.slug))
    assert phone_page.locator("svg.pictogram").count() >= 3
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)


def test_the_german_and_arabic_poster_is_accessible(page, live_server, event):
    page.goto(f"{live_server.url}/veranstaltungen/{event.slug}/plakat/?zweite=ar")
    assert page.locator('.poster-language[dir="rtl"]').count() == 1
    assert_accessible(page)
