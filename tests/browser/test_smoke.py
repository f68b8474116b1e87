from tests.browser.conftest import assert_accessible, tab_to
from tests.factories import EventFactory


def test_home_page_loads_in_chromium_and_passes_axe(page, live_server):
    EventFactory(published=True, title="Beratung im Quartier")
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Nächste Termine"
    assert page.locator("html").get_attribute("lang") == "de"
    assert_accessible(page)


def test_skip_link_is_the_first_stop_for_the_keyboard(page, live_server):
    page.goto(live_server.url + "/")
    tab_to(page, "a.skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
