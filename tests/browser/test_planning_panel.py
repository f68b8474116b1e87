"""The planning panel in the event form, in Chromium: it follows the form, and
"use this" fills the form's place and time."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import PHONE, _open_page, assert_accessible
from tests.factories import DistrictFactory, UserFactory
from tests.planning.panel_helpers import MARKET, history, north_of, place, quiet_week

PASSWORD = "correct-horse-battery"
SHOTS = Path("/work/shots/panel")


@pytest.fixture
def planning(transactional_db):
    """A member of staff, a quiet courtyard and a busy market square 400 m away."""
    call_command("setup_roles", verbosity=0)
    UserFactory(username="planerin", groups=["Mitarbeitende"])
    tuesday = quiet_week() + timedelta(days=1)
    courtyard = place(
        DistrictFactory(name="Weststadt", slug="weststadt"),
        at=MARKET,
        name="Stiller Hof",
    )
    market = place(
        DistrictFactory(name="Innenstadt", slug="innenstadt"),
        at=north_of(MARKET, 0.4),
        name="Marktplatz",
    )
    history(courtyard, [6, 8, 10, 7, 9], before=tuesday)
    history(market, [30, 35, 28, 32], before=tuesday)
    return tuesday, courtyard, market


def log_in(page, base):
    page.goto(base + "/admin/events/event/add/")
    page.fill("#id_username", "planerin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/events/event/add/")


def choose_place(page, name):
    page.locator("#id_location + .select2 .select2-selection").click()
    page.fill(".select2-search__field", name)
    page.locator(".select2-results__option", has_text=name).first.click()


def test_the_panel_follows_the_form_and_use_this_fills_it(page, live_server, planning):
    tuesday, _courtyard, market = planning
    day = tuesday.strftime("%d.%m.%Y")
    log_in(page, live_server.url)
    body = page.locator("#planning-panel-body")
    assert "Wählen Sie einen Ort" in body.inner_text()

    choose_place(page, "Stiller Hof")
    page.fill("#id_start_0", day)
    page.fill("#id_start_1", "10:00")
    page.fill("#id_end_0", day)
    page.fill("#id_end_1", "14:00")
    page.locator("#id_end_1").blur()
    body.locator(".planning-estimate").wait_for()
    assert "erwartet" in body.inner_text()
    use = body.locator(".planning-use").first
    use.wait_for(state="visible")
    assert "Marktplatz" in body.locator(".planning-alternative").first.inner_text()
    assert_accessible(page, context="#planning-panel")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "event-add-panel-1280.png"), full_page=True)

    use.click()
    assert page.input_value("#id_location") == str(market.pk)
    assert "Marktplatz" in page.locator("#select2-id_location-container").inner_text()
    assert page.input_value("#id_start_0") == day
    assert page.input_value("#id_start_1") == "10:00:00"
    assert page.input_value("#id_end_1") == "14:00:00"
    # The panel now speaks of the market square, which has no better alternative.
    page.wait_for_function(
        "() => document.querySelector('#planning-panel-body .planning-where')"
        " && document.querySelector('#planning-panel-body .planning-where')"
        ".textContent.includes('Marktplatz')"
    )
    assert body.locator(".planning-use").count() == 0


def test_the_panel_on_a_phone(browser, live_server, planning):
    tuesday, _courtyard, _market = planning
    context, page, foreign = _open_page(
        browser, live_server, viewport=PHONE, has_touch=True, is_mobile=True
    )
    try:
        log_in(page, live_server.url)
        day = tuesday.strftime("%d.%m.%Y")
        choose_place(page, "Stiller Hof")
        for field, value in (
            ("start_0", day),
            ("start_1", "10:00"),
            ("end_0", day),
            ("end_1", "14:00"),
        ):
            page.fill(f"#id_{field}", value)
        page.locator("#id_end_1").blur()
        page.locator("#planning-panel-body .planning-use").first.wait_for(
            state="visible"
        )
        page.locator("#planning-panel").scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "event-add-panel-360.png"), full_page=True)
        page.locator("#planning-panel").screenshot(
            path=str(SHOTS / "panel-only-360.png")
        )
    finally:
        context.close()
    assert foreign == []
