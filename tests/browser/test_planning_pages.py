"""The planning pages and the announcement plan in Chromium: axe-clean, fit a phone.

With ``SCREENSHOT_DIR`` set, full-page screenshots at 360 and 1280 px are
written there (``planning-<width>-<page>.png``) for a person to look at.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from planning.models import Announcement
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.browser.test_reports import log_in
from tests.feedback.test_reports_views import held_event
from tests.planning.test_planning_page import CHANNELS, PAGE, coming, places  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def planned(places):  # noqa: F811
    coming(places["hof"], 5, title="Dienstag im Hof")
    upcoming = coming(places["markt"], 16, title="Donnerstag am Markt", published=True)
    Announcement.objects.create(
        event=upcoming,
        channel="social_media",
        planned_for=timezone.localdate() - timedelta(days=2),
    )
    held = held_event(20, places["markt"], title="Plakattag")
    day = timezone.localdate() - timedelta(days=35)
    for channel, quantity, details in [
        ("poster", 20, "Supermarkt Oststadt"),
        ("letter", 80, "Kundenbrief"),
    ]:
        Announcement.objects.create(
            event=held,
            channel=channel,
            planned_for=day,
            done_on=day,
            quantity=quantity,
            details=details,
        )
    return {"upcoming": upcoming}


def shoot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{folder}/planning-{width}-{name}.png", full_page=True)


@pytest.mark.parametrize("name,url", [("page", PAGE), ("channels", CHANNELS)])
def test_the_planning_pages_pass_axe(
    page, phone_page, live_server, coordinator, planned, name, url
):
    for tab in (page, phone_page):
        log_in(tab, live_server, coordinator)
        tab.goto(live_server.url + url)
        assert tab.locator("h1").count() == 1
        assert_accessible(tab)
        shoot(tab, name)
    assert_no_horizontal_scroll(phone_page)
    phone_page.goto(live_server.url + url + "?druck=1")
    shoot(phone_page, f"{name}-print")


def test_the_event_admin_shows_the_plan_and_what_is_due(
    page, phone_page, live_server, staff_user, planned
):
    event = planned["upcoming"]
    for tab in (page, phone_page):
        log_in(tab, live_server, staff_user)
        tab.goto(live_server.url + "/admin/events/event/")
        assert tab.get_by_text("soziale Medien fällig seit 2 Tagen").count() == 1
        shoot(tab, "admin-list")
        tab.goto(live_server.url + f"/admin/events/event/{event.pk}/change/")
        assert tab.locator("#announcements-group").count() == 1
        shoot(tab, "admin-change")
