from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Location
from events.roles import COORDINATION, STAFF
from tests.events.test_images import jpeg_with_gps
from tests.factories import (
    EventFactory,
    LocationFactory,
    MaterialFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:events_event_changelist")


def action(client, name, events, **extra):
    return client.post(
        CHANGELIST,
        {"action": name, "_selected_action": [e.pk for e in events], **extra},
        follow=True,
    )


def test_event_list_shows_the_planning_columns(staff_client):
    service = ServiceOfferingFactory(title="Bewerbungscheck")
    event = EventFactory(services=[service])
    response = staff_client.get(CHANGELIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert event.title in content
    assert event.location.district.name in content
    assert "Bewerbungscheck" in content
    assert timezone.localtime(event.start).strftime("%d.%m.%Y") in content
    assert event.get_absolute_url() in content


def test_event_list_queries_do_not_grow(staff_client, django_assert_max_num_queries):
    for _ in range(30):
        EventFactory(services=[ServiceOfferingFactory()])
    # One is the user's Jobcenters (the switcher), one the page's announcements
    # (the "announcements due" column planning adds).
    with django_assert_max_num_queries(16):
        response = staff_client.get(CHANGELIST)
    assert response.status_code == 200


def test_event_list_filters_by_status_and_time(staff_client):
    earlier = timezone.now() - timedelta(days=3)
    past = EventFactory(published=True, start=earlier, end=earlier + timedelta(hours=2))
    upcoming = EventFactory()

    def listed(query):
        return list(staff_client.get(f"{CHANGELIST}?{query}").context["cl"].result_list)

    assert listed("status__exact=published") == [past]
    assert listed("when=past") == [past]
    assert listed("when=upcoming") == [upcoming]


def test_event_list_filters_by_district_and_category(staff_client):
    childcare = ServiceOfferingFactory(category="kinderbetreuung")
    wanted = EventFactory(services=[childcare])
    EventFactory()
    by_category = staff_client.get(f"{CHANGELIST}?category=kinderbetreuung")
    assert list(by_category.context["cl"].result_list) == [wanted]
    district = wanted.location.district.pk
    by_district = staff_client.get(
        f"{CHANGELIST}?location__district__id__exact={district}"
    )
    assert list(by_district.context["cl"].result_list) == [wanted]


def test_event_search_finds_by_location(staff_client):
    wanted = EventFactory(location=LocationFactory(name="Stadtgärtnerei"))
    EventFactory()
    response = staff_client.get(f"{CHANGELIST}?q=Stadtgärtnerei")
    assert list(response.context["cl"].result_list) == [wanted]


def test_publish_action(staff_client):
    event = EventFactory()
    response = action(staff_client, "publish", [event])
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert "1 Veranstaltung veröffentlicht" in response.content.decode()


def test_publish_action_explains_what_is_missing(staff_client):
    draft = Event.objects.create(title="Noch ohne Ort")
    response = action(staff_client, "publish", [draft])
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT
    assert "braucht einen Ort" in response.content.decode()


def test_cancel_action(staff_client):
    event = EventFactory(published=True)
    action(staff_client, "cancel", [event])
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_duplicate_action_asks_for_the_date_first(staff_client):
    event = EventFactory(published=True)
    response = action(staff_client, "duplicate", [event])
    assert response.status_code == 200
    assert "Neues Datum" in response.content.decode()
    assert Event.objects.count() == 1


def test_duplicate_action_copies_as_drafts(staff_client):
    event = EventFactory(published=True)
    day = timezone.localdate() + timedelta(days=30)
    action(staff_client, "duplicate", [event], day=day.isoformat())
    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.status == Event.Status.DRAFT
    assert timezone.localtime(copy.start).date() == day
    assert (
        timezone.localtime(copy.start).time() == timezone.localtime(event.start).time()
    )


def test_duplicate_action_refuses_a_past_date(staff_client):
    event = EventFactory(published=True)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = action(staff_client, "duplicate", [event], day=yesterday.isoformat())
    assert "heute oder einen Tag in der Zukunft" in response.content.decode()
    assert Event.objects.count() == 1


def test_add_event_with_photo_and_handout_inline(staff_client):
    location = LocationFactory()
    start = timezone.localtime(timezone.now() + timedelta(days=5)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    response = staff_client.post(
        reverse("admin:events_event_add"),
        {
            "title": "Neu im Quartier",
            "status": "draft",
            "location": location.pk,
            "start_0": start.strftime("%d.%m.%Y"),
            "start_1": "10:00:00",
            "end_0": start.strftime("%d.%m.%Y"),
            "end_1": "14:00:00",
            "languages": ["de", "ar"],
            "photo": SimpleUploadedFile("stand.jpg", jpeg_with_gps(), "image/jpeg"),
            "photo_alt": "Der Stand",
            "handouts-TOTAL_FORMS": "0",
            "handouts-INITIAL_FORMS": "0",
            # The announcement plan (an inline planning adds).
            "announcements-TOTAL_FORMS": "0",
            "announcements-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(translations__title="Neu im Quartier")
    assert event.languages == ["de", "ar"]
    assert event.photo_width == 1200


def test_admin_form_shows_overlap_error(staff_client):
    existing = EventFactory(title="Erster Termin")
    start = timezone.localtime(existing.start)
    response = staff_client.post(
        reverse("admin:events_event_add"),
        {
            "title": "Zweiter Termin",
            "status": "draft",
            "location": existing.location.pk,
            "start_0": start.strftime("%d.%m.%Y"),
            "start_1": "11:00:00",
            "end_0": start.strftime("%d.%m.%Y"),
            "end_1": "12:00:00",
            "handouts-TOTAL_FORMS": "0",
            "handouts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "bereits belegt" in response.content.decode()


def test_admin_form_refuses_handout_above_brought(staff_client):
    event = EventFactory()
    material = MaterialFactory()
    start = timezone.localtime(event.start)
    end = timezone.localtime(event.end)
    response = staff_client.post(
        reverse("admin:events_event_change", args=[event.pk]),
        {
            "title": event.title,
            "slug": event.slug,
            "status": "draft",
            "location": event.location.pk,
            "start_0": start.strftime("%d.%m.%Y"),
            "start_1": start.strftime("%H:%M:%S"),
            "end_0": end.strftime("%d.%m.%Y"),
            "end_1": end.strftime("%H:%M:%S"),
            "handouts-TOTAL_FORMS": "1",
            "handouts-INITIAL_FORMS": "0",
            "handouts-0-material": material.pk,
            "handouts-0-brought": "10",
            "handouts-0-handed_out": "12",
        },
    )
    assert response.status_code == 200
    assert "Mehr ausgegeben als mitgebracht" in response.content.decode()
    assert not event.handouts.exists()


def test_staff_can_edit_events_and_locations(staff_client):
    event = EventFactory()
    assert (
        staff_client.get(
            reverse("admin:events_event_change", args=[event.pk])
        ).status_code
        == 200
    )
    assert staff_client.get(reverse("admin:events_location_add")).status_code == 200
    assert staff_client.get(reverse("admin:events_material_add")).status_code == 200


def test_staff_cannot_change_districts_or_services(staff_client):
    assert staff_client.get(reverse("admin:events_district_add")).status_code == 403
    assert (
        staff_client.get(reverse("admin:events_serviceoffering_add")).status_code == 403
    )
    assert staff_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_coordinators_read_but_do_not_change(coordinator_client):
    event = EventFactory()
    change_url = reverse("admin:events_event_change", args=[event.pk])
    page = coordinator_client.get(change_url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert coordinator_client.get(reverse("admin:events_event_add")).status_code == 403
    coordinator_client.post(change_url, {"title": "Geändert"})
    event.refresh_from_db()
    assert event.title != "Geändert"


def test_coordinators_cannot_run_actions(coordinator_client):
    event = EventFactory()
    response = action(coordinator_client, "publish", [event])
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
    assert response.status_code == 200


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_setup_roles_gives_exactly_the_permissions_and_is_idempotent(roles):
    call_command("setup_roles", verbosity=0)
    staff = set(
        Group.objects.get(name=STAFF).permissions.values_list("codename", flat=True)
    )
    coordination = set(
        Group.objects.get(name=COORDINATION).permissions.values_list(
            "codename", flat=True
        )
    )
    assert {"add_event", "change_event", "delete_event", "change_location"} <= staff
    assert "change_district" not in staff and "view_summaries" not in staff
    assert "view_summaries" in coordination
    # Koordination only reads, but keeps its own Jobcenter's details up to date.
    assert all(code.startswith("view_") for code in coordination - {"change_jobcenter"})
    assert Group.objects.filter(name__in=[STAFF, COORDINATION]).count() == 2


def test_setup_roles_removes_permissions_given_by_hand(roles):
    group = Group.objects.get(name=COORDINATION)
    group.permissions.add(Permission.objects.get(codename="delete_event"))
    call_command("setup_roles", verbosity=0)
    assert not group.permissions.filter(codename="delete_event").exists()


def test_location_admin_lists_locations(staff_client):
    LocationFactory(name="Bürgerhaus")
    response = staff_client.get(reverse("admin:events_location_changelist"))
    assert "Bürgerhaus" in response.content.decode()
    assert Location.objects.count() == 1


@pytest.mark.parametrize("value", ["abc", "9" * 40, "1.5"])
def test_add_pages_ignore_unusable_related_ids_in_the_address(staff_client, value):
    for path, field in (
        ("/admin/events/review/add/", "event"),
        ("/admin/events/event/add/", "location"),
    ):
        response = staff_client.get(path, {field: value})
        assert response.status_code == 200, path
        assert response.context["adminform"].form.initial.get(field) is None
