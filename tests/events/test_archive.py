"""Archiving instead of deleting what answers, counts or events refer to."""

import pytest
from django.urls import reverse

from events.dependents import dependents
from events.models import Event, ServiceOffering, TargetGroup
from feedback.forms import FeedbackForm
from tests.accounts import force_login_verified
from tests.factories import (
    ContactCountFactory,
    EventFactory,
    FeedbackFactory,
    LocationFactory,
    MaterialFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    force_login_verified(client, UserFactory(username="admin", is_superuser=True))
    return client


def test_dependents_counts_answers_contacts_and_events_without_importing_feedback():
    group = TargetGroupFactory(name="Familien")
    event = EventFactory(target_groups=[group])
    FeedbackFactory.create_batch(3, event=event, target_group=group)
    ContactCountFactory(event=event, target_group=group)
    counted = {d.relation: (d.count, d.effect) for d in dependents(group)}
    assert counted["feedback.feedback.target_group"] == (3, "wird zu „keine Angabe“")
    assert counted["feedback.contactcount.target_group"][0] == 1
    assert counted["events.event.target_groups"] == (1, "die Verknüpfung wird entfernt")


def test_the_delete_page_names_the_numbers_and_offers_archiving(admin_client):
    service = ServiceOfferingFactory(title="Kinderbetreuung")
    FeedbackFactory.create_batch(2, services_of_interest=[service])
    ContactCountFactory(service=service)
    response = admin_client.get(
        reverse("admin:events_serviceoffering_delete", args=[service.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    rows = {d.relation: d for d in response.context["dependents"]}
    answers = rows["feedback.feedback.services_of_interest"]
    assert answers.count == 2
    assert rows["feedback.contactcount.service"].count == 1
    assert f"<td>{answers.label}</td><td>2</td>" in content
    assert "Stattdessen archivieren" in content


def test_bulk_delete_is_not_offered(admin_client):
    response = admin_client.get(reverse("admin:events_targetgroup_changelist"))
    actions = dict(response.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions
    assert "archive" in actions


def test_the_archive_action_archives_and_is_recorded(admin_client):
    group = TargetGroupFactory()
    response = admin_client.post(
        reverse("admin:events_targetgroup_changelist"),
        {"action": "archive", "_selected_action": [group.pk]},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.archived
    assert group.history.first().history_change_reason == "Archived"


def test_an_archived_service_is_no_longer_offered_but_old_answers_keep_it(
    admin_client,
):
    kept = ServiceOfferingFactory(title="Bewerbungscheck")
    gone = ServiceOfferingFactory(title="Alte Sprechstunde")
    answer = FeedbackFactory(services_of_interest=[gone])
    ServiceOffering.objects.filter(pk=gone.pk).update(archived=True)
    event = EventFactory(published=True)

    offered = FeedbackForm(event=event).fields["services_of_interest"].queryset
    assert list(offered) == [kept]

    # The old answer still shows it, in its change form and its data.
    response = admin_client.get(
        reverse("admin:feedback_feedback_change", args=[answer.pk])
    )
    assert response.status_code == 200
    assert "Alte Sprechstunde" in response.content.decode()
    assert list(answer.services_of_interest.all()) == [gone]


def test_an_archived_location_is_not_offered_for_a_new_event(admin_client):
    LocationFactory(name="Offen")
    closed = LocationFactory(name="Geschlossen", archived=True)
    response = admin_client.get(reverse("admin:events_event_add"))
    offered = response.context["adminform"].form.fields["location"].queryset
    assert closed not in offered
    event = EventFactory(location=closed)
    response = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert closed in response.context["adminform"].form.fields["location"].queryset


def test_an_archived_target_group_leaves_the_public_filter(client):
    TargetGroupFactory(name="Alleinerziehende", slug="alleinerziehende", archived=True)
    TargetGroupFactory(name="Familien", slug="familien")
    content = client.get("/").content.decode()
    assert "Familien" in content
    assert "Alleinerziehende" not in content


def test_archiving_keeps_the_event_and_its_answers():
    group = TargetGroupFactory()
    FeedbackFactory(target_group=group)
    TargetGroup.objects.filter(pk=group.pk).update(archived=True)
    assert Event.objects.count() == 1
    assert group.feedback.count() == 1


def test_the_location_search_for_an_event_leaves_out_archived_places(admin_client):
    LocationFactory(name="Werkstatt offen")
    LocationFactory(name="Werkstatt zu", archived=True)
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "events",
            "model_name": "event",
            "field_name": "location",
            "term": "Werkstatt",
        },
    )
    assert response.status_code == 200
    names = [row["text"] for row in response.json()["results"]]
    assert len(names) == 1
    assert names[0].startswith("Werkstatt offen")


def test_the_counting_page_leaves_out_archived_groups_and_services(staff_client):
    from tests.feedback.test_team import today_at

    EventFactory(published=True, start=today_at(0), end=today_at(23))
    families = TargetGroupFactory(name="Familien")
    gone_group = TargetGroupFactory(name="Alt", archived=True)
    childcare = ServiceOfferingFactory(title="Kinderbetreuung")
    gone_service = ServiceOfferingFactory(title="Alte Sprechstunde", archived=True)
    content = staff_client.get("/team/").content.decode()
    assert f'name="target_group" value="{families.pk}"' in content
    assert f'name="service" value="{childcare.pk}"' in content
    assert f'name="target_group" value="{gone_group.pk}"' not in content
    assert f'name="service" value="{gone_service.pk}"' not in content


def test_the_feedback_form_leaves_out_archived_target_groups():
    TargetGroupFactory(name="Familien")
    gone = TargetGroupFactory(name="Alt", archived=True)
    form = FeedbackForm(event=EventFactory(published=True))
    assert gone not in form.fields["target_group"].queryset
    assert form.fields["target_group"].queryset.count() == 1


def test_a_material_keeps_its_archived_service_but_new_ones_cannot_choose_it(
    admin_client,
):
    gone = ServiceOfferingFactory(title="Alte Sprechstunde", archived=True)
    response = admin_client.get(reverse("admin:events_material_add"))
    assert gone not in response.context["adminform"].form.fields["service"].queryset
    material = MaterialFactory(service=gone)
    response = admin_client.get(
        reverse("admin:events_material_change", args=[material.pk])
    )
    assert gone in response.context["adminform"].form.fields["service"].queryset
