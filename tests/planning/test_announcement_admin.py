"""The announcement plan in the event admin: inline, "done by", due column and filter."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.models import Announcement
from tests.factories import EventFactory, UserFactory
from tests.planning.test_announcement_rules import event_in, plan

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:events_event_changelist")
Channel = Announcement.Channel


def change_form_data(client, event, initial: int = 0) -> dict:
    """The change form's values for the event, as a browser would send them."""
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    return {
        "title": event.title,
        "motto": event.motto,
        "status": event.status,
        "location": event.location_id,
        "start_0": start.strftime("%d.%m.%Y"),
        "start_1": start.strftime("%H:%M:%S"),
        "end_0": end.strftime("%d.%m.%Y"),
        "end_1": end.strftime("%H:%M:%S"),
        "languages": event.languages,
        "slug": event.slug,
        "handouts-TOTAL_FORMS": "0",
        "handouts-INITIAL_FORMS": "0",
        "announcements-TOTAL_FORMS": str(initial),
        "announcements-INITIAL_FORMS": str(initial),
    }


def test_the_inline_saves_and_sets_done_by_to_the_current_user(
    staff_client, staff_user
):
    event = event_in(20)
    data = change_form_data(staff_client, event)
    today = timezone.localdate()
    data.update(
        {
            "announcements-TOTAL_FORMS": "2",
            "announcements-0-channel": "poster",
            "announcements-0-planned_for": (today + timedelta(days=6)).strftime(
                "%d.%m.%Y"
            ),
            "announcements-0-done_on": today.strftime("%d.%m.%Y"),
            "announcements-0-quantity": "12",
            "announcements-0-details": "Supermarkt Oststadt",
            "announcements-1-channel": "press",
            "announcements-1-planned_for": today.strftime("%d.%m.%Y"),
        }
    )
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), data
    )
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"][-1].formset
    ]
    poster, press = event.announcements.order_by("channel")
    assert (poster.channel, poster.quantity, poster.details) == (
        "poster",
        12,
        "Supermarkt Oststadt",
    )
    assert poster.done_by == staff_user
    assert press.done_on is None and press.done_by is None
    assert poster.jobcenter_id == event.jobcenter_id


def test_a_chosen_colleague_is_kept_as_done_by(staff_client):
    colleague = UserFactory(username="kollege", is_staff=True)
    event = event_in(20)
    announcement = plan(event, Channel.LETTER)
    data = change_form_data(staff_client, event, initial=1)
    data.update(
        {
            "announcements-0-id": announcement.pk,
            "announcements-0-event": event.pk,
            "announcements-0-channel": "letter",
            "announcements-0-planned_for": announcement.planned_for.strftime(
                "%d.%m.%Y"
            ),
            "announcements-0-done_on": timezone.localdate().strftime("%d.%m.%Y"),
            "announcements-0-done_by": colleague.pk,
        }
    )
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), data
    )
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.done_by == colleague


def test_the_inline_refuses_a_missing_channel_and_overlong_details(staff_client):
    event = event_in(20)
    data = change_form_data(staff_client, event)
    data.update(
        {
            "announcements-TOTAL_FORMS": "1",
            "announcements-0-planned_for": "kein Datum",
            "announcements-0-details": "<script>alert(1)</script>" * 40,
        }
    )
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]), data
    )
    assert response.status_code == 200
    (errors,) = response.context["inline_admin_formsets"][-1].formset.errors
    assert {"channel", "planned_for", "details"} <= set(errors)
    assert b"<script>alert(1)" not in response.content
    assert not event.announcements.exists()


def test_coordinators_see_the_plan_but_cannot_change_it(coordinator_client):
    event = event_in(20)
    plan(event, Channel.POSTER, details="Bibliothek")
    response = coordinator_client.get(
        reverse("admin:events_event_change", args=[event.pk])
    )
    assert response.status_code == 200
    assert "Bibliothek" in response.content.decode()
    assert 'name="announcements-0-details"' not in response.content.decode()


def test_the_list_shows_what_is_due(staff_client):
    soon = event_in(16, title="Bald")
    plan(soon, Channel.SOCIAL_MEDIA, planned_in=-2)
    ready = event_in(16, title="Fertig")
    plan(ready, Channel.POSTER, done=True)
    plan(ready, Channel.PARTNER, done=True)
    response = staff_client.get(CHANGELIST)
    content = response.content.decode()
    assert "Ankündigungen fällig" in content
    assert "soziale Medien fällig seit 2 Tagen" in content
    assert "Partner informiert fällig seit 5 Tagen" in content
    assert content.count("Plakate fällig in 2 Tagen") == 1


def test_the_filters_show_overdue_and_due_dates(staff_client):
    overdue = event_in(16, title="Überfällig")
    due = event_in(30, title="Bald fällig")
    plan(due, Channel.PARTNER, planned_in=2)
    plan(due, Channel.POSTER, planned_in=12)
    calm = event_in(60, title="Noch Zeit")

    def listed(value):
        response = staff_client.get(CHANGELIST, {"ankuendigungen": value})
        assert response.status_code == 200
        return {event.pk for event in response.context["cl"].result_list}

    assert listed("ueberfaellig") == {overdue.pk}
    assert listed("faellig") == {overdue.pk, due.pk}
    assert calm.pk in listed("")


@pytest.mark.parametrize("value", ["<script>", "x" * 5000, "ueberfaellig\x00"])
def test_the_filter_ignores_unknown_values(staff_client, value):
    event_in(16)
    response = staff_client.get(CHANGELIST, {"ankuendigungen": value})
    assert response.status_code in (200, 302)


def test_the_due_column_costs_one_query_for_the_page(
    staff_client, django_assert_num_queries
):
    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(CHANGELIST).status_code == 200
        return len(queries)

    for days in (5, 16, 25):
        plan(event_in(days), Channel.PRESS, planned_in=days - 12)
    few = count_queries()
    for days in range(30):
        event = EventFactory(start=timezone.now() + timedelta(days=days, hours=1))
        plan(event, Channel.POSTER)
        plan(event, Channel.LETTER, done=True)
    assert count_queries() == few
