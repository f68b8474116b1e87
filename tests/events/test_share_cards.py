"""Share cards: a preview picture for every public event, drawn per language."""

import io

import pytest
from django.core.cache import cache
from PIL import Image, ImageDraw

from events import share_cards
from events.models import Event, EventSlugRedirect
from jobcenters.scoping import jobcenter_scope
from tests.factories import EventFactory
from tests.multi import SECOND_HOST, second_jobcenter

pytestmark = pytest.mark.django_db


def picture(response) -> Image.Image:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_card_is_a_png_of_1200_by_630(client):
    event = EventFactory(published=True, slug="fest")
    image = picture(client.get("/veranstaltungen/fest/vorschau.png"))
    assert image.size == (1200, 630)
    assert image.format == "PNG"
    # The Jobcenter's colour fills the band at the top, the mark's yellow the foot.
    assert image.getpixel((600, 10)) == tuple(
        int(event.jobcenter.brand_color[i : i + 2], 16) for i in (1, 3, 5)
    )
    assert image.getpixel((600, 625)) == (0xFF, 0xBF, 0x47)


def test_each_language_has_its_own_card(client):
    EventFactory(published=True, slug="fest", title="Sommerfest")
    german = client.get("/veranstaltungen/fest/vorschau.png").content
    arabic = client.get("/ar/veranstaltungen/fest/vorschau.png").content
    assert german != arabic
    assert picture(client.get("/ar/veranstaltungen/fest/vorschau.png")).size == (
        1200,
        630,
    )


def test_an_edit_draws_the_card_again(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    event = EventFactory(published=True, slug="fest", title="Sommerfest")
    before = client.get("/veranstaltungen/fest/vorschau.png").content
    assert client.get("/veranstaltungen/fest/vorschau.png").content == before
    event.title = "Herbstfest mit einem viel längeren Titel"
    event.save()
    assert client.get("/veranstaltungen/fest/vorschau.png").content != before


def test_a_stored_card_costs_one_query(client, settings, django_assert_num_queries):
    settings.PUBLIC_CACHE_SECONDS = 0
    EventFactory(published=True, slug="fest")
    client.get("/veranstaltungen/fest/vorschau.png")
    with django_assert_num_queries(1):  # the event's id and version
        picture(client.get("/veranstaltungen/fest/vorschau.png"))


def test_drafts_and_unknown_events_have_no_card(client):
    EventFactory(slug="entwurf")
    assert client.get("/veranstaltungen/entwurf/vorschau.png").status_code == 404
    assert client.get("/veranstaltungen/gibt-es-nicht/vorschau.png").status_code == 404
    assert client.post("/veranstaltungen/entwurf/vorschau.png").status_code == 405


def test_an_old_address_leads_to_the_card_of_the_new_one(client):
    event = EventFactory(published=True, slug="neu")
    EventSlugRedirect.objects.create(event=event, old_slug="alt")
    response = client.get("/veranstaltungen/alt/vorschau.png")
    assert response.status_code == 301
    assert response["Location"] == "/veranstaltungen/neu/vorschau.png"


def test_another_jobcenters_event_has_no_card_here(client):
    second = second_jobcenter()
    with jobcenter_scope(second):
        EventFactory(published=True, slug="zweite-stadt")
    assert client.get("/veranstaltungen/zweite-stadt/vorschau.png").status_code == 404
    response = client.get(
        "/veranstaltungen/zweite-stadt/vorschau.png", HTTP_HOST=SECOND_HOST
    )
    assert picture(response).size == (1200, 630)


def test_cancelled_events_keep_their_card(client):
    event = EventFactory(published=True, slug="abgesagt")
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    cache.clear()
    assert picture(client.get("/veranstaltungen/abgesagt/vorschau.png"))


@pytest.mark.parametrize(
    "title",
    [
        "<script>alert(1)</script>" * 8,
        "Ä" * 300,
        "Ein " * 120,
        "مركز العمل في الحي " * 10,
    ],
)
def test_any_title_is_drawn_within_the_card(client, title):
    EventFactory(published=True, slug="lang", title=title[:200])
    assert picture(client.get("/veranstaltungen/lang/vorschau.png")).size == (
        1200,
        630,
    )


def test_long_text_is_wrapped_and_cut_with_an_ellipsis():
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font = share_cards._font(56, bold=True)
    lines = share_cards._wrap("Wort " * 100, font, 1056, 3, draw)
    assert len(lines) == 3
    assert lines[-1].endswith(" …")
    assert all(draw.textlength(line, font=font) <= 1056 for line in lines)
    assert share_cards._wrap("Kurz", font, 1056, 3, draw) == ["Kurz"]
