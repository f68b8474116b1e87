"""FeedbackTotals: every way of writing feedback keeps each event's sums right."""

import importlib
import time

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction

from feedback.models import (
    TOTAL_FIELDS,
    Feedback,
    FeedbackGroupTotals,
    FeedbackTotals,
    answer_aggregates,
)
from tests.concurrency import POSTGRESQL_ONLY, run_in_threads
from tests.factories import EventFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


def totals(event) -> dict:
    row = FeedbackTotals.objects.filter(event=event).values(*TOTAL_FIELDS).first()
    return row or {}


def counted(event) -> dict:
    """The same sums straight from the answers, for comparison."""
    rows = Feedback.objects.filter(event=event).aggregate(**answer_aggregates())
    return (
        {name: value or 0 for name, value in rows.items()} if rows["feedback"] else {}
    )


def test_new_answers_are_added_up_per_event():
    event, other = EventFactory.create_batch(2)
    FeedbackFactory(
        event=event,
        rating_overall=5,
        rating_consultation=4,
        heard_via="poster",
        would_come_again=True,
    )
    FeedbackFactory(
        event=event,
        rating_overall=2,
        rating_consultation=3,
        rating_location=1,
        heard_via="poster",
        would_come_again=False,
    )
    FeedbackFactory(event=event, rating_overall=4, heard_via="passing_by")
    FeedbackFactory(event=other, rating_overall=1)

    row = totals(event)
    assert row["feedback"] == 3
    assert (row["rating_overall_sum"], row["rating_overall_count"]) == (11, 3)
    assert (row["rating_consultation_sum"], row["rating_consultation_count"]) == (7, 2)
    assert (row["rating_location_sum"], row["rating_location_count"]) == (1, 1)
    assert (row["rating_material_sum"], row["rating_material_count"]) == (0, 0)
    assert row["helpful"] == 1
    assert (row["again_yes"], row["again_no"]) == (1, 1)
    assert (row["channel_poster"], row["channel_passing_by"]) == (2, 1)
    assert row["channel_letter"] == 0
    assert totals(other)["feedback"] == 1


def test_a_corrected_paper_form_is_recounted():
    feedback = FeedbackFactory(rating_overall=2, heard_via="letter")
    feedback.rating_overall = 5
    feedback.heard_via = "website"
    feedback.save()
    row = totals(feedback.event)
    assert row["rating_overall_sum"] == 5
    assert (row["channel_letter"], row["channel_website"]) == (0, 1)


def test_a_form_moved_to_another_event_leaves_the_first_one():
    feedback = FeedbackFactory()
    first, second = feedback.event, EventFactory()
    FeedbackFactory(event=second)
    feedback.event = second
    feedback.save()
    assert totals(first) == {}
    assert totals(second)["feedback"] == 2


def test_deleting_answers_takes_them_out():
    event = EventFactory()
    one, two, three = FeedbackFactory.create_batch(3, event=event, rating_overall=4)
    one.delete()
    assert totals(event)["rating_overall_sum"] == 8
    Feedback.objects.filter(pk=two.pk).delete()
    assert totals(event)["feedback"] == 1
    three.delete()
    assert totals(event) == {}


def test_bulk_writes_are_recounted():
    event, other = EventFactory.create_batch(2)
    created = Feedback.objects.bulk_create(
        [Feedback(event=event, rating_overall=n) for n in (1, 2, 3)]
    )
    assert totals(event)["rating_overall_sum"] == 6

    Feedback.objects.filter(event=event).update(rating_overall=5)
    assert totals(event)["rating_overall_sum"] == 15

    created[0].heard_via = "partner"
    Feedback.objects.bulk_update(created[:1], ["heard_via"])
    assert totals(event)["channel_partner"] == 1

    Feedback.objects.filter(pk=created[1].pk).update(event=other)
    assert totals(event)["feedback"] == 2
    assert totals(other)["feedback"] == 1
    assert totals(event) == counted(event)
    assert totals(other) == counted(other)


def test_writing_only_a_comment_does_not_recount(django_assert_num_queries):
    feedback = FeedbackFactory(comment="Gut")
    with django_assert_num_queries(1):
        Feedback.objects.filter(pk=feedback.pk).update(comment="")
    feedback.comment = "Sehr gut"
    with django_assert_num_queries(1):
        feedback.save(update_fields=["comment"])


def test_refresh_and_rebuild_repair_answers_written_around_the_orm():
    event = EventFactory()
    FeedbackFactory(event=event, rating_overall=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO feedback_feedback (jobcenter_id, event_id, submitted_at, source,"
            " rating_overall, heard_via, comment, may_publish)"
            " VALUES (%s, %s, %s, 'paper', 5, 'other', '', false)",
            [event.jobcenter_id, event.pk, event.start],
        )
    assert totals(event)["feedback"] == 1

    FeedbackTotals.objects.refresh([event.pk])
    assert totals(event) == counted(event)

    FeedbackTotals.objects.all().delete()
    assert FeedbackTotals.objects.rebuild() == 1
    assert totals(event)["rating_overall_sum"] == 8


def test_the_command_recounts_every_event(capsys):
    events = EventFactory.create_batch(3)
    for n, event in enumerate(events):
        FeedbackFactory.create_batch(n + 1, event=event)
    FeedbackTotals.objects.update(feedback=0)
    call_command("refresh_feedback_totals")
    assert capsys.readouterr().out == "Recounted the feedback of 3 event(s).\n"
    assert [totals(event)["feedback"] for event in events] == [1, 2, 3]


def test_the_migration_counts_the_feedback_already_stored():
    migration = importlib.import_module("feedback.migrations.0005_feedback_totals")
    event = EventFactory()
    FeedbackFactory(event=event, rating_overall=2, heard_via="social_media")
    FeedbackFactory(event=event, rating_consultation=5, would_come_again=True)
    expected = totals(event)
    FeedbackTotals.objects.all().delete()

    migration.count_existing_feedback(apps, None)

    assert totals(event) == expected == counted(event)


class TestParallel:
    pytestmark = POSTGRESQL_ONLY

    def test_answers_sent_at_the_same_moment_are_all_counted(self):
        event = EventFactory()
        threads = 12

        def work(n):
            with transaction.atomic():
                Feedback.objects.create(event=event, rating_overall=1 + n % 5)
                # Keep the transaction open, so the others' recounts overlap it.
                time.sleep(0.05)

        results = run_in_threads(work, threads)

        assert [r for r in results if r is not None] == []
        row = totals(event)
        assert row["feedback"] == threads
        assert row == counted(event)
        per_description = FeedbackGroupTotals.objects.filter(event=event)
        assert list(per_description.values_list("feedback", flat=True)) == [threads]
