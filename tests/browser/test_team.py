from datetime import datetime, time

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback.models import ContactCount
from tests.browser.conftest import (
    PHONE,
    _open_page,
    assert_accessible,
    assert_no_horizontal_scroll,
    tab_to,
)
from tests.factories import (
    EventFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
)

PASSWORD = "correct-horse-battery"


@pytest.fixture
def stand(transactional_db):
    """A member of staff and an event today with two groups and two topics."""
    call_command("setup_roles", verbosity=0)
    UserFactory(username="vorort", groups=["Mitarbeitende"])
    day = timezone.localdate()
    families = TargetGroupFactory(name="Familien", slug="familien")
    TargetGroupFactory(name="Migrant*innen", slug="migrantinnen")
    childcare = ServiceOfferingFactory(title="Kinderbetreuung")
    ServiceOfferingFactory(title="Berufliche Entwicklung")
    event = EventFactory(
        title="Quartierswerkstatt",
        published=True,
        start=timezone.make_aware(datetime.combine(day, time(0, 1))),
        end=timezone.make_aware(datetime.combine(day, time(23, 59))),
    )
    return event, families, childcare


def log_in(page, live_server):
    page.goto(live_server.url + "/team/")
    assert "/admin/login/" in page.url
    page.fill("#id_username", "vorort")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/team/")


def overall(page) -> str:
    return page.locator("[data-total='overall']").inner_text()


def test_staff_count_by_tap_and_keyboard_on_a_phone(phone_page, live_server, stand):
    event, families, childcare = stand
    page = phone_page
    log_in(page, live_server)

    assert page.locator("h1").inner_text() == "Kontakte zählen"
    assert overall(page) == "0"
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # A tap on a topic counts one conversation at once, without a reload.
    page.get_by_role("button", name="Kinderbetreuung").tap()
    page.locator("#team-status", has_text="Gezählt: Kinderbetreuung").wait_for()
    assert overall(page) == "1"
    assert page.locator(f"[data-total-service='{childcare.pk}']").inner_text() == "1"

    # By keyboard: choose the group with the arrow key, then the topic.
    tab_to(page, "input[name='target_group']:checked")
    page.keyboard.press("ArrowRight")
    assert page.locator(
        f"input[name='target_group'][value='{families.pk}']"
    ).is_checked()
    tab_to(page, f"button[value='{childcare.pk}']")
    page.keyboard.press("Enter")
    page.locator(
        "#team-status", has_text="Gezählt: Familien · Kinderbetreuung"
    ).wait_for()
    assert overall(page) == "2"
    assert page.locator(f"[data-total-group='{families.pk}']").inner_text() == "1"
    # The group goes back to "not specified", ready for the next visitor.
    assert page.locator("input[name='target_group'][value='']").is_checked()
    assert_accessible(page)

    page.get_by_role("button", name="Meine letzte Zählung rückgängig machen").click()
    page.locator(
        "#team-status", has_text="Rückgängig gemacht: Familien · Kinderbetreuung"
    ).wait_for()
    assert overall(page) == "1"
    assert ContactCount.objects.filter(event=event).count() == 1

    # The counts survive a reload.
    page.reload()
    assert overall(page) == "1"


def test_buttons_are_big_enough_for_a_thumb(phone_page, live_server, stand):
    log_in(phone_page, live_server)
    targets = phone_page.locator(".team-button, .team-choice, .team-undo-button")
    assert targets.count() == 7
    for n in range(targets.count()):
        box = targets.nth(n).bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48


def test_counting_works_without_javascript(browser, live_server, stand):
    event, families, _ = stand
    context, page, foreign = _open_page(
        browser, live_server, viewport=PHONE, java_script_enabled=False
    )
    try:
        log_in(page, live_server)
        page.locator(f"input[name='target_group'][value='{families.pk}']").check()
        page.get_by_role("button", name="Kinderbetreuung").click()
        page.wait_for_url(f"{live_server.url}/team/?veranstaltung={event.pk}")
        assert (
            "Gezählt: Familien · Kinderbetreuung"
            in page.locator(".messages").inner_text()
        )
        assert overall(page) == "1"
        # axe needs JavaScript; this page is checked with it in the first test.
    finally:
        context.close()
    assert foreign == []
