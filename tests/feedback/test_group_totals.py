"""FeedbackGroupTotals: each event's answers per self-description, kept in step."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Count

from feedback.models import Feedback, FeedbackGroupTotals, FeedbackTotals
from tests.factories import EventFactory, FeedbackFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db


def stored(event) -> set:
    return set(
        FeedbackGroupTotals.objects.filter(event=event).values_list(
            "target_group", "describes_self_otherwise", "feedback"
        )
    )


def counted(event) -> set:
    """The same counts straight from the answers, for comparison."""
    return set(
        Feedback.objects.filter(event=event)
        .order_by()
        .values_list("target_group", "describes_self_otherwise")
        .annotate(n=Count("event"))
    )


@pytest.fixture
def families():
    return TargetGroupFactory(name="Familien")


def test_answers_are_counted_per_self_description(families):
    event, other = EventFactory.create_batch(2)
    FeedbackFactory.create_batch(2, event=event, target_group=families)
    FeedbackFactory(event=event, describes_self_otherwise=True)
    FeedbackFactory(event=event)
    FeedbackFactory(event=other, target_group=families)
    assert stored(event) == {(families.pk, False, 2), (None, True, 1), (None, False, 1)}
    assert stored(other) == {(families.pk, False, 1)}


def test_a_corrected_self_description_is_recounted(families):
    feedback = FeedbackFactory(target_group=families)
    feedback.target_group = None
    feedback.describes_self_otherwise = True
    feedback.save()
    assert stored(feedback.event) == {(None, True, 1)}


def test_bulk_writes_and_deletes_are_recounted(families):
    event, other = EventFactory.create_batch(2)
    created = Feedback.objects.bulk_create(
        [Feedback(event=event, rating_overall=n) for n in (1, 2, 3)]
    )
    assert stored(event) == {(None, False, 3)}

    Feedback.objects.filter(pk=created[0].pk).update(target_group=families)
    created[1].describes_self_otherwise = True
    Feedback.objects.bulk_update(created[1:2], ["describes_self_otherwise"])
    assert stored(event) == {(families.pk, False, 1), (None, True, 1), (None, False, 1)}

    Feedback.objects.filter(pk=created[2].pk).update(event=other)
    Feedback.objects.filter(pk=created[0].pk).delete()
    assert stored(event) == {(None, True, 1)} == counted(event)
    assert stored(other) == {(None, False, 1)} == counted(other)


def test_a_deleted_target_group_turns_into_no_answer_on_both_sides(families):
    event = EventFactory()
    FeedbackFactory(event=event, target_group=families)
    FeedbackFactory(event=event)
    families.delete()
    summed = FeedbackGroupTotals.objects.filter(event=event).values_list(
        "target_group", "feedback"
    )
    assert sorted(summed) == [(None, 1), (None, 1)]  # two rows, both "no answer"
    FeedbackTotals.objects.refresh([event.pk])
    assert stored(event) == {(None, False, 2)} == counted(event)


def test_refresh_and_rebuild_repair_answers_written_around_the_orm(families):
    event = EventFactory()
    FeedbackFactory(event=event, target_group=families)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO feedback_feedback (jobcenter_id, event_id, submitted_at, source,"
            " rating_overall, heard_via, comment, may_publish)"
            " VALUES (%s, %s, %s, 'paper', 5, '', '', false)",
            [event.jobcenter_id, event.pk, event.start],
        )
    assert stored(event) == {(families.pk, False, 1)}

    FeedbackTotals.objects.refresh([event.pk])
    assert (
        stored(event) == counted(event) == {(families.pk, False, 1), (None, False, 1)}
    )

    FeedbackGroupTotals.objects.all().delete()
    FeedbackTotals.objects.rebuild()
    assert stored(event) == counted(event)


def test_the_migration_counts_the_feedback_already_stored(families):
    migration = importlib.import_module(
        "feedback.migrations.0007_feedback_group_totals"
    )
    event = EventFactory()
    FeedbackFactory(event=event, target_group=families)
    FeedbackFactory(event=event, describes_self_otherwise=True)
    expected = stored(event)
    FeedbackGroupTotals.objects.all().delete()

    migration.count_existing_feedback(apps, None)

    assert stored(event) == expected == counted(event)
