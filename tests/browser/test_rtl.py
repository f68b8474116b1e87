"""Arabic right to left on a phone, and Leichte Sprache, in Chromium.

Screenshots go where tests/browser/test_screenshots.py puts them, as
``360-ar-<page>.png``, for a person to look at.
"""

from itertools import pairwise

import pytest

from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    tab_to,
)
from tests.browser.test_screenshots import MIN_BYTES, screenshot_dir
from tests.factories import EventFactory, ServiceOfferingFactory, open_for_feedback

pytestmark = pytest.mark.django_db(transaction=True)

# Where each focused element sits on the screen, in the order Tab reaches it.
FOCUS_BOX = """() => {
  const box = document.activeElement.getBoundingClientRect();
  return {x: box.left, y: box.top, right: box.right, bottom: box.bottom,
          text: document.activeElement.textContent.trim().slice(0, 40)};
}"""


@pytest.fixture
def addresses():
    """Name → German address: the dates, an event, an open feedback form."""
    services = [
        ServiceOfferingFactory(category=category, title=f"Beratung {category}")
        for category in ("berufliche-entwicklung", "integration")
    ]
    event = EventFactory(published=True, services=services, languages=["de", "ar"])
    today = open_for_feedback(location=event.location, services=services)
    return {
        "home": "/",
        "event": event.get_absolute_url(),
        "feedback-form": f"/f/{today.short_code}/",
    }


def focus_path(page, presses: int) -> list[dict]:
    boxes = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        boxes.append(page.evaluate(FOCUS_BOX))
    return boxes


def assert_reads_right_to_left(boxes: list[dict]) -> None:
    """Each next stop is on the same line further left, or further down."""
    for before, after in pairwise(boxes):
        same_line = after["y"] < before["bottom"] and before["y"] < after["bottom"]
        if same_line:
            assert after["right"] <= before["x"] + 1, (before, after)
        else:
            assert after["y"] >= before["bottom"] - 1, (before, after)


@pytest.mark.parametrize("name", ["home", "event", "feedback-form"])
def test_arabic_pages_read_right_to_left_on_a_phone(
    phone_page, live_server, addresses, name
):
    response = phone_page.goto(f"{live_server.url}/ar{addresses[name]}")
    assert response.status == 200
    assert phone_page.evaluate("document.documentElement.dir") == "rtl"
    assert phone_page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    sheets = phone_page.evaluate(
        "[...document.styleSheets].map(sheet => sheet.href || '')"
    )
    assert any(href.endswith("bootstrap.rtl.min.css") for href in sheets)
    assert not any(href.endswith("/bootstrap.min.css") for href in sheets)
    assert_no_horizontal_scroll(phone_page)
    assert_accessible(phone_page)
    path = screenshot_dir() / f"360-ar-{name}.png"
    path.unlink(missing_ok=True)
    phone_page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > MIN_BYTES


def test_the_arabic_header_is_reached_right_to_left(phone_page, live_server, addresses):
    phone_page.goto(f"{live_server.url}/ar/")
    # The brand stands at the right edge; the language menu at the left.
    brand = phone_page.locator(".site-brand").bounding_box()
    menu = phone_page.locator(".language-menu__toggle").bounding_box()
    assert brand["x"] > menu["x"] + menu["width"]
    tab_to(phone_page, ".site-brand")
    boxes = [phone_page.evaluate(FOCUS_BOX)]
    boxes += focus_path(phone_page, 2)  # the archive, then the language menu
    assert_reads_right_to_left(boxes)
    assert phone_page.evaluate(
        "document.activeElement.matches('.language-menu__toggle')"
    )


def test_the_language_menu_opens_and_chooses_by_keyboard(
    phone_page, live_server, addresses
):
    phone_page.goto(f"{live_server.url}/ar/")
    tab_to(phone_page, ".language-menu__toggle")
    phone_page.keyboard.press("Enter")
    phone_page.keyboard.press("Tab")
    assert phone_page.evaluate("document.activeElement.textContent") == "Deutsch"
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url(f"{live_server.url}/")
    assert phone_page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    # Chosen: the German page stays German for this Arabic browser.
    phone_page.goto(f"{live_server.url}/")
    assert phone_page.evaluate("document.documentElement.lang") == "de"


def test_the_arabic_event_page_is_read_top_down_right_to_left(
    phone_page, live_server, addresses
):
    phone_page.goto(f"{live_server.url}/ar{addresses['event']}")
    tab_to(phone_page, "main a, main button, main summary")
    boxes = [phone_page.evaluate(FOCUS_BOX)]
    boxes += focus_path(phone_page, 3)
    assert_reads_right_to_left(boxes)


def test_an_arabic_browser_lands_on_arabic_pages(browser, live_server, addresses):
    context = browser.new_context(locale="ar", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{addresses['event']}")
        assert page.url == f"{live_server.url}/ar{addresses['event']}"
        assert page.evaluate("document.documentElement.dir") == "rtl"
    finally:
        context.close()


@pytest.mark.parametrize("name", ["home", "event"])
def test_leichte_sprache_pages_pass_axe(page, live_server, addresses, name):
    response = page.goto(f"{live_server.url}/de-x-ls{addresses[name]}")
    assert response.status == 200
    assert page.evaluate("document.documentElement.lang") == "de-x-ls"
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    assert_accessible(page)
