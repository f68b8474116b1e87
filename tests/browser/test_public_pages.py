"""The public pages in Chromium: axe, phones, zoom, keyboard, no foreign requests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, Review
from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    tab_to,
)
from tests.events.test_views_detail import with_photo
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)
from tests.postcodes import ensure_postcode_centres

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def events():
    """A published event with a photo, a cancelled one and a past one."""
    ensure_postcode_centres()  # for /?plz=75175
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    TargetGroupFactory(name="Familien", slug="familien")
    services = [
        ServiceOfferingFactory(
            category=category, title=title, description="Beratung ohne Termin."
        )
        for category, title in [
            ("kinderbetreuung", "Kinderbetreuung finden"),
            ("integration", "Integrationskurse und Sprachförderung"),
        ]
    ]
    location = LocationFactory(
        name="Quartierswerkstatt auf dem Gelände der ehemaligen Stadtgärtnerei",
        street="Brettener Straße 12",
        district=oststadt,
        latitude="48.893100",
        longitude="8.713400",
        step_free=True,
        accessibility_notes="Rampe am Seiteneingang.",
    )
    photo = with_photo(
        EventFactory(
            published=True,
            title="Wir für Sie: Jobcenter im Quartier Oststadt",
            location=location,
            languages=["de", "tr", "ar", "uk", "ckb", "ti"],
            services=services,
        )
    )
    cancelled = EventFactory(
        cancelled=True,
        title="Beratung am Marktplatz",
        start=photo.start + timedelta(days=1),
        end=photo.end + timedelta(days=1),
        services=services[:1],
    )
    start = timezone.now() - timedelta(days=30)
    past = EventFactory(
        published=True,
        title="Rückblick Weststadt",
        start=start,
        end=start + timedelta(hours=4),
    )
    review = Review.objects.create(
        event=past,
        headline="„Endlich jemand, der zuhört“",
        lead="Über 40 Gespräche an einem Vormittag.",
        body="Erster Absatz.\n\n<ul><li>Beratung</li><li>Material</li></ul>",
    )
    Review.objects.filter(pk=review.pk).update(
        status=Review.Status.PUBLISHED, published_at=timezone.now()
    )
    return {"photo": photo, "cancelled": cancelled, "past": past}


def public_paths(events: dict[str, Event]) -> list[str]:
    return [
        "/",
        "/?bezirk=oststadt&angebot=kinderbetreuung",
        "/?von=2024-13-45&bezirk=%3Cscript%3E",
        "/?plz=75175",
        "/?plz=12345",
        "/archiv/",
        "/einbetten/?bezirk=oststadt",
        events["photo"].get_absolute_url(),
        events["cancelled"].get_absolute_url(),
        events["past"].get_absolute_url(),
        "/impressum/",
        "/datenschutz/",
        "/barrierefreiheit/",
        "/leichte-sprache/",
        "/benachrichtigungen/?bezirk=oststadt",
        "/benachrichtigungen/gesendet/",
        "/benachrichtigungen/bestaetigen/1/x/",
        "/gibt-es-nicht/",
        "/en/",
        "/en" + events["photo"].get_absolute_url(),
        "/ar/benachrichtigungen/",
    ]


def test_every_public_page_passes_axe_on_a_desktop(page, live_server, events):
    for path in public_paths(events):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)


def test_every_public_page_passes_axe_on_a_phone_without_sideways_scrolling(
    phone_page, live_server, events
):
    for path in public_paths(events):
        phone_page.goto(live_server.url + path)
        assert_accessible(phone_page)
        assert_no_horizontal_scroll(phone_page)


def test_pages_reflow_at_200_percent_zoom(browser, live_server, events):
    # 360 px at 200 % zoom leaves 180 CSS pixels (WCAG 1.4.10 reflow).
    context = browser.new_context(
        viewport={"width": 180, "height": 400}, device_scale_factor=2
    )
    page = context.new_page()
    try:
        for path in public_paths(events):
            page.goto(live_server.url + path)
            assert_no_horizontal_scroll(page)
    finally:
        context.close()


@pytest.mark.parametrize(("prefix", "lang"), [("", "de"), ("/en", "en")])
def test_html_lang_follows_the_address(page, live_server, events, prefix, lang):
    for path in ("/", "/archiv/", events["photo"].get_absolute_url(), "/impressum/"):
        page.goto(live_server.url + prefix + path)
        assert page.locator("html").get_attribute("lang") == lang


def test_filters_work_with_the_keyboard_alone(page, live_server, events):
    page.goto(live_server.url + "/")
    tab_to(page, "#id_bezirk")
    page.keyboard.press("ArrowDown")  # "Oststadt", the only district
    page.select_option("#id_bezirk", "oststadt")
    # The services are radio buttons: Tab reaches the chosen one ("all"),
    # arrow keys move to "Kinderbetreuung", the third service.
    tab_to(page, "#id_angebot_0")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.is_checked("#id_angebot_3")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "bezirk=oststadt" in page.url
    assert "angebot=kinderbetreuung" in page.url
    titles = page.locator(".event-card__title a").all_inner_texts()
    assert titles == [
        "Wir für Sie: Jobcenter im Quartier Oststadt",
    ]


def test_a_filter_error_links_to_its_field(page, live_server, events):
    page.goto(live_server.url + "/?von=2024-13-45")
    error_link = page.locator("#filter-errors a")
    assert error_link.inner_text().startswith("Von:")
    error_link.click()
    assert page.evaluate("location.hash") == "#id_von"
    assert page.locator("#id_von").get_attribute("aria-invalid") == "true"


def test_skip_link_moves_focus_to_the_content(page, live_server, events):
    page.goto(live_server.url + events["photo"].get_absolute_url())
    tab_to(page, "a.skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_cancelled_is_said_in_words_not_only_in_colour(page, live_server, events):
    page.goto(live_server.url + "/")
    card = page.locator(".event-card--cancelled")
    assert "Abgesagt" in card.inner_text()
    page.goto(live_server.url + events["cancelled"].get_absolute_url())
    assert "Abgesagt: Dieser Termin findet nicht statt." in page.inner_text("main")


def test_the_photo_loads_a_small_copy_on_a_phone(phone_page, live_server, events):
    phone_page.goto(live_server.url + events["photo"].get_absolute_url())
    image = phone_page.locator(".event-photo img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    # 360 px at device scale 2 wants 720 px: the 960w copy, not the original.
    assert image.evaluate("img => img.currentSrc").endswith(".960w.jpg")


def test_pages_work_without_javascript(browser, live_server, events):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        # The filters sit behind one "Filter" control (<details>), closed
        # without JavaScript on every screen.
        assert not page.locator("#id_bezirk").is_visible()
        page.click(".filter__toggle")
        page.select_option("#id_bezirk", "oststadt")
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert "bezirk=oststadt" in page.url
        assert page.locator(".event-card").count() == 1
    finally:
        context.close()


def test_the_error_page_for_crashes_is_accessible(page, live_server):
    from django.template.loader import get_template
    from django.utils import translation

    with translation.override("de"):
        html = get_template("500.html").render()
    page.goto(live_server.url + "/impressum/")
    page.set_content(html)
    assert page.locator("h1").inner_text() == "Etwas ist schiefgelaufen"
    assert_accessible(page)
    assert_no_horizontal_scroll(page)


def test_the_review_shows_on_the_past_event(page, live_server, events):
    page.goto(live_server.url + events["past"].get_absolute_url())
    assert "Endlich jemand, der zuhört" in page.inner_text("main")
