"""Phone first: the first screen, the one-row header, the filters, print."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

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

pytestmark = pytest.mark.django_db(transaction=True)

EIGHT_LANGUAGES = [
    ("de", "German"),
    ("en", "English"),
    ("tr", "Turkish"),
    ("ar", "Arabic"),
    ("uk", "Ukrainian"),
    ("ru", "Russian"),
    ("fa", "Persian"),
    ("ro", "Romanian"),
]


@pytest.fixture
def event():
    """A long-named place, a photo, four services: the first card at its largest."""
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    TargetGroupFactory(name="Familien", slug="familien")
    services = [
        ServiceOfferingFactory(category=category, title=f"Beratung {category}")
        for category in (
            "berufliche-entwicklung",
            "integration",
            "kinderbetreuung",
            "chancengleichheit",
        )
    ]
    start = timezone.now() + timedelta(days=3)
    event = EventFactory(
        published=True,
        title="Wir für Sie: Jobcenter im Quartier Oststadt",
        motto="Wir für Sie",
        start=start,
        end=start + timedelta(hours=4),
        location=LocationFactory(
            name="Quartierswerkstatt auf dem Gelände der ehemaligen Stadtgärtnerei",
            street="Brettener Straße 12",
            district=oststadt,
        ),
        languages=["de", "tr", "ar", "uk"],
        services=services,
        target_groups=[],
        description="Persönliche Beratung direkt im Quartier, ohne Termin. " * 3,
    )
    EventFactory(published=True, start=start + timedelta(days=2))
    return with_photo(event)


def bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def test_the_next_date_is_on_the_first_phone_screen(phone_page, live_server, event):
    phone_page.goto(live_server.url + "/")
    card = phone_page.locator(".event-card").first
    for part in (".event-card__title", ".event-card__when time", ".event-card__where"):
        assert bottom(card.locator(part)) <= 740, part
    assert "in 3 Tagen" in card.locator(".event-card__when").inner_text()
    phone_page.screenshot(path="/tmp/shots-phone/test-first-screen-360.png")


def test_the_header_is_one_row_on_a_phone_with_eight_languages(
    phone_page, live_server, event, settings
):
    settings.LANGUAGES = EIGHT_LANGUAGES
    for path in ("/", event.get_absolute_url(), "/ar/", "/uk/"):
        phone_page.goto(live_server.url + path)
        parts = [
            phone_page.locator(selector).bounding_box()
            for selector in (".site-brand", ".site-nav", ".language-menu__toggle")
        ]
        middles = [box["y"] + box["height"] / 2 for box in parts]
        for box in parts:
            # Every part's middle lies within every other part: one row.
            assert all(box["y"] <= m <= box["y"] + box["height"] for m in middles)
        assert phone_page.locator(".site-header").bounding_box()["height"] <= 80
        assert_no_horizontal_scroll(phone_page)
    phone_page.screenshot(path="/tmp/shots-phone/test-header-uk-360.png")


def test_the_language_menu_lists_every_language_by_its_own_name(
    page, live_server, event, settings
):
    settings.LANGUAGES = EIGHT_LANGUAGES
    page.goto(live_server.url + event.get_absolute_url())
    links = page.locator(".language-menu__list a")
    assert links.count() == 8
    assert not links.first.is_visible()  # closed until asked for
    turkish = page.locator('.language-menu__list a[hreflang="tr"]')
    assert turkish.get_attribute("lang") == "tr"
    # Through /sprache/, which keeps the choice (tests/test_language_choice.py).
    assert turkish.get_attribute("href") == "/sprache/tr/?" + urlencode(
        {"next": event.get_absolute_url()}
    )
    assert turkish.text_content() == "Türkçe"
    current = page.locator(".language-menu__list a[aria-current]")
    assert current.get_attribute("hreflang") == "de"
    page.click(".language-menu__toggle")
    assert turkish.is_visible()
    assert_accessible(page)


def test_the_language_menu_works_with_the_keyboard_alone(page, live_server, event):
    page.goto(live_server.url + event.get_absolute_url())
    tab_to(page, ".language-menu__toggle")
    page.keyboard.press("Enter")
    tab_to(page, '.language-menu__list a[hreflang="en"]', max_presses=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + "/en" + event.get_absolute_url()
    assert page.locator("html").get_attribute("lang") == "en"
    # Escape closes the open menu and gives the focus back to its button.
    page.click(".language-menu__toggle")
    page.keyboard.press("Escape")
    assert not page.locator(".language-menu__list").is_visible()
    assert page.evaluate("document.activeElement.matches('.language-menu__toggle')")


def test_the_language_menu_opens_without_javascript(browser, live_server, event):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE_SIZE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.click(".language-menu__toggle")
        with page.expect_navigation():
            page.click('.language-menu__list a[hreflang="en"]')
        assert page.url == live_server.url + "/en/"
    finally:
        context.close()


PHONE_SIZE = {"width": 360, "height": 740}


def test_filters_are_closed_on_a_phone_and_open_on_a_wide_screen(
    phone_page, page, live_server, event
):
    phone_page.goto(live_server.url + "/")
    assert not phone_page.locator("#id_bezirk").is_visible()
    phone_page.click(".filter__toggle")
    assert phone_page.locator("#id_bezirk").is_visible()
    page.goto(live_server.url + "/")
    assert page.locator("#id_bezirk").is_visible()


def test_an_active_filter_is_removed_with_one_tap(phone_page, live_server, event):
    phone_page.goto(live_server.url + "/?bezirk=oststadt&angebot=integration")
    assert phone_page.locator(".active-filters a").count() == 2
    remove = phone_page.get_by_role(
        "link", name="Stadtteil: Oststadt (Filter entfernen)", exact=True
    )
    with phone_page.expect_navigation():
        remove.click()
    assert phone_page.url == live_server.url + "/?angebot=integration"
    assert_accessible(phone_page)


def test_the_event_page_prints_on_one_a4_sheet_with_a_qr_code(page, live_server, event):
    page.goto(live_server.url + event.get_absolute_url())
    qr = page.locator(".event-print-qr svg.qr-code")
    assert not qr.is_visible()  # on screen the visitor is already here
    page.emulate_media(media="print")
    assert qr.is_visible()
    assert not page.locator(".language-menu").is_visible()
    assert not page.locator(".event-actions").is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1  # one sheet


def test_another_jobcenter_sees_its_colour_after_one_setting(
    page, live_server, event, jobcenter
):
    jobcenter.brand_color = "#a1005b"
    jobcenter.save()
    page.goto(live_server.url + "/")
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).borderTopColor") == (
        "rgb(161, 0, 91)"
    )
    button = page.locator(".filter-form button[type=submit]")
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == (
        "rgb(161, 0, 91)"
    )
    assert page.locator(".site-brand__logo").evaluate("img => img.naturalWidth") > 0
    assert_accessible(page)
    page.screenshot(path="/tmp/shots-phone/test-brand-1280.png")
