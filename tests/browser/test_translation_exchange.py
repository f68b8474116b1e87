"""The translation pages for staff in Chromium: accessible, fit a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.browser.test_reports import log_in
from tests.factories import EventFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def event(staff_user):
    start = timezone.now() + timedelta(days=4)
    event = EventFactory(
        published=True,
        title="Jobcenter im Quartier Oststadt",
        start=start,
        end=start + timedelta(hours=3),
        services=[ServiceOfferingFactory(title="Bewerbungscheck")],
    )
    event._history_user = staff_user
    event.set_current_language("en")
    event.title = "Jobcenter in the neighbourhood"
    event.save_translations()
    event.set_current_language("de")
    return event


@pytest.mark.parametrize("name", ["page", "phone_page"])
def test_the_staff_pages_pass_axe_and_fit(
    request, live_server, staff_user, event, name
):
    page = request.getfixturevalue(name)
    log_in(page, live_server, staff_user)
    urls = {
        "missing": "/admin/uebersetzungen/",
        "list": "/admin/events/event/",
        "form": f"/admin/events/event/{event.pk}/change/",
        "history": f"/admin/events/event/{event.pk}/history/",
        "index": "/admin/",
    }
    for key, url in urls.items():
        page.goto(live_server.url + url)
        page.screenshot(path=f"/tmp/exchange-{key}-{name}.png", full_page=True)
        if key in ("missing", "history"):
            # Our content; the admin frame (breadcrumbs) is Django's own.
            assert_accessible(page, context="#content")
            assert_no_horizontal_scroll(page)
