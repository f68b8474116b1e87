from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import Feedback
from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    tab_to,
)
from tests.factories import (
    EventFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    open_for_feedback,
)


@pytest.fixture
def event(settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    TargetGroupFactory(name="Arbeitsuchende", slug="arbeitsuchende")
    TargetGroupFactory(name="Familien", slug="familien")
    services = [
        ServiceOfferingFactory(title="Berufliche Orientierung"),
        ServiceOfferingFactory(title="Kinderbetreuung"),
    ]
    return open_for_feedback(title="Jobcenter im Quartier Oststadt", services=services)


def test_a_visitor_sends_feedback_by_keyboard_on_a_phone(
    phone_page, live_server, event
):
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/")
    assert_no_horizontal_scroll(phone_page)

    tab_to(phone_page, "#id_rating_overall_0")
    phone_page.keyboard.press("Space")
    for _ in range(4):
        phone_page.keyboard.press("ArrowDown")
    assert phone_page.is_checked("#id_rating_overall_4")

    tab_to(phone_page, "#id_services_of_interest_1")
    phone_page.keyboard.press("Space")
    tab_to(phone_page, "#id_comment")
    phone_page.keyboard.type("Sehr freundlich, danke!")
    tab_to(phone_page, "#id_may_publish")
    phone_page.keyboard.press("Space")
    tab_to(phone_page, "#submit-id-send")
    phone_page.keyboard.press("Enter")

    phone_page.wait_for_url(f"**/f/{event.short_code}/danke/")
    assert phone_page.locator("h1").inner_text() == "Vielen Dank für Ihre Rückmeldung!"
    feedback = Feedback.objects.get()
    assert feedback.rating_overall == 5
    assert feedback.comment == "Sehr freundlich, danke!"
    assert feedback.may_publish is True
    assert [s.title for s in feedback.services_of_interest.all()] == ["Kinderbetreuung"]


def test_the_honeypot_is_skipped_by_the_keyboard(page, live_server, event):
    page.goto(f"{live_server.url}/f/{event.short_code}/")
    tab_to(page, "#id_may_publish")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "submit-id-send"
    assert not page.locator("#id_reference").is_visible() or page.evaluate(
        "document.querySelector('#id_reference').getBoundingClientRect().right <= 0"
    )


def test_the_form_is_accessible(phone_page, live_server, event):
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/")
    assert_accessible(phone_page)


def test_the_form_with_errors_is_accessible(phone_page, live_server, event):
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/")
    phone_page.fill("#id_comment", "x" * 20)
    phone_page.click("#submit-id-send")
    phone_page.wait_for_selector("#form-errors")
    assert phone_page.locator(".invalid-feedback").first.is_visible()
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)
    assert Feedback.objects.count() == 0


def test_the_thanks_page_is_accessible(phone_page, live_server, event):
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/danke/")
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)


@pytest.mark.parametrize("kind", ["not_yet", "closed"])
def test_the_closed_page_is_accessible(phone_page, live_server, kind):
    if kind == "not_yet":
        event = EventFactory(published=True)
    else:
        start = timezone.now() - timedelta(days=40)
        event = EventFactory(
            published=True, start=start, end=start + timedelta(hours=3)
        )
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/")
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)
