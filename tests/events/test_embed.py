"""``/einbetten/``: the partner embed, the one page other sites may frame."""

from datetime import timedelta

import pytest
from django.utils.html import escape

from events.embed import DEFAULT_COUNT, MAX_COUNT, snippet
from events.forms import EventFilterForm
from jobcenters.scoping import jobcenter_scope
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    next_week_at,
)
from tests.multi import SECOND_HOST, second_jobcenter

pytestmark = pytest.mark.django_db


def embed(client, query: str = "", prefix: str = "", **headers):
    response = client.get(f"{prefix}/einbetten/{query}", **headers)
    assert response.status_code == 200
    return response


def test_other_sites_may_frame_it_and_no_other_page(client, settings):
    settings.EMBED_FRAME_ANCESTORS = "*"
    response = embed(client)
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    home = client.get("/")
    assert "frame-ancestors 'none'" in home["Content-Security-Policy"]
    assert home["X-Frame-Options"] == "DENY"


def test_the_framing_sites_are_a_setting(client, settings):
    settings.EMBED_FRAME_ANCESTORS = "https://quartier-oststadt.example"
    policy = embed(client, "?x=1")["Content-Security-Policy"]
    assert "frame-ancestors https://quartier-oststadt.example" in policy
    # The rest of the site's policy holds here too: no inline script or style.
    assert "script-src 'self'" in policy and "style-src 'self'" in policy


def test_it_shows_the_next_dates_and_a_link_to_all(client):
    for hour in range(7):
        start = next_week_at(8 + hour)
        EventFactory(
            published=True,
            title=f"Termin {hour}",
            start=start,
            end=start + timedelta(hours=1),
        )
    EventFactory(title="Entwurf")
    html = embed(client).content.decode()
    assert html.count('class="embed__item') == DEFAULT_COUNT
    assert "Termin 0" in html and "Termin 4" in html and "Termin 5" not in html
    assert "Entwurf" not in html
    assert 'target="_blank" rel="noopener"' in html
    assert '<p class="embed__more"><a href="' in html  # all dates, on our site


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("1", 1), ("3", 3), ("20", 20), ("0", 1), ("999", 20), ("abc", 5), ("-2", 5)],
)
def test_the_number_of_dates_is_bounded(client, raw, shown):
    for minute in range(22):
        start = next_week_at(8) + timedelta(minutes=minute)
        EventFactory(published=True, start=start, end=start + timedelta(hours=2))
    html = embed(client, f"?anzahl={raw}").content.decode()
    assert html.count('class="embed__item') == min(shown, MAX_COUNT)


def test_filters_work_as_on_the_list(client):
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    care = ServiceOfferingFactory(category="kinderbetreuung")
    EventFactory(
        published=True,
        title="Oststadt mit Kinderbetreuung",
        location=LocationFactory(district=oststadt),
        services=[care],
    )
    EventFactory(published=True, title="Anderswo")
    html = embed(client, "?bezirk=oststadt&angebot=kinderbetreuung").content.decode()
    assert "Oststadt mit Kinderbetreuung" in html and "Anderswo" not in html
    assert "?bezirk=oststadt&amp;angebot=kinderbetreuung" in html  # "all dates"


def test_it_speaks_the_language_of_its_address(client):
    EventFactory(published=True)
    english = embed(client, prefix="/en").content.decode()
    assert '<html lang="en"' in english and "Upcoming dates" in english
    arabic = embed(client, prefix="/ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in arabic


@pytest.mark.parametrize(
    "query",
    [
        "?bezirk=%3Cscript%3Ealert(1)%3C/script%3E",
        "?angebot=' OR 1=1 --",
        "?von=2024-13-45&bis=x",
        "?anzahl=" + "9" * 400,
        "?zielgruppe=" + "x" * 5000,
        "?bezirk=%00",
    ],
)
def test_bad_parameters_still_show_a_list(client, query):
    EventFactory(published=True, title="Sichtbar")
    response = client.get("/einbetten/" + query)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert b"<script>alert" not in response.content


def test_only_the_hosts_jobcenter(client):
    EventFactory(published=True, title="Erste Stadt")
    second = second_jobcenter()
    with jobcenter_scope(second):
        EventFactory(published=True, title="Zweite Stadt")
    first = embed(client).content.decode()
    other = embed(client, HTTP_HOST=SECOND_HOST).content.decode()
    assert "Erste Stadt" in first and "Zweite Stadt" not in first
    assert "Zweite Stadt" in other and "Erste Stadt" not in other


@pytest.mark.parametrize("count", [3, 30])
def test_queries_do_not_grow(client, settings, django_assert_max_num_queries, count):
    settings.PUBLIC_CACHE_SECONDS = 0
    EventFactory.create_batch(count, published=True)
    embed(client)
    with django_assert_max_num_queries(8):
        embed(client, "?anzahl=20")


def test_snippet_is_an_iframe_of_the_filtered_list(settings):
    settings.SITE_URL = "https://quartier.example.org"
    DistrictFactory(name="Oststadt", slug="oststadt")
    form = EventFilterForm({"bezirk": "oststadt", "angebot": "", "von": "x"})
    form.is_valid()
    html = snippet(form)
    address = "https://quartier.example.org/einbetten/?bezirk=oststadt&anzahl=5"
    assert html.startswith(f'<iframe src="{escape(address)}"')
    assert 'title="' in html and 'loading="lazy"' in html
    unfiltered = EventFilterForm()
    assert "/einbetten/?anzahl=5" in snippet(unfiltered)
