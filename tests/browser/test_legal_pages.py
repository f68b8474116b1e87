"""The legal pages of a Jobcenter with every detail and its sign-language video."""

import pytest

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.factories import first_jobcenter
from tests.jobcenters.helpers import FILLED, add_sign_language_video

pytestmark = pytest.mark.django_db(transaction=True)

PATHS = (
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/de-x-ls/",
)


@pytest.fixture
def filled():
    jobcenter = first_jobcenter()
    for field, value in FILLED.items():
        setattr(jobcenter, field, value)
    add_sign_language_video(jobcenter)
    return jobcenter


def test_filled_legal_pages_with_the_video_pass_axe(
    page, phone_page, live_server, filled
):
    for path in PATHS:
        for browser_page in (page, phone_page):
            browser_page.goto(live_server.url + path)
            assert_accessible(browser_page)
            assert_no_horizontal_scroll(browser_page)
        if path != "/impressum/" and path != "/datenschutz/":
            video = page.locator("video.dgs-video")
            assert video.count() == 1, path
            assert video.get_attribute("preload") == "none"
