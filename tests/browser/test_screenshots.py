"""Screenshots of every public page at 360 and 1280 px, for people to look at.

Written to ``screenshots/`` (not committed) or to ``$SCREENSHOT_DIR``, as
``<width>-<page>.png``, full page. The test checks that each page answered
as expected and that a real picture was written; whether it looks right is
for a person to judge (docs/phone.md).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from events.demo import FIRST_EVENT_SLUG
from events.models import Event, ServiceOffering
from tests.factories import EventFactory, open_for_feedback

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
MIN_BYTES = 5_000  # an empty or broken page makes a much smaller PNG


def screenshot_dir() -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def public_pages() -> dict[str, tuple[str, int]]:
    """Name → (address, expected status), on the demo data plus an open form."""
    # One Jobcenter: it answers on testserver and localhost alike.
    call_command("seed_demo", verbosity=0, first_only=True)
    upcoming = Event.objects.published().upcoming().order_by("start")
    event = upcoming.first()
    cancelled = EventFactory(
        cancelled=True, title="Beratung am Marktplatz", location=event.location
    )
    today = open_for_feedback(
        title="Jobcenter im Quartier: heute",
        location=event.location,
        services=list(ServiceOffering.objects.all()),
    )
    district = event.location.district.slug
    category = ServiceOffering.objects.order_by("category").first().category
    return {
        "home": ("/", 200),
        "home-filtered": (f"/?bezirk={district}&angebot={category}", 200),
        "archive": ("/archiv/", 200),
        "event": (event.get_absolute_url(), 200),
        "event-reviewed": (f"/veranstaltungen/{FIRST_EVENT_SLUG}/", 200),
        "event-cancelled": (cancelled.get_absolute_url(), 200),
        "feedback-form": (f"/f/{today.short_code}/", 200),
        "feedback-thanks": (f"/f/{today.short_code}/danke/", 200),
        "imprint": ("/impressum/", 200),
        "privacy": ("/datenschutz/", 200),
        "accessibility": ("/barrierefreiheit/", 200),
        "easy-read": ("/leichte-sprache/", 200),
        "poster": (f"{event.get_absolute_url()}plakat/", 200),
        "questionnaire": (f"/f/{today.short_code}/fragebogen/", 200),
        "not-found": ("/gibt-es-nicht/", 404),
    }


@pytest.mark.parametrize("width", [360, 1280])
def test_every_public_page_is_photographed(request, live_server, public_pages, width):
    page = request.getfixturevalue("phone_page" if width == 360 else "page")
    folder = screenshot_dir()
    for name, (address, status) in public_pages.items():
        response = page.goto(f"{live_server.url}{address}")
        assert response.status == status, name
        path = folder / f"{width}-{name}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > MIN_BYTES, name
