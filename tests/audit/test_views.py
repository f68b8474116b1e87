"""The coordinators' list of changes at /auswertung/aenderungen/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, Review
from events.roles import STAFF
from feedback.models import ReviewQuote
from tests.events.test_views_assets import collect
from tests.factories import (
    DistrictFactory,
    EventFactory,
    FeedbackFactory,
    LocationFactory,
    ServiceOfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/auswertung/aenderungen/"
# A few per kind of record (constant in the number of changes); the
# Jobcenters' own records (memberships, host names, details) are three kinds.
MAX_QUERIES = 52


def change(obj, user=None, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    if user is not None:
        obj._history_user = user
    obj.save()
    return obj


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_the_coordinator_role_get_403(staff_client):
    assert staff_client.get(URL).status_code == 403


def test_the_list_shows_who_changed_what_old_and_new(coordinator_client, staff_user):
    location = LocationFactory(name="Quartierswerkstatt")
    change(location, staff_user, name="Quartierswerkstatt Oststadt")
    response = coordinator_client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("private")
        or "no-store" in response["Cache-Control"]
    )
    first = response.context["changes"][0]
    assert first.user == "mitarbeiterin"
    assert first.action == "~"
    assert [(f.old, f.new) for f in first.fields] == [
        ("Quartierswerkstatt", "Quartierswerkstatt Oststadt")
    ]
    assert "<del>Quartierswerkstatt</del> → <ins>Quartierswerkstatt Oststadt</ins>" in (
        content
    )


def test_a_foreign_key_shows_the_names_not_the_ids(coordinator_client):
    location = LocationFactory(district=DistrictFactory(name="Oststadt"))
    change(location, district=DistrictFactory(name="Weststadt"))
    first = coordinator_client.get(URL).context["changes"][0]
    assert [(f.old, f.new) for f in first.fields] == [("Oststadt", "Weststadt")]


def test_a_changed_service_list_shows_what_was_removed_and_added(coordinator_client):
    old, new = ServiceOfferingFactory(title="Alt"), ServiceOfferingFactory(title="Neu")
    event = EventFactory(services=[old])
    event.services.set([new])
    changes = coordinator_client.get(f"{URL}?art=event").context["changes"]
    shown = [(f.old, f.new) for c in changes for f in c.fields]
    assert ("Alt", "–") in shown
    assert ("–", "Neu") in shown


def test_filters_by_kind_person_action_and_period(coordinator_client, staff_user):
    other = UserFactory(username="zweite", groups=[STAFF])
    location = change(LocationFactory(), staff_user, name="Von Anna")
    change(EventFactory(), other, title="Von Zweite")
    location.delete()

    def listed(query):
        changes = coordinator_client.get(f"{URL}?{query}").context["changes"]
        return {(c.kind, c.action) for c in changes}

    assert listed("art=location&aktion=geaendert") == {("location", "~")}
    assert listed("art=location&aktion=geloescht") == {("location", "-")}
    assert listed(f"person={other.pk}") == {("event", "~")}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert listed(f"von={tomorrow}") == set()
    today = timezone.localdate().isoformat()
    assert ("location", "-") in listed(f"von={today}&bis={today}")


def test_the_history_link_shows_one_object(coordinator_client):
    event = change(EventFactory(title="Eins"), title="Eins, neu")
    change(EventFactory(title="Zwei"), title="Zwei, neu")
    response = coordinator_client.get(f"{URL}?art=event&objekt={event.pk}")
    assert {c.object_id for c in response.context["changes"]} == {event.pk}
    assert "Eins, neu" in response.content.decode()


def test_bad_filter_values_give_a_form_error_not_a_500(coordinator_client):
    response = coordinator_client.get(
        f"{URL}?art=passwort&person=x&aktion=alles&von=gestern&objekt=-1&seite=zz"
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"art", "person", "aktion", "von", "objekt"}


def test_a_deleted_object_still_shows_under_its_name(coordinator_client):
    event = EventFactory(title="Abgesagt und gelöscht")
    event.delete()
    first = coordinator_client.get(URL).context["changes"][0]
    assert first.action == "-"
    assert first.object_label.startswith("Abgesagt und gelöscht")


def test_rows_link_to_the_admin_history_where_the_user_may_look(coordinator_client):
    event = change(EventFactory(), title="Neu")
    first = coordinator_client.get(URL).context["changes"][0]
    assert first.admin_history_url == f"/admin/events/event/{event.pk}/history/"


def test_the_list_runs_a_fixed_number_of_queries(
    coordinator_client, staff_user, django_assert_max_num_queries
):
    def make(n):
        for i in range(n):
            event = EventFactory(services=[ServiceOfferingFactory()])
            change(event, staff_user, title=f"Neu {i}", status=Event.Status.PUBLISHED)
            change(event.location, staff_user, name=f"Ort {i}")

    # Per kind on the page: its rows, their predecessors, many-to-many snapshots
    # and the names the values refer to; never per row.
    make(1)
    with django_assert_max_num_queries(MAX_QUERIES):
        coordinator_client.get(URL)
    make(30)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = coordinator_client.get(URL)
    assert len(response.context["changes"]) == 50


def test_the_page_has_no_inline_script_or_style_and_only_local_assets(
    coordinator_client,
):
    change(LocationFactory(), name="Neu")
    html = coordinator_client.get(URL).content.decode()
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert 'src="/static/' in attrs and not body.strip()
    assert "<style" not in html
    assert " style=" not in html
    for url in collect(html).assets:
        assert url.startswith(("/static/", "/marke.css?")), url


def test_the_page_is_in_english_under_en(coordinator_client):
    change(LocationFactory(name="Alt"), name="Neu")
    response = coordinator_client.get(f"/en{URL}")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Changes</h1>" in content
    assert response.context["changes"][0].action_label == "changed"


def test_a_quote_is_listed_under_its_review(coordinator_client):
    feedback = FeedbackFactory(comment="Sehr hilfreich.", may_publish=True)
    review = Review.objects.create(event=feedback.event, headline="Rückblick Oststadt")
    ReviewQuote.objects.create(review=review, feedback=feedback)
    response = coordinator_client.get(f"{URL}?art=reviewquote")
    assert response.status_code == 200
    labels = [c.object_label for c in response.context["changes"]]
    assert labels == ["Rückblick Oststadt"]


def test_deleting_an_object_is_one_change_not_one_per_language(coordinator_client):
    event = EventFactory(title="Einmal gelöscht")
    event.set_current_language("uk")
    event.title = "Видалено"
    event.save()
    event.delete()
    deleted = [
        c
        for c in coordinator_client.get(URL, {"aktion": "geloescht"}).context["changes"]
        if c.action == "-"
    ]
    assert [(c.kind, c.object_label) for c in deleted] == [("event", "Einmal gelöscht")]


def test_deleting_one_language_is_listed_under_its_object(coordinator_client):
    event = EventFactory(title="Bleibt")
    event.set_current_language("uk")
    event.title = "Залишається"
    event.save()
    event.translations.get(language_code="uk").delete()
    first = coordinator_client.get(URL).context["changes"][0]
    assert (first.kind, first.action, first.object_id) == ("event", "-", event.pk)
    assert first.object_label == f"{event} (uk)"
