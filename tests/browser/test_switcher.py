"""The Jobcenter switcher and the regional view in Chromium: keyboard, axe, phone."""

import pytest

from jobcenters.hosts import forget_all
from jobcenters.models import Host, Membership
from jobcenters.scoping import jobcenter_scope
from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    tab_to,
)
from tests.browser.test_reports import log_in
from tests.browser.test_screenshots import MIN_BYTES, screenshot_dir
from tests.factories import (
    ContactCountFactory,
    EventFactory,
    FeedbackFactory,
    first_jobcenter,
    open_for_feedback,
)
from tests.multi import give_role, second_jobcenter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def regional_coordinator(coordinator):
    """Koordination in the first Jobcenter (host localhost) and a second one."""
    Host.objects.get_or_create(
        name="localhost", defaults={"jobcenter": first_jobcenter()}
    )
    zwei = second_jobcenter()
    forget_all()
    give_role(coordinator, zwei, Membership.Role.COORDINATION)
    give_role(coordinator, first_jobcenter(), Membership.Role.STAFF)  # /team/ too
    for jobcenter in (first_jobcenter(), zwei):
        with jobcenter_scope(jobcenter):
            event = open_for_feedback()
            ContactCountFactory(event=event, quantity=12)
            FeedbackFactory(event=event, heard_via="poster", comment="Geheim")
            EventFactory(title=f"Termin von {jobcenter.name}")
    return coordinator


def test_the_switcher_works_with_the_keyboard(page, live_server, regional_coordinator):
    log_in(page, live_server, regional_coordinator)
    page.goto(live_server.url + "/admin/")
    switcher = page.locator("#header .jobcenter-switcher")
    assert "Jobcenter Pforzheim" in switcher.inner_text()
    tab_to(page, "#jobcenter-switch-admin")
    page.keyboard.press("ArrowDown")
    assert page.locator("#jobcenter-switch-admin").input_value() != str(
        first_jobcenter().pk
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_server.url + "/admin/"
    assert "Sie arbeiten in: Jobcenter Zweistadt" in switcher.inner_text()
    page.goto(live_server.url + "/admin/events/event/")
    assert "Termin von Jobcenter Zweistadt" in page.content()
    assert "Termin von Jobcenter Pforzheim" not in page.content()


@pytest.mark.parametrize("width", [360, 1280])
def test_region_page_passes_axe_and_fits(
    request, live_server, regional_coordinator, width
):
    page = request.getfixturevalue("phone_page" if width == 360 else "page")
    log_in(page, live_server, regional_coordinator)
    folder = screenshot_dir()
    for name, address in (("region", "/auswertung/region/"), ("team", "/team/")):
        assert page.goto(live_server.url + address).status == 200
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
        path = folder / f"{width}-staff-{name}.png"
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > MIN_BYTES
    page.goto(live_server.url + "/admin/")
    path = folder / f"{width}-staff-admin-switcher.png"
    page.screenshot(path=path, full_page=False)
    assert path.stat().st_size > MIN_BYTES
