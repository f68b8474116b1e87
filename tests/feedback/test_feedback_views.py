import logging
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from feedback.forms import fill_token
from feedback.models import Feedback
from tests.factories import (
    EventFactory,
    FeedbackFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    feedback_form_data,
    open_for_feedback,
)

pytestmark = pytest.mark.django_db

VISITOR_IP = "203.0.113.77"
VISITOR_AGENT = "Mozilla/5.0 (Linux; Android 14) UniqueTestAgent/1.0"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event():
    return open_for_feedback()


def url(event, suffix=""):
    return f"/f/{event.short_code}/{suffix}"


def send(client, event, **answers):
    return client.post(
        url(event),
        feedback_form_data(event, **answers),
        REMOTE_ADDR=VISITOR_IP,
        HTTP_USER_AGENT=VISITOR_AGENT,
    )


# Showing the form


def test_the_form_page_shows_the_form(client, event):
    response = client.get(url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ihre Meinung</h1>" in html
    assert 'name="rating_overall"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_form_page_sets_the_csrf_cookie_and_is_never_cached(client, event):
    response = client.get(url(event))
    assert "csrftoken" in response.cookies
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_the_form_page_is_not_served_from_the_public_cache(event, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    first, second = Client().get(url(event)), Client().get(url(event))
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert "public" not in second["Cache-Control"]


def test_an_unknown_code_is_a_404(client):
    assert client.get("/f/nosuch/").status_code == 404
    assert client.get("/f/nosuch/danke/").status_code == 404


def test_a_draft_is_a_404(client):
    start = timezone.now() - timedelta(hours=1)
    draft = EventFactory(start=start, end=start + timedelta(hours=2))
    assert client.get(url(draft)).status_code == 404
    assert client.post(url(draft), feedback_form_data(draft)).status_code == 404
    assert Feedback.objects.count() == 0


def test_a_code_typed_in_capitals_works(client, event):
    assert client.get(f"/f/{event.short_code.upper()}/").status_code == 200


@pytest.mark.parametrize(
    "code", ["%00", "abc%00def", "%3Cscript%3E", "a" * 300, "abc.def", "%C3%A4bc"]
)
@pytest.mark.parametrize("suffix", ["", "danke/", "fragebogen/"])
def test_a_malformed_code_is_404_on_every_address(client, code, suffix):
    assert client.get(f"/f/{code}/{suffix}").status_code == 404
    assert client.post(f"/f/{code}/{suffix}").status_code == 404


def test_before_the_start_the_page_says_from_when(client):
    event = EventFactory(published=True)
    response = client.get(url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "noch nicht geöffnet" in html
    assert "ab " in html
    assert 'name="rating_overall"' not in html


def test_a_cancelled_event_says_so(client):
    start = timezone.now() - timedelta(hours=1)
    event = EventFactory(cancelled=True, start=start, end=start + timedelta(hours=2))
    response = client.get(url(event))
    assert response.status_code == 410
    assert "abgesagt" in response.content.decode()


def test_after_the_window_the_form_is_closed(client, settings):
    settings.FEEDBACK_OPEN_DAYS = 14
    start = timezone.now() - timedelta(days=15)
    event = EventFactory(published=True, start=start, end=start + timedelta(hours=4))
    response = client.get(url(event))
    assert response.status_code == 410
    assert "geschlossen" in response.content.decode()


@pytest.mark.parametrize("kind", ["not_yet", "cancelled", "closed"])
def test_nothing_is_saved_for_a_closed_form(client, kind):
    now = timezone.now()
    if kind == "not_yet":
        event = EventFactory(published=True)
    elif kind == "cancelled":
        event = EventFactory(
            cancelled=True, start=now - timedelta(hours=1), end=now + timedelta(hours=1)
        )
    else:
        event = EventFactory(
            published=True,
            start=now - timedelta(days=30),
            end=now - timedelta(days=30) + timedelta(hours=2),
        )
    client.post(url(event), feedback_form_data(event))
    assert Feedback.objects.count() == 0


# Sending


def test_sending_stores_the_feedback_and_redirects_to_the_thanks(client, event):
    service = ServiceOfferingFactory()
    event.services.add(service)
    response = send(
        client,
        event,
        rating_overall="5",
        heard_via="friends_family",
        services_of_interest=[str(service.pk)],
        comment="Sehr hilfreich.",
        may_publish="on",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/f/{event.short_code}/danke/"
    feedback = Feedback.objects.get()
    assert feedback.event == event
    assert feedback.rating_overall == 5
    assert feedback.heard_via == "friends_family"
    assert list(feedback.services_of_interest.all()) == [service]
    assert feedback.may_publish is True
    assert feedback.source == Feedback.Source.ONLINE


def test_the_thanks_page_follows(client, event):
    response = client.get(url(event, "danke/"))
    assert response.status_code == 200
    assert "Vielen Dank" in response.content.decode()


def test_english_visitors_stay_in_english(client, event):
    response = client.post(f"/en/f/{event.short_code}/", feedback_form_data(event))
    assert response["Location"] == f"/en/f/{event.short_code}/danke/"
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for your feedback" in page


def test_the_stored_row_holds_no_address_agent_or_name(client, event):
    send(client, event, comment="Gut.")
    row = Feedback.objects.values().get()
    for value in row.values():
        assert VISITOR_IP not in str(value)
        assert "UniqueTestAgent" not in str(value)
    assert set(row) == {
        "id",
        # The Jobcenter that held the event: not something about the person.
        "jobcenter_id",
        "event_id",
        "submitted_at",
        "source",
        "rating_overall",
        "rating_consultation",
        "rating_material",
        "rating_location",
        "heard_via",
        "would_come_again",
        "target_group_id",
        "describes_self_otherwise",
        "comment",
        "may_publish",
        # The form's language ("uk"): a site setting, not something about the person.
        "language",
        "comment_removed_at",
    }


def test_the_address_is_never_logged(client, event, caplog, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    with caplog.at_level(logging.DEBUG):
        send(client, event)
        send(client, event)  # over the limit: logged by Django as a 429
        send(client, event, reference="spam")
        send(client, event, rating_overall="9")
    assert caplog.records
    assert VISITOR_IP not in caplog.text
    assert "UniqueTestAgent" not in caplog.text


def test_csrf_is_enforced(event):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(event), feedback_form_data(event))
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


def test_a_real_browser_round_trip_with_csrf_works(event):
    client = Client(enforce_csrf_checks=True)
    page = client.get(url(event))
    token = page.context["csrf_token"]
    data = feedback_form_data(event, csrfmiddlewaretoken=str(token))
    response = client.post(url(event), data)
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


# Bad input


@pytest.mark.parametrize(
    "answers",
    [
        {"rating_overall": "0"},
        {"rating_overall": "6"},
        {"rating_overall": "abc"},
        {"rating_overall": ""},
        {"rating_consultation": "7"},
        {"heard_via": "radio_caroline"},
        {"services_of_interest": ["999999"]},
        {"target_group": "not-a-number"},
        {"comment": "x" * 1001},
    ],
)
def test_bad_input_shows_errors_and_saves_nothing(client, event, answers):
    response = send(client, event, **answers)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert Feedback.objects.count() == 0


@pytest.mark.parametrize(
    "field",
    [
        "rating_overall",
        "rating_material",
        "heard_via",
        "services_of_interest",
        "would_come_again",
        "target_group",
        "started",
    ],
)
def test_a_nul_byte_in_any_field_is_a_form_error_not_a_crash(client, event, field):
    response = send(client, event, **{field: "1\x00"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Feedback.objects.count() == 0


def test_too_many_services_sent_is_refused_cleanly(client, event):
    response = send(client, event, services_of_interest=[str(n) for n in range(2000)])
    assert response.status_code == 400
    assert Feedback.objects.count() == 0


def test_a_foreign_service_is_refused(client, event):
    event.services.add(ServiceOfferingFactory())
    elsewhere = ServiceOfferingFactory()
    response = send(client, event, services_of_interest=[str(elsewhere.pk)])
    assert "services_of_interest" in response.context["form"].errors
    assert Feedback.objects.count() == 0


def test_an_over_long_comment_is_kept_in_the_form_for_editing(client, event):
    response = send(client, event, comment="x" * 1001)
    assert "x" * 1001 in response.content.decode()


XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"
SQL = "'; DROP TABLE feedback_feedback; --"


def test_xss_and_sql_strings_are_stored_as_plain_text(client, event):
    send(client, event, comment=XSS + "\n" + SQL)
    assert Feedback.objects.get().comment == XSS + "\n" + SQL


def test_xss_in_a_form_shown_again_comes_back_escaped(client, event):
    response = send(client, event, rating_overall="", comment=XSS)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_control_characters_are_stripped_before_saving(client, event):
    send(client, event, comment="gut\x00\x1b\x08\r\nsehr\tgut")
    assert Feedback.objects.get().comment == "gut\nsehr\tgut"


def test_may_publish_without_a_comment_is_not_stored(client, event):
    send(client, event, may_publish="on", comment="")
    assert Feedback.objects.get().may_publish is False


def test_a_get_with_unexpected_parameters_still_shows_the_form(client, event):
    response = client.get(url(event), {"rating_overall": "<script>", "x": "'"})
    assert response.status_code == 200


def test_other_methods_are_refused(client, event):
    assert client.put(url(event)).status_code == 405
    assert client.post(url(event, "danke/")).status_code == 405


# Abuse protection


def test_a_filled_honeypot_pretends_success_and_stores_nothing(client, event):
    response = send(client, event, reference="https://spam.example")
    assert response.status_code == 302
    assert response["Location"] == f"/f/{event.short_code}/danke/"
    assert Feedback.objects.count() == 0


def test_a_filled_honeypot_with_garbage_still_pretends_success(client, event):
    response = send(client, event, reference="x", rating_overall="999")
    assert response.status_code == 302
    assert Feedback.objects.count() == 0


def test_sending_too_fast_asks_to_try_again(client, event, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 3
    response = send(client, event, started=fill_token(event.short_code))
    assert response.status_code == 200
    assert "sehr schnell" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_a_tampered_start_time_asks_to_try_again_with_a_fresh_one(client, event):
    response = send(client, event, started=event.short_code + ":1:forged")
    assert response.status_code == 200
    assert "erneut" in response.content.decode()
    renewed = response.context["form"].data["started"]
    assert renewed != event.short_code + ":1:forged"
    assert Feedback.objects.count() == 0


def test_over_the_rate_limit_the_visitor_gets_a_429(client, event, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    assert send(client, event).status_code == 302
    assert send(client, event).status_code == 302
    response = send(client, event)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Bitte versuchen Sie es in einer Stunde erneut" in response.content.decode()
    assert Feedback.objects.count() == 2


def test_the_rate_limit_is_per_client(client, event, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    assert send(client, event).status_code == 302
    other = client.post(
        url(event), feedback_form_data(event), REMOTE_ADDR="203.0.113.78"
    )
    assert other.status_code == 302
    assert Feedback.objects.count() == 2


def test_invalid_forms_do_not_use_up_the_limit(client, event, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    for _ in range(3):
        send(client, event, rating_overall="0")
    assert send(client, event).status_code == 302


def test_rate_limit_zero_is_off(client, event, settings):
    settings.FEEDBACK_RATE_LIMIT = 0
    for _ in range(15):
        assert send(client, event).status_code == 302
    assert Feedback.objects.count() == 15


# Queries


def many_rows(event):
    services = ServiceOfferingFactory.create_batch(12)
    event.services.set(services)
    for n in range(8):
        TargetGroupFactory(name=f"Gruppe {n}", slug=f"gruppe-{n}")
    FeedbackFactory.create_batch(30, event=event)
    return services


@pytest.mark.parametrize("rows", ["few", "many"])
def test_showing_the_form_takes_a_fixed_number_of_queries(
    client, event, rows, django_assert_num_queries, django_assert_max_num_queries
):
    if rows == "many":
        many_rows(event)
    # The first visitor: event, its and the place's texts, services and their
    # texts, target groups.
    with django_assert_max_num_queries(7):
        response = client.get(url(event))
    assert response.status_code == 200
    # Everyone else gets the stored page: the event (is the form open?).
    with django_assert_num_queries(1):
        again = Client().get(url(event))
    assert again.status_code == 200


@pytest.mark.parametrize("rows", ["few", "many"])
def test_sending_takes_a_fixed_number_of_queries(
    client, event, rows, django_assert_num_queries
):
    services = many_rows(event) if rows == "many" else [ServiceOfferingFactory()]
    if rows == "few":
        event.services.set(services)
    group = TargetGroupFactory(name="Familien", slug="familien")
    data = feedback_form_data(
        event,
        services_of_interest=[str(s.pk) for s in services],
        target_group=str(group.pk),
        comment="Gut",
    )
    # Event, chosen services, chosen target group; the savepoint of the test's
    # transaction; the answer; its totals added on (lock and upsert in one
    # statement, then its self-description: one statement on PostgreSQL, an
    # update and an insert on SQLite); its services; the savepoint's release.
    postgresql = connection.vendor == "postgresql"
    with django_assert_num_queries(9 if postgresql else 10):
        response = client.post(url(event), data)
    assert response.status_code == 302
    # The second answer finds the self-description's row: 9 on either.
    data["started"] = fill_token(event.short_code, issued_at=time.time() - 60)
    with django_assert_num_queries(9):
        response = client.post(url(event), data)
    assert response.status_code == 302


def test_the_thanks_page_takes_one_query(client, event, django_assert_num_queries):
    with django_assert_num_queries(3):
        client.get(url(event, "danke/"))


def test_something_else_is_stored_apart_from_no_answer(client, event):
    send(client, event, target_group="other")
    send(client, event, target_group="")
    stored = Feedback.objects.order_by("pk").values_list(
        "target_group", "describes_self_otherwise"
    )
    assert list(stored) == [(None, True), (None, False)]


def test_a_service_id_beyond_the_integer_range_is_a_form_error(client, event):
    response = send(client, event, services_of_interest=["9" * 40])
    assert response.status_code == 200
    assert "services_of_interest" in response.context["form"].errors
    assert Feedback.objects.count() == 0
