"""While the database is away: a friendly 503 everywhere, nothing lost, and back after."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from feedback.models import Feedback
from tests.factories import (
    EventFactory,
    ServiceOfferingFactory,
    feedback_form_data,
    open_for_feedback,
)
from tests.outage import database_down

pytestmark = pytest.mark.django_db


class TouchUserMiddleware:
    """A middleware that reads the user, as staff security middleware does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user.is_authenticated  # noqa: B018 (loads the session)
        return self.get_response(request)


@pytest.fixture(autouse=True)
def _errors_answered(client):
    # Like a browser, see the error page instead of the exception.
    client.raise_request_exception = False


def assert_outage_page(response, *, text: str):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    html = response.content.decode()
    assert text in html
    # The site's look, and the id a citizen can quote.
    assert 'class="site-header' in html
    # The operator's logo and colour, as on every page (an empty src is invalid).
    assert 'src=""' not in html
    assert 'class="site-brand__logo" src="/static/' in html
    assert "/marke.css?v=" in html and '/marke.css?v="' not in html
    assert response["X-Request-ID"] in html
    for technical in ("Traceback", "OperationalError", "5432", "Connection refused"):
        assert technical not in html


def test_a_public_page_says_so_in_german(client):
    EventFactory(published=True)
    with database_down():
        response = client.get("/")
    assert_outage_page(response, text="Vorübergehend nicht erreichbar")
    assert 'lang="de"' in response.content.decode()


def test_a_public_page_says_so_in_english(client):
    with database_down():
        response = client.get("/en/archiv/")
    assert_outage_page(response, text="Temporarily unavailable")
    assert 'lang="en"' in response.content.decode()


def test_the_admin(staff_client):
    with database_down():
        response = staff_client.get("/admin/events/event/")
    assert_outage_page(response, text="Vorübergehend nicht erreichbar")


def test_the_admin_login(client):
    with database_down():
        response = client.post(
            "/admin/login/", {"username": "erika", "password": "geheim-geheim"}
        )
    assert_outage_page(response, text="Vorübergehend nicht erreichbar")


def test_a_coordinator_page(coordinator_client):
    with database_down():
        response = coordinator_client.get("/auswertung/")
    assert_outage_page(response, text="Vorübergehend nicht erreichbar")


def test_an_error_raised_by_a_middleware(settings, staff_client):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "tests.test_outage.TouchUserMiddleware",
    ]
    with database_down():
        response = staff_client.get("/impressum/")
    assert_outage_page(response, text="Vorübergehend nicht erreichbar")


def test_the_health_check_tells_the_load_balancer(client):
    with database_down():
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.content == b"database unavailable"


def test_pages_answer_again_when_the_database_is_back(client, staff_client):
    event = EventFactory(published=True)
    with database_down():
        assert client.get(event.get_absolute_url()).status_code == 503
        assert staff_client.get("/admin/").status_code == 503
    assert client.get(event.get_absolute_url()).status_code == 200
    assert staff_client.get("/admin/").status_code == 200
    assert client.get("/readyz").content == b"ok"


class HiddenFields(HTMLParser):
    """The (name, value) pairs of a page's hidden inputs, unescaped."""

    def __init__(self, html: str):
        super().__init__()
        self.fields = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields.append((attrs["name"], attrs["value"]))


def post_data(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def test_feedback_sent_during_the_outage_can_be_sent_again():
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    event = open_for_feedback(services=ServiceOfferingFactory.create_batch(2))
    services = list(event.services.values_list("pk", flat=True))
    form = browser.get(f"/f/{event.short_code}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    comment = 'Sehr gut "beraten" <script>alert(1)</script> & danke'
    data = feedback_form_data(
        event,
        rating_overall="5",
        services_of_interest=[str(pk) for pk in services],
        comment=comment,
        csrfmiddlewaretoken=token,
    )

    with database_down():
        response = browser.post(f"/f/{event.short_code}/", data)

    assert_outage_page(response, text="Ihre Rückmeldung wurde nicht gespeichert.")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'<form method="post" action="/f/{event.short_code}/"' in html
    assert "Noch einmal senden</button>" in html
    fields = post_data(HiddenFields(html).fields)
    # The answers as sent, the original start time, a fresh security token.
    assert fields["comment"] == [comment]
    assert fields["rating_overall"] == ["5"]
    assert sorted(fields["services_of_interest"]) == sorted(map(str, services))
    assert fields["started"] == [data["started"]]
    assert fields["csrfmiddlewaretoken"][0] != token
    assert Feedback.objects.count() == 0

    # The database is back: one click stores the answers, once.
    again = browser.post(f"/f/{event.short_code}/", fields)
    assert again.status_code == 302
    stored = Feedback.objects.get()
    assert stored.comment == comment
    assert stored.rating_overall == 5
    assert sorted(stored.services_of_interest.values_list("pk", flat=True)) == sorted(
        services
    )


def test_feedback_in_english_during_the_outage(client):
    event = open_for_feedback()
    with database_down():
        response = client.post(f"/en/f/{event.short_code}/", feedback_form_data(event))
    assert_outage_page(response, text="Your feedback has not been stored.")
    assert 'action="/en/f/' in response.content.decode()
