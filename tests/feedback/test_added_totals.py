"""Answers added on to the totals (FeedbackTotals.add) stay equal to a recount.

A new answer no longer recounts its event: one upsert adds it. These tests
check, after many random answers and every other way of writing feedback, that
the totals are exactly what recounting the answers gives, and that parallel
answers, recounts and deletions on PostgreSQL lose nothing.
"""

import random
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from feedback.models import (
    SOMETHING_ELSE,
    TOTAL_FIELDS,
    Feedback,
    FeedbackGroupTotals,
    FeedbackTotals,
)
from feedback.services import purge_old_comments
from feedback.submission import submit_feedback
from tests.concurrency import POSTGRESQL_ONLY, run_in_threads
from tests.factories import (
    EventFactory,
    FeedbackFactory,
    TargetGroupFactory,
    open_for_feedback,
)

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[dict, dict]:
    """Every event's totals and answers per self-description, as stored."""
    totals = {
        row["event"]: row
        for row in FeedbackTotals.objects.values("event", *TOTAL_FIELDS)
    }
    groups: dict = {}
    for event, group, otherwise, n in FeedbackGroupTotals.objects.values_list(
        "event", "target_group", "describes_self_otherwise", "feedback"
    ):
        key = (event, group, otherwise)
        groups[key] = groups.get(key, 0) + n
    return totals, groups


def recounted() -> tuple[dict, dict]:
    """The same, recounted from the answers (the repair path)."""
    stored = snapshot()
    FeedbackTotals.objects.rebuild()
    fresh = snapshot()
    assert stored == fresh
    return fresh


def random_answers(rng: random.Random, groups) -> dict:
    def rating():
        return rng.choice([None, 1, 2, 3, 4, 5])

    self_description = rng.choice([None, SOMETHING_ELSE, *groups])
    return {
        "rating_overall": rng.randint(1, 5),
        "rating_consultation": rating(),
        "rating_material": rating(),
        "rating_location": rating(),
        "heard_via": rng.choice(["", *Feedback.Channel.values]),
        "would_come_again": rng.choice([None, True, False]),
        "target_group": None
        if self_description == SOMETHING_ELSE
        else self_description,
        "describes_self_otherwise": self_description == SOMETHING_ELSE,
        "comment": rng.choice(["", "Gut", "Sehr freundlich"]),
        "may_publish": rng.choice([True, False]),
    }


def test_many_random_answers_add_up_to_a_recount():
    rng = random.Random(11)
    events = [open_for_feedback() for _ in range(3)]
    groups = [TargetGroupFactory(name=f"Gruppe {n}", slug=f"g-{n}") for n in range(3)]
    for _ in range(120):
        submit_feedback(rng.choice(events), random_answers(rng, groups))
    # The paper forms of the admin go through save() too.
    for _ in range(20):
        answers = random_answers(rng, groups)
        Feedback.objects.create(
            event=rng.choice(events), source=Feedback.Source.PAPER, **answers
        )
    totals, per_group = recounted()
    assert sum(row["feedback"] for row in totals.values()) == 140
    assert sum(per_group.values()) == 140


def test_deletions_corrections_and_the_retention_rule_keep_them_equal():
    rng = random.Random(5)
    event, other = open_for_feedback(), open_for_feedback()
    groups = [TargetGroupFactory(name="Familien", slug="familien")]
    for _ in range(40):
        submit_feedback(rng.choice([event, other]), random_answers(rng, groups))
    answers = list(Feedback.objects.order_by("pk"))
    answers[0].delete()
    Feedback.objects.filter(pk__in=[a.pk for a in answers[1:5]]).delete()
    answers[6].rating_consultation = 5
    answers[6].save()
    answers[7].event = other if answers[7].event_id == event.pk else event
    answers[7].save()
    # The retention rule removes old comments and keeps the ratings.
    Feedback.objects.update(submitted_at=timezone.now() - timedelta(days=3 * 365))
    purge_old_comments()
    assert Feedback.objects.exclude(comment="").count() == 0
    # A deleted target group turns its answers into "no answer" on both sides.
    groups[0].delete()
    submit_feedback(event, random_answers(random.Random(1), []))
    totals, _per_group = recounted()
    assert totals[event.pk]["feedback"] + totals[other.pk]["feedback"] == 36


def test_a_new_answer_adds_without_recounting(django_assert_num_queries):
    event = EventFactory()
    FeedbackFactory(event=event, rating_overall=5)
    # The answer, its totals (one statement on PostgreSQL), its self-description.
    with django_assert_num_queries(3):
        Feedback(event=event, rating_overall=3).save()
    assert FeedbackTotals.objects.get(event=event).rating_overall_sum == 8


class TestParallel:
    pytestmark = POSTGRESQL_ONLY

    def test_parallel_answers_recounts_and_deletions_lose_nothing(self):
        event = EventFactory()
        families = TargetGroupFactory(name="Familien", slug="familien")
        doomed = FeedbackFactory.create_batch(6, event=event)
        moved = FeedbackFactory.create_batch(6, event=EventFactory())
        threads = 24

        def work(n):
            with transaction.atomic():
                if n % 4 == 0:
                    # A recount of the event (a deletion) in the middle of it all.
                    doomed[n // 4].delete()
                elif n % 4 == 1:
                    # A paper form moved to this event: recounts both.
                    answer = moved[n // 4]
                    answer.event = event
                    answer.save()
                else:
                    Feedback.objects.create(
                        event=event,
                        rating_overall=1 + n % 5,
                        target_group=families if n % 3 else None,
                    )
                # Keep the transaction open, so the others overlap it.
                time.sleep(0.05)

        results = run_in_threads(work, threads)

        assert [r for r in results if r is not None] == []
        stored = snapshot()
        assert stored[0][event.pk]["feedback"] == 12 + 6
        assert recounted() == stored
