"""The list of upcoming dates (/) and the archive (/archiv/)."""

import re
from datetime import datetime, time, timedelta
from html import unescape

import pytest
from django.utils import timezone, translation

from events.views import PER_PAGE
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    """Requests to /en/ leave English active in the test thread; start in German."""
    with translation.override("de"):
        yield


def at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def event_on(days: int, hour: int = 10, **kwargs):
    start = at(days, hour)
    kwargs.setdefault("published", True)
    return EventFactory(start=start, end=start + timedelta(hours=4), **kwargs)


# The title of each card as shown (cards are stored pieces: read from the page).
CARD_TITLE = re.compile(r'class="h5 event-card__title">\s*<a href="[^"]*">(.*?)</a>')


def titles(response) -> list[str]:
    return [unescape(title) for title in CARD_TITLE.findall(response.content.decode())]


def test_home_lists_public_upcoming_events_soonest_first(client):
    later = event_on(9, title="Später")
    sooner = event_on(2, title="Früher")
    event_on(5, title="Entwurf", published=False)
    event_on(-3, title="Vorbei")
    response = client.get("/")
    assert response.status_code == 200
    assert titles(response) == [sooner.title, later.title]
    assert "Entwurf" not in response.content.decode()


def test_home_shows_date_place_district_motto_and_categories(client):
    service = ServiceOfferingFactory(category="kinderbetreuung")
    event_on(
        3,
        motto="Wir für Sie",
        location=LocationFactory(
            name="Quartierswerkstatt",
            district=DistrictFactory(name="Oststadt", slug="oststadt"),
        ),
        services=[service],
    )
    html = client.get("/").content.decode()
    assert "Quartierswerkstatt" in html
    assert "Oststadt" in html
    assert "<q>Wir für Sie</q>" in html  # quoted as the page language quotes
    assert "Kinderbetreuung" in html
    assert " Uhr</time>" in html


def test_cancelled_events_stay_listed_and_say_so_in_words(client):
    event_on(3, title="Fällt aus", cancelled=True, published=False)
    html = client.get("/").content.decode()
    assert "Fällt aus" in html
    assert '<span class="badge-cancelled">Abgesagt</span>' in html


def test_filter_by_district_slug(client):
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    event_on(2, title="Ost", location=LocationFactory(district=oststadt))
    event_on(3, title="West")
    response = client.get("/", {"bezirk": "oststadt"})
    assert titles(response) == ["Ost"]


def test_filter_by_service_category(client):
    childcare = ServiceOfferingFactory(category="kinderbetreuung")
    career = ServiceOfferingFactory(category="berufliche-entwicklung")
    event_on(2, title="Kinder", services=[childcare, career])
    event_on(3, title="Beruf", services=[career])
    response = client.get("/", {"angebot": "kinderbetreuung"})
    assert titles(response) == ["Kinder"]


def test_filter_by_target_group_slug(client):
    families = TargetGroupFactory(name="Familien", slug="familien")
    event_on(2, title="Für Familien", target_groups=[families])
    event_on(3, title="Für alle")
    response = client.get("/", {"zielgruppe": "familien"})
    assert titles(response) == ["Für Familien"]


def test_filter_by_date_range_includes_both_days(client):
    event_on(2, title="Zu früh")
    event_on(4, title="Erster Tag")
    event_on(6, title="Letzter Tag")
    event_on(7, title="Zu spät")
    first, last = (
        timezone.localdate() + timedelta(4),
        timezone.localdate() + timedelta(6),
    )
    response = client.get("/", {"von": first.isoformat(), "bis": last.isoformat()})
    assert titles(response) == ["Erster Tag", "Letzter Tag"]


def test_filters_combine_and_an_empty_result_says_so(client):
    oststadt = DistrictFactory(slug="oststadt")
    event_on(2, location=LocationFactory(district=oststadt))
    response = client.get("/", {"bezirk": "oststadt", "angebot": "integration"})
    assert titles(response) == []
    assert "Keine Termine passen zu diesen Filtern." in response.content.decode()


def test_the_form_keeps_the_chosen_filters(client):
    DistrictFactory(name="Oststadt", slug="oststadt")
    html = client.get("/", {"bezirk": "oststadt", "von": "2030-01-02"}).content.decode()
    assert '<option value="oststadt" selected>' in html
    assert 'value="2030-01-02"' in html


def test_a_wrong_date_is_not_echoed_into_the_date_field(client):
    # A date field cannot hold it, and value="2024-13-45" is not valid HTML.
    response = client.get("/", {"von": "2024-13-45", "bis": "2030-01-02"})
    html = response.content.decode()
    assert response.context["form"].errors["von"]
    assert 'value="2024-13-45"' not in html
    assert 'value="2030-01-02"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"von": "2024-13-45"}, "Geben Sie ein Datum wie 2025-07-23 ein."),
        ({"bis": "morgen"}, "Geben Sie ein Datum wie 2025-07-31 ein."),
        ({"bezirk": "atlantis"}, "Diesen Stadtteil gibt es nicht."),
        ({"angebot": "tanzkurs"}, "Dieses Angebot gibt es nicht."),
        ({"zielgruppe": "abc"}, "Diese Zielgruppe gibt es nicht."),
        ({"zielgruppe": "1"}, "Diese Zielgruppe gibt es nicht."),
        (
            {"bis": "9999-12-31"},
            "Geben Sie ein Datum zwischen 2000-01-01 und 2100-12-31 ein.",
        ),
        (
            {"von": "0001-01-01"},
            "Geben Sie ein Datum zwischen 2000-01-01 und 2100-12-31 ein.",
        ),
    ],
)
def test_invalid_filters_show_the_list_with_a_message(client, params, message):
    event_on(2, title="Bleibt sichtbar")
    response = client.get("/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "Bleibt sichtbar" in html


def test_an_end_date_before_the_start_date_is_refused(client):
    response = client.get("/", {"von": "2030-02-01", "bis": "2030-01-01"})
    assert response.status_code == 200
    assert "Das Enddatum darf nicht vor dem Anfangsdatum liegen." in (
        response.content.decode()
    )


def test_one_invalid_filter_does_not_drop_the_valid_ones(client):
    oststadt = DistrictFactory(slug="oststadt")
    event_on(2, title="Ost", location=LocationFactory(district=oststadt))
    event_on(3, title="West")
    response = client.get("/", {"bezirk": "oststadt", "von": "kaputt"})
    assert titles(response) == ["Ost"]


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "' OR 1=1 --",
        "\x00",
        "x" * 5000,
    ],
)
def test_hostile_values_are_escaped_and_never_break_the_page(client, evil):
    for name in ("bezirk", "angebot", "zielgruppe", "von", "bis", "seite"):
        response = client.get("/", {name: evil})
        assert response.status_code in (200, 400), name
        html = response.content.decode()
        assert "<script>alert(1)" not in html
        assert "<img src=x" not in html


def test_pagination_uses_seite_and_keeps_the_filters(client):
    oststadt = DistrictFactory(slug="oststadt")
    location = LocationFactory(district=oststadt)
    for n in range(PER_PAGE + 3):
        event_on(2 + n, title=f"Ost {n:02}", location=location)
    first = client.get("/", {"bezirk": "oststadt"})
    assert len(titles(first)) == PER_PAGE
    html = first.content.decode()
    assert 'href="?bezirk=oststadt&amp;seite=2"' in html
    assert "Seite 1 von 2" in html
    second = client.get("/", {"bezirk": "oststadt", "seite": "2"})
    assert titles(second) == [f"Ost {n:02}" for n in range(PER_PAGE, PER_PAGE + 3)]


@pytest.mark.parametrize(
    ("seite", "message"),
    [
        ("abc", "Die Seitenzahl muss eine ganze Zahl sein."),
        ("0", "Die Seitenzahl muss 1 oder größer sein."),
        ("-5", "Die Seitenzahl muss 1 oder größer sein."),
        ("1.5", "Die Seitenzahl muss eine ganze Zahl sein."),
        ("1e3", "Die Seitenzahl muss eine ganze Zahl sein."),
    ],
)
def test_an_invalid_page_number_shows_the_first_page_with_a_message(
    client, seite, message
):
    event_on(2, title="Erster")
    response = client.get("/", {"seite": seite})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert message in response.content.decode()


@pytest.mark.parametrize("seite", ["3", "999999", "9" * 400])
def test_a_page_past_the_end_shows_the_last_page_with_a_message(client, seite):
    for n in range(PER_PAGE + 1):
        event_on(2 + n)
    response = client.get("/", {"seite": seite})
    assert response.status_code == 200
    assert response.context["page"].number == 2
    html = response.content.decode()
    assert f"Eine Seite {seite} gibt es nicht; dies ist die letzte Seite." in html


def test_an_empty_list_has_a_page_one(client):
    response = client.get("/", {"seite": "4"})
    assert response.status_code == 200
    assert "Zurzeit sind keine Termine geplant." in response.content.decode()


def test_archive_lists_past_public_events_newest_first(client):
    event_on(-30, title="Lange her")
    event_on(-2, title="Neulich")
    event_on(-5, title="Abgesagt damals", cancelled=True, published=False)
    event_on(-4, title="Nie veröffentlicht", published=False)
    event_on(3, title="Kommt noch")
    response = client.get("/archiv/")
    assert response.status_code == 200
    assert titles(response) == ["Neulich", "Abgesagt damals", "Lange her"]
    assert "Abgesagt" in response.content.decode()


def test_archive_is_paginated(client):
    for n in range(PER_PAGE + 2):
        event_on(-2 - n)
    response = client.get("/archiv/", {"seite": "2"})
    assert len(titles(response)) == 2


def test_english_pages_live_under_en(client):
    event_on(2, cancelled=True, published=False)
    response = client.get("/en/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Upcoming dates</h1>" in html
    assert ">Cancelled</span>" in html
    assert client.get("/en/archiv/").status_code == 200


def queries_for(client, django_assert_max_num_queries, path, params=None):
    with django_assert_max_num_queries(10) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("count", [10, 200])
def test_home_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count
):
    district = DistrictFactory(slug="oststadt")
    services = [
        ServiceOfferingFactory(category=c)
        for c in ("kinderbetreuung", "integration", "berufliche-entwicklung")
    ]
    group = TargetGroupFactory(slug="familien")
    for n in range(count):
        event_on(
            2 + n % 50,
            hour=8 + n % 10,
            location=LocationFactory(district=district),
            services=services,
            target_groups=[group],
        )
    plain = queries_for(client, django_assert_max_num_queries, "/")
    filtered = queries_for(
        client,
        django_assert_max_num_queries,
        "/",
        {"bezirk": "oststadt", "angebot": "integration", "zielgruppe": "familien"},
    )
    # Districts and target groups for the form (one query), count, the page's
    # ids; for cards not stored yet their rows, services, and the texts of
    # events, places and services. A filter adds none: its district and
    # target group are among the form's choices (tests/events/test_list_pieces.py).
    # The first request after a change also works out the longest upcoming event
    # (selectors.longest_upcoming).
    assert plain <= 9
    assert filtered <= 8


@pytest.mark.parametrize("count", [10, 200])
def test_archive_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count
):
    services = [ServiceOfferingFactory(), ServiceOfferingFactory()]
    for n in range(count):
        event_on(-2 - n, services=services)
    # Count, the page's ids; for cards not stored yet their rows, services,
    # texts, and the published reviews with their photos.
    with django_assert_max_num_queries(8):
        response = client.get("/archiv/", {"seite": "2"})
    assert response.status_code == 200


def test_home_offers_the_calendars_and_feeds_to_subscribe(client):
    district = DistrictFactory(name="Weststadt", slug="weststadt")
    html = client.get("/", {"bezirk": "weststadt", "angebot": "integration"}).content
    html = html.decode()
    assert f'href="/kalender/bezirk/{district.slug}.ics"' in html
    assert 'href="/kalender/angebot/integration.ics"' in html
    assert 'href="/kalender.ics"' in html
    assert 'href="/feed.atom"' in html
    assert 'href="/rueckblicke.atom"' in html


def test_with_the_cache_on_each_filter_still_gets_its_own_list(client, settings):
    from django.core.cache import cache

    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    for name in ("Oststadt", "Weststadt"):
        district = DistrictFactory(name=name, slug=name.lower())
        event_on(3, title=f"Termin {name}", location=LocationFactory(district=district))
    assert titles(client.get("/", {"bezirk": "oststadt"})) == ["Termin Oststadt"]
    assert titles(client.get("/", {"bezirk": "weststadt"})) == ["Termin Weststadt"]
    cache.clear()


def test_the_filters_are_one_closed_control_until_something_went_wrong(client):
    html = client.get("/").content.decode()
    assert '<details class="filter__details" data-open-wide>' in html
    html = client.get("/", {"von": "2024-13-45"}).content.decode()
    assert '<details class="filter__details" data-open-wide open>' in html


def test_active_filters_show_with_a_link_to_remove_each(client):
    DistrictFactory(name="Oststadt", slug="oststadt")
    response = client.get(
        "/", {"bezirk": "oststadt", "angebot": "kinderbetreuung", "seite": "2"}
    )
    html = response.content.decode()
    active = response.context["form"].active_filters()
    assert [(f["label"], f["value"]) for f in active] == [
        ("Stadtteil", "Oststadt"),
        ("Angebot", "Kinderbetreuung"),
    ]
    # Removing one keeps the other and starts again at page 1.
    assert 'href="/?angebot=kinderbetreuung"' in html
    assert 'href="/?bezirk=oststadt"' in html
    assert '<span class="filter__count">(2)</span>' in html
    assert "#kinderbetreuung" in html  # the category's icon beside its name


def test_a_date_filter_shows_as_a_local_date_and_invalid_ones_not_at_all(client):
    response = client.get("/", {"von": "2025-07-23", "bis": "kaputt"})
    active = response.context["form"].active_filters()
    assert [(f["label"], f["value"], f["query"]) for f in active] == [
        ("Von", "23.07.2025", "bis=kaputt")
    ]


def test_without_filters_there_is_no_summary(client):
    html = client.get("/").content.decode()
    assert "active-filters" not in html


def test_cards_say_how_soon_the_date_is(client):
    event_on(0, hour=23, title="Heute")
    event_on(1, title="Morgen")
    event_on(3, title="Bald")
    html = client.get("/").content.decode()
    badges = [
        part.split("</span>")[0]
        for part in html.split('<span class="event-card__relative">')[1:]
    ]
    assert badges == ["heute", "morgen", "in 3 Tagen"]
    html = client.get("/en/").content.decode()
    assert '<span class="event-card__relative">tomorrow</span>' in html


def test_cards_carry_an_icon_beside_each_service_category(client):
    event_on(
        3,
        services=[
            ServiceOfferingFactory(category="kinderbetreuung"),
            ServiceOfferingFactory(category="chancengleichheit"),
        ],
    )
    html = client.get("/").content.decode()
    assert (
        'aria-hidden="true" focusable="false"><use href="/static/img/icons.svg#chancengleichheit"></use></svg><span>Chancengleichheit</span>'
        in html
    )
    assert "icons.svg#kinderbetreuung" in html


def test_cards_show_the_photo_in_sizes_and_only_the_first_loads_at_once(client):
    from tests.events.test_views_detail import with_photo

    first = with_photo(event_on(2, title="Erster"))
    with_photo(event_on(4, title="Zweiter"))
    html = client.get("/").content.decode()
    photos = html.split('<img class="event-card__photo"')[1:]
    assert len(photos) == 2
    assert f'srcset="{first.photo_srcset}"' in photos[0]
    assert 'sizes="(min-width: 576px) 10rem, 6rem"' in photos[0]
    assert 'width="1200" height="800"' in photos[0]
    assert f'alt="{first.photo_alt}"' in photos[0]
    assert 'loading="lazy"' not in photos[0].split(">")[0]
    assert 'loading="lazy"' in photos[1].split(">")[0]


def test_services_are_radio_buttons_each_with_its_icon(client):
    html = client.get("/", {"angebot": "integration"}).content.decode()
    assert (
        '<input type="radio" name="angebot" value="integration" '
        'class="form-check-input" id="id_angebot_2" checked>'
    ) in html
    label = html.split('<label class="form-check-label" for="id_angebot_2">')[1]
    label = label.split("</label>")[0]
    assert "icons.svg#integration" in label
    assert "Netzwerke zur Integration" in label


def test_an_unknown_service_links_its_error_to_the_group(client):
    html = client.get("/", {"angebot": "tanzkurs"}).content.decode()
    assert '<a href="#id_angebot">Angebot: Dieses Angebot gibt es nicht.</a>' in html
    assert (
        '<fieldset class="filter-form__field filter-form__services" id="id_angebot">'
        in html
    )
