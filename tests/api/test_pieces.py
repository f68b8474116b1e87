"""The event list from stored pieces (api.pieces): the same bytes, never out of date."""

import json

import pytest
from django.core.cache import cache
from django.utils import translation
from ninja.responses import NinjaJSONEncoder

from api import present, schemas, selectors
from events.models import Event

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"
PATHS = [
    "/api/v1/events",
    "/api/v1/events?pro_seite=1",
    "/api/v1/events?pro_seite=1&seite=2",
    "/api/v1/events?bezirk=oststadt",
    "/api/v1/events?zeitraum=vergangen",
    "/api/v1/events?sprache=en",
    "/api/v1/events?sprache=ar&pro_seite=2&seite=2",
    "/api/v1/events?angebot=kinderbetreuung&zielgruppe=familien",
]


@pytest.fixture(autouse=True)
def _site_and_empty_cache(settings):
    settings.SITE_URL = SITE
    settings.PUBLIC_CACHE_SECONDS = 0  # no page cache: every request is built
    cache.clear()
    yield
    cache.clear()


def rendered_whole(data: dict, language: str) -> bytes:
    """The page as django-ninja renders a view's dict: validated against
    schemas.EventPage, dumped without what the view leaves unset (the route's
    exclude_unset: distance_km without ?plz=), encoded with api.views.Renderer's
    options."""
    with translation.override(language):
        page = dict(data)
        period = "vergangen" if page.pop("past") else "kommend"
        rows = list(selectors.events(period, {}))[page.pop("slice")]
        page["results"] = [present.event(row) for row in rows]
        checked = schemas.EventPage.model_validate(page).model_dump(exclude_unset=True)
    return json.dumps(checked, cls=NinjaJSONEncoder, ensure_ascii=False).encode()


@pytest.mark.parametrize("path", PATHS)
def test_a_list_from_stored_pieces_is_the_same_as_one_built_fresh(
    client, public_data, path
):
    fresh = client.get(path)
    assert fresh.status_code == 200
    stored = client.get(path)
    assert stored.content == fresh.content
    assert stored["ETag"] == fresh["ETag"]
    cache.clear()
    assert client.get(path).content == fresh.content


def test_the_bytes_are_those_django_ninja_would_render(client, public_data):
    for path, language, past, rows in (
        ("/api/v1/events", "de", False, slice(None)),
        ("/api/v1/events?pro_seite=1&seite=2", "de", False, slice(1, 2)),
        ("/api/v1/events?zeitraum=vergangen", "de", True, slice(None)),
        ("/api/v1/events?sprache=en", "en", False, slice(None)),
        ("/api/v1/events?sprache=ar", "ar", False, slice(None)),
    ):
        for _ in range(2):  # built, then stored
            response = client.get(path)
            page = response.json()
            envelope = {k: v for k, v in page.items() if k != "results"}
            expected = rendered_whole(
                {**envelope, "past": past, "slice": rows}, language
            )
            assert response.content == expected, path
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_an_edited_title_shows_in_the_next_list(
    client, public_data, django_capture_on_commit_callbacks
):
    event = public_data["upcoming"]
    assert "Sommerfest" in client.get("/api/v1/events").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Quartiersfest"
        event.save()
    titles = [
        e["title"]["text"] for e in client.get("/api/v1/events").json()["results"]
    ]
    assert "Quartiersfest" in titles
    assert "Sommerfest" not in titles


def test_an_edited_translation_shows_in_the_next_list(
    client, public_data, django_capture_on_commit_callbacks
):
    event = public_data["upcoming"]
    client.get("/api/v1/events?sprache=en")
    updated_at = Event.objects.get(pk=event.pk).updated_at
    row = event.translations.get(language_code="en")
    with django_capture_on_commit_callbacks(execute=True):
        row.title = "Neighbourhood party"
        row.machine_translated = False
        row.save()
    assert Event.objects.get(pk=event.pk).updated_at == updated_at
    shown = client.get("/api/v1/events?sprache=en").json()["results"][0]["title"]
    assert shown == {
        "text": "Neighbourhood party",
        "language": "en",
        "fallback": False,
        "machine_translated": False,
    }


@pytest.mark.parametrize(
    "change",
    ["place", "district", "service", "target group", "cancel"],
)
def test_a_change_to_a_related_row_shows_in_the_next_list(
    client, public_data, django_capture_on_commit_callbacks, change
):
    event = public_data["upcoming"]

    def first() -> dict:
        results = client.get("/api/v1/events?bezirk=oststadt").json()["results"]
        return next(r for r in results if r["slug"] == event.slug)

    first()
    with django_capture_on_commit_callbacks(execute=True):
        if change == "place":
            event.location.name = "Stadtteilzentrum Nord"
            event.location.save()
        elif change == "district":
            public_data["oststadt"].name = "Oststadt-Mitte"
            public_data["oststadt"].save()
        elif change == "service":
            service = event.services.order_by("pk").first()
            service.title = "Hilfe beim Lebenslauf"
            service.save()
        elif change == "target group":
            public_data["families"].name = "Eltern"
            public_data["families"].save()
        else:
            event.status = Event.Status.CANCELLED
            event.save()
    shown = first()
    if change == "place":
        assert shown["location"]["name"]["text"] == "Stadtteilzentrum Nord"
    elif change == "district":
        assert shown["location"]["district"]["name"] == "Oststadt-Mitte"
    elif change == "service":
        titles = [s["title"]["text"] for s in shown["services"]]
        assert "Hilfe beim Lebenslauf" in titles
    elif change == "target group":
        assert shown["target_groups"] == [{"slug": "familien", "name": "Eltern"}]
    else:
        assert (shown["status"], shown["cancelled"]) == ("cancelled", True)


def test_an_unpublished_event_leaves_every_list(
    client, public_data, django_capture_on_commit_callbacks
):
    event = public_data["upcoming"]
    client.get("/api/v1/events")
    with django_capture_on_commit_callbacks(execute=True):
        event.status = Event.Status.DRAFT
        event.save()
    slugs = [r["slug"] for r in client.get("/api/v1/events").json()["results"]]
    assert event.slug not in slugs


def test_pieces_follow_the_site_address(client, public_data, settings):
    assert f"{SITE}/veranstaltungen/" in client.get("/api/v1/events").content.decode()
    settings.SITE_URL = "https://termine.example.org"
    content = client.get("/api/v1/events").content.decode()
    assert "https://termine.example.org/veranstaltungen/" in content
    assert SITE not in content
