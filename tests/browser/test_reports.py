"""Coordinator pages in Chromium: accessible, usable by keyboard, fit a phone."""

import pytest
from django.test import Client

from tests.accounts import force_login_verified
from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    tab_to,
)
from tests.factories import UserFactory
from tests.feedback.test_reports_views import data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, live_server, user) -> None:
    """Give the browser the session cookie of a logged-in coordinator."""
    client = Client()
    force_login_verified(client, user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )


@pytest.fixture
def report_urls(data, coordinator):  # noqa: F811
    return {
        "overview": "/auswertung/",
        "event": f"/auswertung/veranstaltung/{data['first'].pk}/",
        "locations": "/auswertung/orte/",
        "channels": "/auswertung/kanaele/",
    }


@pytest.fixture
def coordinator_page(page, live_server, coordinator):
    log_in(page, live_server, coordinator)
    return page


@pytest.mark.parametrize("name", ["overview", "event", "locations", "channels"])
def test_report_pages_pass_axe(coordinator_page, live_server, report_urls, name):
    coordinator_page.goto(live_server.url + report_urls[name])
    assert coordinator_page.locator("h1").count() == 1
    assert_accessible(coordinator_page)


def test_invalid_filters_page_passes_axe(coordinator_page, live_server, report_urls):
    coordinator_page.goto(live_server.url + "/auswertung/?von=2024-13-45&ort=abc")
    assert coordinator_page.locator("#id_von[aria-invalid=true]").count() == 1
    assert_accessible(coordinator_page)


def test_every_chart_has_an_accessible_name(coordinator_page, live_server, report_urls):
    for url in report_urls.values():
        coordinator_page.goto(live_server.url + url)
        names = coordinator_page.evaluate(
            """() => [...document.querySelectorAll('svg[role=img]')].map(svg =>
                svg.getAttribute('aria-labelledby').split(' ')
                   .map(id => document.getElementById(id).textContent.trim())
                   .join(' '))"""
        )
        assert names, url
        assert all(name.strip() for name in names), url
        assert coordinator_page.get_by_role("img").count() == len(names)


def test_keyboard_reaches_the_filter_form_and_a_csv_link(
    coordinator_page, live_server, report_urls
):
    coordinator_page.goto(live_server.url + "/auswertung/")
    tab_to(coordinator_page, "#id_von")
    tab_to(coordinator_page, "#id_bezirk")
    coordinator_page.keyboard.press("ArrowDown")
    tab_to(coordinator_page, "button[type=submit]")
    coordinator_page.keyboard.press("Enter")
    coordinator_page.wait_for_url("**/auswertung/?*bezirk=*")
    tab_to(coordinator_page, ".csv-link a", max_presses=120)
    href = coordinator_page.evaluate("document.activeElement.getAttribute('href')")
    assert "format=csv" in href and "bezirk=" in href


def test_locations_sort_toggle_works_by_keyboard(
    coordinator_page, live_server, report_urls
):
    coordinator_page.goto(live_server.url + report_urls["locations"])
    tab_to(coordinator_page, "a[href*='sortierung=bewertung']", max_presses=80)
    coordinator_page.keyboard.press("Enter")
    coordinator_page.wait_for_url("**sortierung=bewertung*")
    first = coordinator_page.locator("#table-orte tbody th").first.inner_text()
    assert first == "Quartierswerkstatt"


def test_report_pages_fit_a_phone(phone_page, live_server, report_urls, coordinator):
    log_in(phone_page, live_server, coordinator)
    for url in report_urls.values():
        phone_page.goto(live_server.url + url)
        assert_no_horizontal_scroll(phone_page)


def test_staff_see_the_styled_403_page(page, live_server, data):  # noqa: F811
    log_in(page, live_server, UserFactory(username="ohne-recht"))
    response = page.goto(live_server.url + "/auswertung/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Zugriff verweigert"
    assert_accessible(page)
