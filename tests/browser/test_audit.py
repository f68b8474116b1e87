"""The list of changes in Chromium: accessible, usable by keyboard, fits a phone."""

import pytest

from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    tab_to,
)
from tests.browser.test_reports import log_in
from tests.factories import EventFactory, LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/auswertung/aenderungen/"


@pytest.fixture
def changes(staff_user):
    location = LocationFactory(name="Quartierswerkstatt")
    location._history_user = staff_user
    location.name = "Quartierswerkstatt Oststadt"
    location.save()
    EventFactory(title="Wir für Sie").delete()


def test_the_list_passes_axe(page, live_server, coordinator, changes):
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + URL)
    assert page.locator("h1").inner_text() == "Änderungen"
    assert page.locator("ins", has_text="Quartierswerkstatt Oststadt").count() == 1
    assert_accessible(page)


def test_invalid_filters_pass_axe(page, live_server, coordinator, changes):
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + URL + "?von=2024-13-45&art=passwort")
    assert page.locator(".alert-danger").count() == 1
    assert_accessible(page)


def test_filtering_by_keyboard_only(page, live_server, coordinator, changes):
    log_in(page, live_server, coordinator)
    page.goto(live_server.url + URL)
    tab_to(page, "#id_aktion")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**aktion=geloescht**")
    assert page.locator("tbody tr").count() == 1
    assert "Wir für Sie" in page.locator("tbody").inner_text()


def test_the_list_fits_a_phone(phone_page, live_server, coordinator, changes):
    log_in(phone_page, live_server, coordinator)
    phone_page.goto(live_server.url + URL)
    assert_no_horizontal_scroll(phone_page)
