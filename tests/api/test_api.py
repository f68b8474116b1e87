"""The open data API's answers: what it shows, filters, pages and languages."""

import re
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from api.selectors import narrowed
from events.forms import EventFilterForm
from events.models import Event, EventSlugRedirect
from events.selectors import upcoming_events

pytestmark = pytest.mark.django_db

SITE = "https://quartier.example.org"
OFFSET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_events_are_the_public_upcoming_ones_soonest_first(client, public_data):
    response = client.get("/api/v1/events")
    assert slugs(response) == [
        public_data["upcoming"].slug,
        public_data["cancelled"].slug,
        Event.objects.get(translations__title="Später").slug,
    ]
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (3, 1, 1)
    assert (body["next"], body["previous"]) == (None, None)
    cancelled = body["results"][1]
    assert (cancelled["status"], cancelled["cancelled"]) == ("cancelled", True)
    assert b"GEHEIM" not in response.content  # the draft


def test_past_events_with_a_parameter_most_recent_first(client, public_data):
    past_start = timezone.now() - timedelta(days=3)
    recent = Event.objects.create(
        status=Event.Status.PUBLISHED,
        title="Neulich",
        location=public_data["markt"],
        start=past_start,
        end=past_start + timedelta(hours=2),
    )
    response = client.get("/api/v1/events?zeitraum=vergangen")
    assert slugs(response) == [recent.slug, public_data["past"].slug]


def test_an_event_in_full(client, public_data):
    event = public_data["upcoming"]
    response = client.get(f"/api/v1/events/{event.slug}")
    assert response.status_code == 200
    data = response.json()
    assert data["slug"] == event.slug
    assert data["title"] == {
        "text": "Sommerfest",
        "language": "de",
        "fallback": False,
        "machine_translated": False,
    }
    assert OFFSET_TIME.match(data["start"]) and OFFSET_TIME.match(data["end"])
    assert data["url"] == f"{SITE}/veranstaltungen/{event.slug}/"
    assert data["ics_url"] == f"{SITE}/veranstaltungen/{event.slug}.ics"
    assert data["location"]["district"] == {"slug": "oststadt", "name": "Oststadt"}
    assert data["location"]["latitude"] == 48.89
    assert [s["category"] for s in data["services"]] == [
        "berufliche-entwicklung",
        "kinderbetreuung",
    ]
    assert data["target_groups"] == [{"slug": "familien", "name": "Familien"}]
    assert data["languages"] == ["de", "tr"]
    assert data["photo"] is None


def test_drafts_and_unknown_slugs_are_not_found(client, public_data):
    for slug in (public_data["draft"].slug, "gibt-es-nicht"):
        response = client.get(f"/api/v1/events/{slug}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()["status"] == 404


def test_a_former_slug_moves_permanently(client, public_data):
    event = public_data["upcoming"]
    EventSlugRedirect.objects.create(event=event, old_slug="alter-name")
    response = client.get("/api/v1/events/alter-name?sprache=en")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/events/{event.slug}?sprache=en"
    assert response["Access-Control-Allow-Origin"] == "*"
    draft = public_data["draft"]
    EventSlugRedirect.objects.create(event=draft, old_slug="alter-entwurf")
    assert client.get("/api/v1/events/alter-entwurf").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "bezirk=oststadt",
        "bezirk=nordstadt",
        "angebot=kinderbetreuung",
        "angebot=integration",
        "zielgruppe=familien",
        "zielgruppe=junge-menschen",
        "bezirk=oststadt&angebot=berufliche-entwicklung&zielgruppe=familien",
        "von={later}",
        "bis={soon}",
        "von={soon}&bis={later}",
        "bezirk=&angebot=&zielgruppe=&von=&bis=",
    ],
)
def test_filters_mean_what_they_mean_on_the_list_page(client, public_data, query):
    soon = timezone.localdate() + timedelta(days=7)
    later = timezone.localdate() + timedelta(days=30)
    query = query.format(soon=soon.isoformat(), later=later.isoformat())
    form = EventFilterForm(QueryDict(query))
    assert form.is_valid(), form.errors
    expected = [event.slug for event in upcoming_events(**form.filters())]
    assert slugs(client.get(f"/api/v1/events?{query}")) == expected
    # The API's own narrowing (used for past events) agrees with the list's.
    same = narrowed(Event.objects.public().upcoming(), **form.filters())
    assert sorted(e.slug for e in same) == sorted(expected)


def test_filters_apply_to_past_events_too(client, public_data):
    assert slugs(client.get("/api/v1/events?zeitraum=vergangen&bezirk=nordstadt")) == []
    assert slugs(
        client.get("/api/v1/events?zeitraum=vergangen&angebot=kinderbetreuung")
    ) == [public_data["past"].slug]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("bezirk=gibt-es-nicht", "bezirk", "Diesen Stadtteil gibt es nicht."),
        ("bezirk=altes-viertel", "bezirk", "Diesen Stadtteil gibt es nicht."),
        ("angebot=yoga", "angebot", "Dieses Angebot gibt es nicht."),
        ("zielgruppe=x", "zielgruppe", "Diese Zielgruppe gibt es nicht."),
        ("von=2025-13-01", "von", None),
        ("von=1999-12-31", "von", None),
        ("bis=31.12.2025", "bis", None),
        ("von=2025-07-10&bis=2025-07-01", "bis", None),
        ("seite=0", "seite", None),
        ("seite=abc", "seite", None),
        ("seite=2.0", "seite", None),
        ("pro_seite=101", "pro_seite", None),
        ("pro_seite=-1", "pro_seite", None),
        # The document types them as integers; an empty value is none.
        ("seite=", "seite", None),
        ("pro_seite=&seite=", "pro_seite", None),
        ("zeitraum=gestern", "zeitraum", None),
        ("sprache=xx", "sprache", None),
    ],
)
def test_wrong_values_are_a_400_naming_the_parameter(
    client, public_data, query, parameter, message
):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["status"] == 400
    assert body["title"]
    assert parameter in [error["parameter"] for error in body["errors"]]
    if message:
        assert message in [error["message"] for error in body["errors"]]


def test_every_wrong_parameter_is_named_at_once(client, public_data):
    response = client.get("/api/v1/events?bezirk=nix&seite=x&zeitraum=y&von=z")
    named = {error["parameter"] for error in response.json()["errors"]}
    assert named == {"bezirk", "seite", "zeitraum", "von"}


def test_errors_speak_the_language_asked_for(client, public_data):
    response = client.get("/api/v1/events?bezirk=nix&sprache=en")
    assert response.json()["errors"] == [
        {"parameter": "bezirk", "message": "There is no such district."}
    ]
    assert response["Content-Language"] == "en"


def test_pages_with_links_to_their_neighbours(client, public_data):
    response = client.get("/api/v1/events?pro_seite=1&seite=2&bezirk=&x=<b>")
    body = response.json()
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (
        3,
        2,
        1,
        3,
    )
    # Only the parameters the API reads are carried on.
    # Empty ones are dropped, names sorted (events.caching.normalise_request
    # sorts; the links leave out empty filters, which mean "all").
    assert body["next"] == f"{SITE}/api/v1/events?pro_seite=1&seite=3"
    assert body["previous"] == f"{SITE}/api/v1/events?pro_seite=1&seite=1"
    assert len(body["results"]) == 1


def test_a_page_past_the_end_is_a_400_and_an_empty_list_has_page_1(client, public_data):
    response = client.get("/api/v1/events?seite=2")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "seite"
    response = client.get("/api/v1/events?bezirk=nordstadt&angebot=kinderbetreuung")
    assert response.json() | {"results": None} == {
        "count": 0,
        "page": 1,
        "page_size": 20,
        "pages": 1,
        "next": None,
        "previous": None,
        "results": None,
    }


def test_texts_in_the_language_asked_for_with_the_fallback_marked(client, public_data):
    event = public_data["upcoming"]
    data = client.get(f"/api/v1/events/{event.slug}?sprache=en").json()
    assert data["title"] == {
        "text": "Summer party",
        "language": "en",
        "fallback": False,
        "machine_translated": True,
    }
    assert data["motto"] == {
        "text": "Wir für Sie",
        "language": "de",
        "fallback": True,
        "machine_translated": False,
    }
    assert data["location"]["name"]["text"] == "Neighbourhood workshop"
    childcare = next(s for s in data["services"] if s["category"] == "kinderbetreuung")
    assert childcare["title"]["text"] == "Childcare"
    assert childcare["category_label"] == "childcare"
    assert data["url"] == f"{SITE}/en/veranstaltungen/{event.slug}/"
    assert data["ics_url"] == f"{SITE}/en/veranstaltungen/{event.slug}.ics"


def test_the_browser_language_without_a_parameter(client, public_data):
    event = public_data["upcoming"]
    path = f"/api/v1/events/{event.slug}"
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,de;q=0.5")
    assert english["Content-Language"] == "en"
    assert english.json()["title"]["text"] == "Summer party"
    assert "Accept-Language" in english["Vary"]
    unknown = client.get(path, HTTP_ACCEPT_LANGUAGE="xx, *;q=0.1")
    assert unknown["Content-Language"] == "de"
    # The parameter wins over the header; a language cookie is not read.
    client.cookies["django_language"] = "ar"
    german = client.get(f"{path}?sprache=de", HTTP_ACCEPT_LANGUAGE="en")
    assert german.json()["title"]["text"] == "Sommerfest"
    assert client.get(path)["Content-Language"] == "de"


def test_the_other_lists(client, public_data):
    districts = client.get("/api/v1/districts").json()["results"]
    assert districts == [
        {"slug": "nordstadt", "name": "Nordstadt"},
        {"slug": "oststadt", "name": "Oststadt"},
    ]
    groups = client.get("/api/v1/target-groups").json()["results"]
    assert [g["slug"] for g in groups] == ["familien", "junge-menschen"]
    services = client.get("/api/v1/services?sprache=en").json()["results"]
    assert [s["category"] for s in services] == [
        "berufliche-entwicklung",
        "chancengleichheit",
        "integration",
        "kinderbetreuung",
    ]
    assert services[-1]["target_groups"] == ["familien"]
    assert services[-1]["title"]["text"] == "Childcare"
    locations = client.get("/api/v1/locations").json()["results"]
    assert [place["name"]["text"] for place in locations] == [
        "Marktplatz",
        "Quartierswerkstatt",
    ]
    assert client.get("/api/v1/locations?pro_seite=1").json()["pages"] == 2


def test_the_index_says_where_everything_is(client, public_data):
    data = client.get("/api/v1/").json()
    assert data["version"] == "1"
    assert data["openapi"] == f"{SITE}/api/v1/openapi.json"
    assert data["target_groups"] == f"{SITE}/api/v1/target-groups"


def test_an_unknown_address_below_the_api_is_a_json_404(client, db):
    for path in ("/api/v1/nichts", "/api/v1/events/a/b", "/api/v1/docs"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["status"] == 404
        assert response["Access-Control-Allow-Origin"] == "*"
