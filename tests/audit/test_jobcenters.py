"""The audit trail of one Jobcenter shows none of another's changes."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.history import history_of
from events.models import Event, Location
from events.roles import STAFF
from jobcenters.hosts import forget_all
from jobcenters.models import Host, Jobcenter
from jobcenters.scoping import jobcenter_scope
from tests.accounts import force_login_verified
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/auswertung/aenderungen/"


@pytest.fixture
def other(jobcenter, roles):
    """Jobcenter B with an event and a staff account, changed by B's staff."""
    Host.objects.get_or_create(jobcenter=jobcenter, name="testserver")
    b = Jobcenter.objects.create(name="Jobcenter B", slug="jobcenter-b")
    forget_all()
    with jobcenter_scope(b):
        staff = UserFactory(username="b-staff", first_name="Bertha", groups=[STAFF])
        event = EventFactory(title="Termin von B")
        event._history_user = staff
        event.title = "Geänderter Termin von B"
        event.save()
    return b, event, staff


def test_history_of_keeps_to_the_jobcenter(other, jobcenter):
    b, event, staff = other
    ours = EventFactory(title="Unser Termin")
    assert set(history_of(Event).values_list("id", flat=True)) == {ours.pk}
    texts = history_of(Event._parler_meta.root_model).values_list(
        "master_id", flat=True
    )
    assert set(texts) == {ours.pk}
    assert not history_of(Location).filter(id=event.location_id).exists()
    users = history_of(get_user_model()).values_list("id", flat=True)
    assert staff.pk not in set(users)
    assert staff.pk in set(
        history_of(get_user_model(), every_account=True).values_list("id", flat=True)
    )
    with jobcenter_scope(b):
        assert set(history_of(Event).values_list("id", flat=True)) == {event.pk}


def test_the_list_and_its_person_filter_show_nothing_of_another_jobcenter(
    other, coordinator_client
):
    _b, _event, staff = other
    response = coordinator_client.get(URL)
    content = response.content.decode()
    assert "Termin von B" not in content
    assert "b-staff" not in content
    assert staff not in response.context["form"].fields["person"].queryset
    response = coordinator_client.get(f"{URL}?person={staff.pk}")
    assert "Termin von B" not in response.content.decode()


def test_the_operator_sees_every_account(other, client):
    _b, _event, _staff = other
    root = UserFactory(username="root", is_superuser=True)
    force_login_verified(client, root)
    response = client.get(f"{URL}?art=user")
    assert "b-staff" in response.content.decode()


def test_the_admin_history_of_another_jobcenters_object_is_not_found(
    other, coordinator_client
):
    _b, event, _staff = other
    record = event.history.latest()
    history = reverse("admin:events_event_history", args=[event.pk])
    one = reverse(
        "admin:events_event_simple_history", args=[event.pk, record.history_id]
    )
    assert coordinator_client.get(history).status_code == 404
    assert coordinator_client.get(one).status_code == 404
