"""The form's body as a stored piece: the same bytes, the visitor's own values."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from events.caching import invalidate_public_pages
from feedback.forms import fill_token
from tests.factories import ServiceOfferingFactory, open_for_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def masked(html: str) -> str:
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1TOKEN", html)
    return re.sub(r'(name="started" value=")[^"]+', r"\1STARTED", html)


def values(html: str) -> tuple[str, str]:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    started = re.search(r'name="started" value="([^"]+)"', html)[1]
    return token, started


@pytest.mark.parametrize("prefix", ["", "/ar", "/de-x-ls", "/en"])
def test_every_visitor_gets_the_same_page_with_their_own_values(prefix):
    event = open_for_feedback()
    address = f"{prefix}/f/{event.short_code}/"
    first, second, third = (Client().get(address) for _ in range(3))
    pages = [r.content.decode() for r in (first, second, third)]
    assert masked(pages[0]) == masked(pages[1]) == masked(pages[2])
    tokens = [values(page) for page in pages]
    assert len({token for token, _ in tokens}) == 3
    for (_token, started), response in zip(tokens, (first, second, third), strict=True):
        assert started.startswith(f"{event.short_code}:")
        assert "csrftoken" in response.cookies
    if prefix == "/ar":
        assert 'dir="rtl"' in pages[1]


def test_a_stored_page_can_be_sent(settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    event = open_for_feedback()
    Client().get(f"/f/{event.short_code}/")  # stores the piece
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/f/{event.short_code}/").content.decode()
    token, started = values(page)
    response = client.post(
        f"/f/{event.short_code}/",
        {"csrfmiddlewaretoken": token, "started": started, "rating_overall": "5"},
    )
    assert response.status_code == 302


def test_a_changed_service_shows_once_the_change_is_committed():
    event = open_for_feedback()
    service = ServiceOfferingFactory()
    event.services.set([service])
    address = f"/f/{event.short_code}/"
    Client().get(address)
    service.set_current_language("de")
    service.title = "Ganz neuer Titel"
    service.save()
    invalidate_public_pages(event.jobcenter_id)  # what the commit does
    assert "Ganz neuer Titel" in Client().get(address).content.decode()


def test_a_form_with_errors_is_rendered_with_the_answers():
    event = open_for_feedback()
    address = f"/f/{event.short_code}/"
    Client().get(address)
    started = fill_token(event.short_code, issued_at=0)
    response = Client().post(
        address, {"started": started, "comment": "Mein Kommentar bleibt"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="form-errors"' in html
    assert "Mein Kommentar bleibt" in html
    assert values(html)[1] != started


def test_a_visitor_with_a_session_gets_the_same_page():
    event = open_for_feedback()
    address = f"/f/{event.short_code}/"
    fresh = Client().get(address).content.decode()
    with_session = Client()
    with_session.cookies["sessionid"] = "no-such-session"
    for _ in range(2):  # the stored body, then the body stored by the first
        page = with_session.get(address).content.decode()
        assert masked(page) == masked(fresh)
    assert values(page)[1].startswith(f"{event.short_code}:")
