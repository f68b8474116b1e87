"""Changes to the tracked models are recorded: who, when, old and new values."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from events import services
from events.models import Event, Location, MaterialHandout
from jobcenters.models import Jobcenter
from tests.accounts import force_login_verified
from tests.events.test_admin import action
from tests.factories import (
    EventFactory,
    LocationFactory,
    MaterialHandoutFactory,
    ServiceOfferingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_an_admin_change_records_the_user_and_both_values(staff_client, staff_user):
    location = LocationFactory(name="Quartierswerkstatt")
    url = reverse("admin:events_location_change", args=[location.pk])
    data = {
        "name": "Quartierswerkstatt Oststadt",
        "district": location.district_id,
        "foot_traffic": "high",
        "street": location.street,
        "postcode": location.postcode,
        "city": location.city,
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302
    latest, before = location.history.all()[:2]
    assert latest.history_type == "~"
    assert latest.history_user == staff_user
    delta = latest.diff_against(before)
    changed = {change.field: (change.old, change.new) for change in delta.changes}
    assert changed["foot_traffic"] == ("medium", "high")
    # The name is a text: its German translation row keeps its own history.
    texts = location.translations.get(language_code="de").history.all()
    latest_text, before_text = texts[:2]
    assert latest_text.history_user == staff_user
    renamed = {
        c.field: (c.old, c.new) for c in latest_text.diff_against(before_text).changes
    }
    assert renamed["name"] == ("Quartierswerkstatt", "Quartierswerkstatt Oststadt")


def test_deleting_is_recorded(staff_client, staff_user):
    location = LocationFactory()
    url = reverse("admin:events_location_delete", args=[location.pk])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Location.objects.filter(pk=location.pk).exists()
    deleted = Location.history.filter(id=location.pk).first()
    assert deleted.history_type == "-"
    assert deleted.history_user == staff_user


def test_deleting_an_event_records_its_handouts_deleted_with_it():
    handout = MaterialHandoutFactory()
    handout.event.delete()
    assert MaterialHandout.history.filter(id=handout.pk, history_type="-").exists()


def test_publishing_several_events_leaves_one_record_each_with_a_reason(
    staff_client, staff_user
):
    events = [EventFactory(), EventFactory()]
    action(staff_client, "publish", events)
    for event in events:
        latest = event.history.first()
        assert latest.status == Event.Status.PUBLISHED
        assert latest.history_user == staff_user
        assert latest.history_change_reason == "Published"
        assert event.history.filter(history_type="~").count() == 1


def test_cancelling_records_a_reason(staff_client):
    event = EventFactory(published=True)
    action(staff_client, "cancel", [event])
    assert event.history.first().history_change_reason == "Cancelled"


def test_duplicating_records_the_copy_and_each_of_its_handouts():
    handout = MaterialHandoutFactory(brought=50)
    copy = services.duplicate_event(
        handout.event, start=handout.event.start + timedelta(days=7)
    )
    assert copy.history.filter(history_type="+").exists()
    copied = MaterialHandout.objects.get(event=copy)
    assert copied.history.filter(history_type="+", brought=50).exists()


def test_a_changed_service_list_is_kept_with_the_event():
    event = EventFactory()
    offered = ServiceOfferingFactory(title="Bewerbungscheck")
    event.services.add(offered)
    latest = event.history.first()
    assert [s.serviceoffering_id for s in latest.services.all()] == [offered.pk]


def test_the_password_hash_is_never_kept_but_a_new_password_is_noted():
    user = UserFactory(username="anna")
    user.set_password("a-new-secret-passphrase")
    user.save()
    history_model = user.history.model
    assert "password" not in {f.name for f in history_model._meta.fields}
    assert user.history.first().history_change_reason == "Password changed"


def test_logging_in_adds_no_history_row(client):
    UserFactory(username="anna")
    user = get_user_model().objects.get(username="anna")
    before = user.history.count()
    response = client.post(
        reverse("admin:login"),
        {"username": "anna", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == before


def test_group_membership_changes_are_recorded(roles):
    user = UserFactory(username="anna")
    user.groups.add(Group.objects.get(name="Koordination"))
    latest = user.history.first()
    assert [g.group.name for g in latest.groups.all()] == ["Koordination"]


def test_the_admin_history_view_shows_old_and_new_values(
    coordinator_client, staff_user
):
    location = LocationFactory(name="Alter Name")
    location._history_user = staff_user
    location.name = "Neuer Name"
    location.foot_traffic = "high"
    location.save()
    response = coordinator_client.get(
        reverse("admin:events_location_history", args=[location.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Neuer Name" in content  # the object's name, as the page names it
    assert "high" in content or "hoch" in content
    # Texts are kept per language: their old and new values are in the list of
    # changes, under the object they belong to.
    listed = coordinator_client.get(
        reverse("audit:changes"), {"art": "location", "objekt": location.pk}
    ).content.decode()
    assert "Alter Name" in listed
    assert "Neuer Name" in listed


def test_the_admin_history_of_an_account_shows_no_password_hash(client):
    admin = UserFactory(username="admin", is_superuser=True)
    user = UserFactory(username="anna")
    user.first_name = "Anna"
    user.set_password("a-new-secret-passphrase")
    user.save()
    force_login_verified(client, admin)
    response = client.get(reverse("admin:auth_user_history", args=[user.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Anna" in content
    assert get_user_model().objects.get(pk=user.pk).password not in content


def test_roles_given_in_a_jobcenter_are_in_its_list_of_changes(jobcenter):
    from audit.history import history_of
    from jobcenters.models import Membership
    from jobcenters.scoping import jobcenter_scope

    user = UserFactory(username="neu")
    Membership.objects.create(user=user, jobcenter=jobcenter, role="koordination")
    other = Jobcenter.objects.create(name="Jobcenter Zwei", slug="zwei")
    Membership.objects.create(user=user, jobcenter=other, role="mitarbeitende")
    assert list(history_of(Membership).values_list("role", flat=True)) == [
        "koordination"
    ]
    with jobcenter_scope(other):
        assert list(history_of(Membership).values_list("role", flat=True)) == [
            "mitarbeitende"
        ]
        assert list(history_of(Jobcenter).values_list("name", flat=True)) == [
            "Jobcenter Zwei"
        ]
