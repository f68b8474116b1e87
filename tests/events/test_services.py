from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event
from events.services import cancel_event, duplicate_event, publish_event, same_time_on
from tests.factories import (
    EventFactory,
    MaterialHandoutFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_publish_makes_an_event_public():
    event = publish_event(EventFactory())
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_publish_refuses_an_event_without_a_place():
    event = Event.objects.create(title="Entwurf")
    with pytest.raises(ValidationError):
        publish_event(event)
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


def test_cancel_keeps_the_event_public_as_cancelled():
    event = cancel_event(EventFactory(published=True))
    assert event in Event.objects.public()
    assert event.is_cancelled


def test_duplicate_copies_to_a_new_date_as_a_draft():
    service, group = ServiceOfferingFactory(), TargetGroupFactory()
    original = EventFactory(published=True, services=[service], target_groups=[group])
    handout = MaterialHandoutFactory(event=original, brought=50, handed_out=20)
    new_start = original.start + timedelta(days=14)
    copy = duplicate_event(original, start=new_start)
    assert copy.pk != original.pk
    assert copy.status == Event.Status.DRAFT
    assert (copy.start, copy.end) == (new_start, new_start + original.duration)
    assert list(copy.services.all()) == [service]
    assert list(copy.target_groups.all()) == [group]
    copied = copy.handouts.get()
    assert (copied.material, copied.brought, copied.handed_out) == (
        handout.material,
        50,
        0,
    )
    assert copy.slug != original.slug


def test_duplicate_onto_a_busy_slot_is_refused():
    original = EventFactory()
    with pytest.raises(ValidationError, match="bereits belegt"):
        duplicate_event(original, start=original.start + timedelta(hours=1))
    assert Event.objects.count() == 1


def test_same_time_on_keeps_the_local_time_across_daylight_saving():
    summer = EventFactory.build(start=datetime(2025, 7, 1, 8, 0, tzinfo=UTC))
    winter = same_time_on(summer, date(2025, 12, 1))
    assert timezone.localtime(winter).hour == 10
