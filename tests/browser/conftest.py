"""Browser tests: Debian's Chromium driven by Playwright against live_server.

Every page a test opens is watched: a request to any other host than the
test server fails the test, so no page can quietly load a font, script or
image from a third party. ``assert_accessible`` runs axe-core (bundled with
axe-playwright-python, injected into the page; never from a CDN).
"""

import os
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
    "--no-first-run",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install the Debian package 'chromium'."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _open_page(browser, live_server, **context_options):
    context = browser.new_context(locale="de-DE", **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    allowed = urlsplit(live_server.url).netloc
    foreign = []

    def watch(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != allowed:
            foreign.append(request.url)

    page.on("request", watch)
    return context, page, foreign


@pytest.fixture
def page(browser, live_server):
    """A desktop-sized page; fails the test if it requests another host."""
    context, page, foreign = _open_page(
        browser, live_server, viewport={"width": 1280, "height": 900}
    )
    yield page
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"


@pytest.fixture
def phone_page(browser, live_server):
    """A 360 px wide touch screen, as most visitors use."""
    context, page, foreign = _open_page(
        browser,
        live_server,
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    yield page
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"


def assert_accessible(page, *, context=None):
    """axe-core finds no WCAG 2.1 A/AA (or best-practice) violation on the page."""
    results = Axe().run(
        page,
        context=context,
        options={
            "runOnly": {"type": "tag", "values": WCAG_AA},
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, results.generate_report()


def assert_no_horizontal_scroll(page):
    """Nothing is cut off or needs sideways scrolling (WCAG 1.4.10 reflow)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page is {overflow}px wider than the screen"


def tab_to(page, selector: str, *, max_presses: int = 60) -> None:
    """Press Tab until the element matching selector has focus."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the keyboard")
