"""Counting passers-by on a phone (/team/passanten/): taps, undo, timer, save, reload."""

from datetime import datetime, time

import pytest
from django.core.management import call_command
from django.utils import timezone

from planning.models import PassersByCount
from tests.browser.conftest import (
    PHONE,
    _open_page,
    assert_accessible,
    assert_no_horizontal_scroll,
    tab_to,
)
from tests.browser.test_screenshots import MIN_BYTES, screenshot_dir
from tests.factories import EventFactory, LocationFactory, UserFactory

PASSWORD = "correct-horse-battery"
URL = "/team/passanten/"


@pytest.fixture
def stand(transactional_db):
    """A member of staff and an event today at the Leopoldplatz."""
    call_command("setup_roles", verbosity=0)
    UserFactory(username="vorort", groups=["Mitarbeitende"])
    LocationFactory(name="Bürgerhaus Nordstadt")
    day = timezone.localdate()
    event = EventFactory(
        title="Quartierstag",
        published=True,
        location=LocationFactory(name="Leopoldplatz"),
        start=timezone.make_aware(datetime.combine(day, time(0, 1))),
        end=timezone.make_aware(datetime.combine(day, time(23, 59))),
    )
    return event.location


def log_in(page, live_server):
    page.goto(live_server.url + URL)
    assert "/admin/login/" in page.url
    page.fill("#id_username", "vorort")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + URL)


def total(page) -> str:
    return page.locator("[data-total]").inner_text()


def test_count_three_passers_by_with_the_keyboard_and_save(
    phone_page, live_server, stand
):
    page = phone_page
    log_in(page, live_server)
    assert page.locator("h1").inner_text() == "Passant*innen zählen"
    # Today's event's place is chosen already.
    assert page.locator("#id_location").input_value() == str(stand.pk)
    assert page.locator("[data-clock]").inner_text() == "15:00"
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    shots = screenshot_dir()
    page.screenshot(path=str(shots / "360-passers-by.png"), full_page=True)

    tab_to(page, "[data-start]")
    page.keyboard.press("Enter")
    # The big button has the focus: three presses, three passers-by.
    assert page.evaluate("document.activeElement.matches('[data-tap]')")
    for _ in range(3):
        page.keyboard.press("Enter")
    assert total(page) == "3"
    assert page.locator("#id_count").input_value() == "3"
    live = page.locator(".passers-total")
    assert live.get_attribute("aria-live") == "polite"
    # The timer runs.
    page.wait_for_timeout(1500)
    assert page.locator("[data-clock]").inner_text() < "15:00"
    # One tap too many, taken back.
    page.keyboard.press("Enter")
    assert total(page) == "4"
    page.get_by_role("button", name="Letztes Tippen zurücknehmen").click()
    assert total(page) == "3"
    assert_accessible(page)
    page.screenshot(path=str(shots / "360-passers-by-counting.png"), full_page=True)
    assert (shots / "360-passers-by-counting.png").stat().st_size > MIN_BYTES

    # A reload does not lose the count.
    page.reload()
    assert total(page) == "3"
    assert "wiederhergestellt" in page.locator("[data-status]").inner_text()

    tab_to(page, "[data-save]")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + URL)
    page.locator(".messages", has_text="Gespeichert: 3 Passant*innen").wait_for()
    count = PassersByCount.objects.get()
    assert (count.location_id, count.count, count.minutes) == (stand.pk, 3, 1)
    assert count.source == "on_site"
    assert (
        count.hour == timezone.localtime().hour
        or count.hour == (timezone.localtime().hour - 1) % 24
    )
    # Saved: the next visit starts afresh.
    assert total(page) == "0"
    assert page.locator("[data-start]").is_visible()


def test_the_tap_button_is_big_and_the_page_fits_a_desktop(page, live_server, stand):
    log_in(page, live_server)
    assert_accessible(page)
    page.screenshot(path=str(screenshot_dir() / "1280-passers-by.png"), full_page=True)
    page.locator("[data-start]").click()
    box = page.locator("[data-tap]").bounding_box()
    assert box["height"] >= 96 and box["width"] >= 200
    page.locator("[data-tap]").click()
    page.locator("[data-stop]").click()
    assert "beendet" in page.locator("[data-status]").inner_text()
    assert not page.locator("[data-tap]").is_visible()
    # The unsaved count is saved before a new one can begin.
    assert not page.locator("[data-start]").is_visible()
    assert page.locator("#id_count").input_value() == "1"
    page.screenshot(
        path=str(screenshot_dir() / "1280-passers-by-stopped.png"), full_page=True
    )


def test_counting_by_hand_without_javascript(browser, live_server, stand):
    context, page, foreign = _open_page(
        browser, live_server, viewport=PHONE, java_script_enabled=False
    )
    try:
        log_in(page, live_server)
        assert not page.locator("[data-counter]").is_visible()
        page.fill("#id_count", "42")
        page.fill("#id_minutes", "15")
        page.get_by_role("button", name="Zählung speichern").click()
        page.wait_for_url(live_server.url + URL)
        assert "Gespeichert: 42" in page.locator(".messages").inner_text()
        page.fill("#id_count", "-1")
        page.get_by_role("button", name="Zählung speichern").click()
        assert page.locator("#form-errors").is_visible()
    finally:
        context.close()
    assert foreign == []
    assert PassersByCount.objects.get().count == 42
