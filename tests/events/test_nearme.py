"""Near me: the list sorted by distance from a postcode the visitor types (?plz=)."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone, translation

from events.caching import cache_key
from events.forms import EventFilterForm
from events.geo import distance_km
from events.models import PostcodeCentre
from events.nearness import centre_of, distance_text, kilometres
from events.selectors import upcoming_events
from events.views import PER_PAGE
from tests.factories import DistrictFactory, EventFactory, LocationFactory
from tests.postcodes import ensure_postcode_centres

pytestmark = pytest.mark.django_db

CARD_TITLE = re.compile(r'class="h5 event-card__title">\s*<a href="[^"]*">(.*?)</a>')
DISTANCE = re.compile(r'<span class="event-card__distance">(.*?)</span>')


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


@pytest.fixture(autouse=True)
def _centres(request):
    if "transactional_db" not in request.fixturenames:
        ensure_postcode_centres()


def at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def event_at(days: int, location, hour: int = 10, **kwargs):
    start = at(days, hour)
    return EventFactory(
        start=start,
        end=start + timedelta(hours=4),
        published=True,
        location=location,
        **kwargs,
    )


def place(lat=None, lon=None, postcode="75175", **kwargs):
    return LocationFactory(
        latitude=None if lat is None else Decimal(str(lat)),
        longitude=None if lon is None else Decimal(str(lon)),
        postcode=postcode,
        **kwargs,
    )


def titles(response) -> list[str]:
    return [unescape(t) for t in CARD_TITLE.findall(response.content.decode())]


@pytest.fixture
def world():
    """Four places around Pforzheim (75175: 48.8915, 8.7156)."""
    return {
        "centre": place(48.8916, 8.7158),  # a few metres from 75175's centre
        "west": place(48.8919, 8.6985),  # about 1.3 km west
        # No coordinates: placed at 76133 Karlsruhe's centre, about 26 km.
        "karlsruhe": place(postcode="76133", city="Karlsruhe"),
        # No coordinates and a postcode the table lacks: cannot be placed.
        "nowhere": place(postcode="00000", city="Nirgendwo"),
    }


# ------------------------------------------------------------ the data


def test_the_migration_loaded_the_german_postcode_centres():
    # (Reloaded from the same file if a transactional test emptied the table.)
    assert PostcodeCentre.objects.count() == 8172
    pforzheim = PostcodeCentre.objects.get(postcode="75175")
    assert pforzheim.place == "Pforzheim"
    assert pforzheim.state == "Baden-Württemberg"
    assert (pforzheim.latitude, pforzheim.longitude) == (
        Decimal("48.891500"),
        Decimal("8.715600"),
    )


def test_the_data_migration_can_be_reversed_and_applied_again(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    ensure_postcode_centres()
    executor = MigrationExecutor(connection)
    executor.migrate([("events", "0011_postcode_centre")])
    assert PostcodeCentre.objects.count() == 0
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert PostcodeCentre.objects.filter(postcode="75175").exists()
    assert PostcodeCentre.objects.count() == 8172


def test_a_postcode_is_five_digits_and_unique():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        PostcodeCentre(
            postcode="7517", place="X", latitude=Decimal(1), longitude=Decimal(1)
        ).full_clean()
    with pytest.raises(ValidationError):
        PostcodeCentre(
            postcode="75175", place="X", latitude=Decimal(1), longitude=Decimal(1)
        ).full_clean()


# ------------------------------------------------------------ the ordering


def test_nearest_first_then_by_start_and_unplaceable_last(world):
    far_soon = event_at(1, world["karlsruhe"], title="Karlsruhe bald")
    nowhere = event_at(1, world["nowhere"], hour=8, title="Nirgendwo")
    west = event_at(5, world["west"], title="West")
    centre_late = event_at(9, world["centre"], title="Mitte später")
    centre_soon = event_at(3, world["centre"], title="Mitte früher")
    rows = list(upcoming_events(near=centre_of("75175")))
    assert rows == [centre_soon, centre_late, west, far_soon, nowhere]
    # Without a postcode: by start, as ever.
    assert list(upcoming_events())[:2] == [nowhere, far_soon]


def test_the_distance_agrees_with_the_great_circle(world):
    event_at(2, world["west"])
    event_at(2, world["karlsruhe"])
    near = centre_of("75175")
    karlsruhe = centre_of("76133")
    shown = [kilometres(row.nearness) for row in upcoming_events(near=near)]
    expected = [
        distance_km(near.latitude, near.longitude, 48.8919, 8.6985),
        distance_km(
            near.latitude, near.longitude, karlsruhe.latitude, karlsruhe.longitude
        ),
    ]
    for got, want in zip(shown, expected, strict=True):
        assert got == pytest.approx(want, rel=0.002)


def test_the_list_puts_the_nearest_first_and_shows_distances(client, world):
    event_at(1, world["karlsruhe"], title="Karlsruhe")
    event_at(2, world["nowhere"], title="Nirgendwo")
    event_at(6, world["centre"], title="Mitte")
    event_at(4, world["west"], title="West")
    response = client.get("/", {"plz": "75175"})
    assert response.status_code == 200
    assert titles(response) == ["Mitte", "West", "Karlsruhe", "Nirgendwo"]
    html = response.content.decode()
    assert DISTANCE.findall(html) == [
        "0,0 km entfernt",
        "1,3 km entfernt",
        "26,6 km entfernt",
    ]
    # The source of the centres, where distances are shown.
    assert "GeoNames" in html and "CC BY 4.0" in html
    assert "vom Mittelpunkt von 75175 Pforzheim" in html
    # The same in English, with the English decimal point.
    html = client.get("/en/", {"plz": "75175"}).content.decode()
    assert DISTANCE.findall(html)[1] == "1.3 km away"


def test_without_a_postcode_no_distance_and_no_credit(client, world):
    event_at(1, world["west"])
    html = client.get("/").content.decode()
    assert "event-card__distance" not in html
    assert "GeoNames" not in html
    assert "<!--distance-->" not in html


def test_distance_text_follows_the_language():
    with translation.override("de"):
        assert distance_text(1.234) == "1,2 km"
    with translation.override("en"):
        assert distance_text(12.06) == "12.1 km"


# ------------------------------------------------------------ wrong postcodes


def test_an_unknown_postcode_is_a_clear_message_and_the_list_stays_by_time(
    client, world
):
    event_at(5, world["centre"], title="Mitte")
    event_at(1, world["karlsruhe"], title="Karlsruhe")
    response = client.get("/", {"plz": "12345"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Die Postleitzahl 12345 kennen wir nicht" in html
    assert titles(response) == ["Karlsruhe", "Mitte"]
    assert "event-card__distance" not in html
    assert '<details class="filter__details" data-open-wide open>' in html


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "751755",
        "7517",
        "7" * 10_000,
        "٧٥١٧٥",  # Arabic-Indic digits are no German postcode
        "75175\x00",
        " ",
    ],
)
def test_hostile_postcodes_never_break_the_page(client, world, value):
    event_at(1, world["centre"], title="Mitte")
    response = client.get("/", {"plz": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert titles(response) == ["Mitte"]
    assert "event-card__distance" not in html
    if value.strip() and "\x00" not in value:  # NulByteMiddleware strips NUL
        assert "Geben Sie eine Postleitzahl mit fünf Ziffern ein" in html
    # A long value is not echoed in full in the box.
    assert 'value="' + "7" * 21 not in html


def test_a_repeated_postcode_uses_the_last_one(client, world):
    event_at(1, world["karlsruhe"], title="Karlsruhe")
    event_at(2, world["centre"], title="Mitte")
    response = client.get("/?plz=12345&plz=76133")
    assert response.status_code == 200
    assert titles(response) == ["Karlsruhe", "Mitte"]
    response = client.get("/?plz=76133&plz=75175")
    assert titles(response) == ["Mitte", "Karlsruhe"]


def test_the_form_cleans_to_the_centre():
    form = EventFilterForm({"plz": " 75175 "})
    assert form.is_valid()
    assert form.filters()["near"].place == "Pforzheim"
    assert form.is_filtered
    (active,) = form.active_filters()
    assert active["value"] == "75175 Pforzheim"


# ------------------------------------------------------------ kept with the filters


def test_the_postcode_is_kept_by_pages_filters_and_the_embed_code(client, world):
    district = DistrictFactory(name="Oststadt", slug="oststadt")
    west = place(48.8919, 8.6985, district=district)
    for n in range(PER_PAGE + 2):
        event_at(1 + n % 20, west)
    response = client.get("/", {"plz": "75175", "bezirk": "oststadt"})
    html = unescape(response.content.decode())
    assert 'href="?bezirk=oststadt&plz=75175&seite=2"' in html
    # Removing the district keeps the postcode, and the other way round.
    assert 'href="/?plz=75175"' in html
    assert 'href="/?bezirk=oststadt"' in html
    assert 'name="plz" value="75175"' in html
    assert "plz=75175&amp;anzahl=5" in html  # the partners' embed code
    page_two = client.get("/", {"plz": "75175", "bezirk": "oststadt", "seite": "2"})
    assert len(titles(page_two)) == 2
    assert len(DISTANCE.findall(page_two.content.decode())) == 2


def test_the_page_cache_key_holds_the_postcode():
    factory = RequestFactory()
    query = tuple(EventFilterForm.base_fields)

    def key(path):
        return cache_key(factory.get(path), query)

    assert key("/?plz=75175") != key("/?plz=76133")
    assert key("/?plz=75175") != key("/")
    assert key("/?plz=") == key("/")
    assert key("/?plz=75175&x=1") == key("/?plz=75175")


def test_with_the_cache_on_each_postcode_gets_its_own_order(client, settings, world):
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    event_at(1, world["karlsruhe"], title="Karlsruhe")
    event_at(2, world["centre"], title="Mitte")
    assert titles(client.get("/", {"plz": "75175"})) == ["Mitte", "Karlsruhe"]
    assert titles(client.get("/", {"plz": "76133"})) == ["Karlsruhe", "Mitte"]
    assert titles(client.get("/", {"plz": "75175"})) == ["Mitte", "Karlsruhe"]
    cache.clear()


# ------------------------------------------------------------ queries


@pytest.mark.parametrize("count", [10, 200])
def test_the_sorted_list_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count
):
    district = DistrictFactory()
    places = [place(48.89 + n / 100, 8.70, district=district) for n in range(5)] + [
        place(postcode="76133", district=district)
    ]
    for n in range(count):
        event_at(1 + n % 50, places[n % len(places)], hour=8 + n % 10)
    client.get("/")  # the longest upcoming event, worked out once
    with django_assert_max_num_queries(9) as plain:
        client.get("/", {"seite": "2"})
    # One more than the plain list: the postcode's centre.
    with django_assert_max_num_queries(len(plain) + 1):
        response = client.get("/", {"plz": "75175", "seite": "2"})
    assert response.status_code == 200
    shown = PER_PAGE if count > PER_PAGE else count  # no page 2: the last one
    assert len(DISTANCE.findall(response.content.decode())) == shown


# ------------------------------------------------------------ the embed


def test_the_embed_sorts_by_postcode_and_credits_geonames(client, world):
    event_at(1, world["karlsruhe"], title="Karlsruhe")
    event_at(2, world["west"], title="West")
    html = client.get("/einbetten/", {"plz": "75175"}).content.decode()
    assert html.index("West") < html.index("Karlsruhe")
    assert "1,3 km entfernt" in html
    assert "GeoNames" in html
    assert "plz=75175" in html  # the link to all dates keeps it
    html = client.get("/einbetten/", {"plz": "12345"}).content.decode()
    assert html.index("Karlsruhe") < html.index("West")
    assert client.get("/einbetten/", {"plz": "<script>"}).status_code == 200


# ------------------------------------------------------------ the admin


def test_staff_may_look_centres_up_but_not_correct_them(staff_client):
    from django.urls import reverse

    centre = PostcodeCentre.objects.get(postcode="75175")
    changelist = reverse("admin:events_postcodecentre_changelist")
    response = staff_client.get(changelist, {"q": "7517"})
    assert response.status_code == 200
    shown = [row.postcode for row in response.context["cl"].result_list]
    assert "75175" in shown and all(code.startswith("7517") for code in shown)
    response = staff_client.get(changelist, {"q": "Pforzheim"})
    assert "75175" in [row.postcode for row in response.context["cl"].result_list]
    change = reverse("admin:events_postcodecentre_change", args=[centre.pk])
    response = staff_client.post(change, {"postcode": "75175", "place": "X"})
    assert response.status_code == 403
    centre.refresh_from_db()
    assert centre.place == "Pforzheim"


def test_an_account_given_the_permission_corrects_a_centre(client, staff_user):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    staff_user.user_permissions.add(
        Permission.objects.get(codename="change_postcodecentre")
    )
    client.force_login(staff_user)
    centre = PostcodeCentre.objects.get(postcode="75175")
    change = reverse("admin:events_postcodecentre_change", args=[centre.pk])
    response = client.post(
        change,
        {
            "postcode": "75175",
            "place": "Pforzheim (Innenstadt)",
            "state": "Baden-Württemberg",
            "latitude": "48.890000",
            "longitude": "8.700000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    centre.refresh_from_db()
    assert (centre.place, centre.longitude) == (
        "Pforzheim (Innenstadt)",
        Decimal("8.7"),
    )
    # A wrong coordinate is a form error.
    response = client.post(
        change,
        {"postcode": "75175", "place": "P", "latitude": "91", "longitude": "8.7"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["latitude"]


def test_the_easy_read_list_shows_distances_too(client, world):
    event_at(1, world["karlsruhe"], title="Karlsruhe")
    event_at(2, world["west"], title="West")
    html = client.get("/de-x-ls/", {"plz": "75175"}).content.decode()
    assert html.index("West") < html.index("Karlsruhe")
    # In easy German: "Kilometer" written out, "weit weg" (locale/de_X-ls).
    assert DISTANCE.findall(html) == [
        "1,3 Kilometer weit weg",
        "26,6 Kilometer weit weg",
    ]
    assert "GeoNames" in html
    assert "<!--distance-->" not in html
