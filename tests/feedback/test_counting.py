from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from events.models import Event
from feedback import selectors, services
from feedback.models import ContactCount
from tests.factories import (
    ContactCountFactory,
    EventFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def today_at(hour: int, *, days: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def event():
    return EventFactory(published=True, start=today_at(8), end=today_at(20))


@pytest.fixture
def user():
    return UserFactory()


def test_count_contact_inserts_one_conversation_by_the_user(event, user):
    group, service = TargetGroupFactory(), ServiceOfferingFactory()

    count = services.count_contact(event, user, target_group=group, service=service)

    count.refresh_from_db()
    assert (count.event, count.counted_by, count.quantity) == (event, user, 1)
    assert (count.target_group, count.service) == (group, service)


def test_count_contact_without_details_is_still_a_conversation(event, user):
    services.count_contact(event, user)

    assert selectors.contact_totals(event).overall == 1


def test_each_tap_is_its_own_row(event, user):
    for _ in range(3):
        services.count_contact(event, user)

    assert ContactCount.objects.filter(event=event).count() == 3


def test_undo_deletes_the_users_most_recent_count(event, user):
    first = services.count_contact(event, user)
    last = services.count_contact(event, user)

    undone = services.undo_last_count(event, user)

    assert undone.pk == last.pk
    assert list(ContactCount.objects.values_list("pk", flat=True)) == [first.pk]


def test_undo_leaves_other_staffs_counts_alone(event, user):
    mine = services.count_contact(event, user)
    services.count_contact(event, UserFactory())  # a colleague counts afterwards

    undone = services.undo_last_count(event, user)

    assert undone.pk == mine.pk
    assert ContactCount.objects.count() == 1
    assert ContactCount.objects.get().counted_by != user


def test_undo_leaves_counts_at_other_events_alone(event, user):
    other = EventFactory(published=True, start=today_at(9), end=today_at(12))
    services.count_contact(other, user)

    assert services.undo_last_count(event, user) is None
    assert ContactCount.objects.count() == 1


def test_undo_works_just_inside_the_window(event, user):
    now = timezone.now()
    ContactCountFactory(
        event=event, counted_by=user, counted_at=now - services.UNDO_WINDOW
    )

    assert services.undo_last_count(event, user, now=now) is not None
    assert ContactCount.objects.count() == 0


def test_undo_refuses_a_count_older_than_the_window(event, user):
    now = timezone.now()
    ContactCountFactory(
        event=event,
        counted_by=user,
        counted_at=now - services.UNDO_WINDOW - timedelta(seconds=1),
    )

    assert services.undo_last_count(event, user, now=now) is None
    assert ContactCount.objects.count() == 1


def test_undo_with_nothing_to_undo_returns_none(event, user):
    assert services.undo_last_count(event, user) is None


def test_totals_sum_quantities_per_group_service_and_overall(event, user):
    families, migrants = TargetGroupFactory(), TargetGroupFactory()
    childcare = ServiceOfferingFactory()
    ContactCountFactory(event=event, target_group=families, service=childcare)
    ContactCountFactory(event=event, target_group=families, quantity=4)
    ContactCountFactory(event=event, target_group=migrants, service=childcare)
    ContactCountFactory(event=event)
    ContactCountFactory(event=EventFactory(published=True), quantity=9)

    totals = selectors.contact_totals(event)

    assert totals.overall == 7
    assert totals.by_group == {families.pk: 5, migrants.pk: 1, None: 1}
    assert totals.by_service == {childcare.pk: 2, None: 5}


def test_totals_take_one_query(event, django_assert_num_queries):
    ContactCountFactory.create_batch(30, event=event, target_group=TargetGroupFactory())
    with django_assert_num_queries(1):
        selectors.contact_totals(event)


def test_board_offers_the_events_services_or_all(event):
    planned, _other = ServiceOfferingFactory(), ServiceOfferingFactory()
    assert len(selectors.count_board(event).services) == 2
    event.services.set([planned])
    assert [row.id for row in selectors.count_board(event).services] == [planned.pk]


def test_countable_events_are_published_and_take_place_today():
    today = EventFactory(published=True, start=today_at(8), end=today_at(20))
    overnight = EventFactory(
        published=True, start=today_at(20, days=-1), end=today_at(1)
    )
    EventFactory(start=today_at(8), end=today_at(20))  # draft
    EventFactory(cancelled=True, start=today_at(8), end=today_at(20))
    EventFactory(published=True, start=today_at(8, days=1), end=today_at(12, days=1))
    EventFactory(published=True, start=today_at(8, days=-1), end=today_at(12, days=-1))

    assert list(selectors.countable_events()) == [overnight, today]


def test_next_countable_event_is_the_first_published_after_today():
    EventFactory(published=True, start=today_at(8), end=today_at(20))
    EventFactory(cancelled=True, start=today_at(8, days=1), end=today_at(12, days=1))
    later = EventFactory(
        published=True, start=today_at(8, days=3), end=today_at(12, days=3)
    )
    EventFactory(published=True, start=today_at(8, days=5), end=today_at(12, days=5))

    assert selectors.next_countable_event() == later
    assert Event.objects.count() == 4
