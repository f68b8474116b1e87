from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from feedback.models import Feedback
from feedback.services import comment_cutoff, months_before, purge_old_comments
from tests.factories import FeedbackFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=BERLIN)
CUTOFF = datetime(2024, 11, 25, 3, 0, tzinfo=BERLIN)  # 24 months earlier


def feedback_at(moment, comment="Sehr hilfreich, danke!"):
    return FeedbackFactory(
        submitted_at=moment,
        comment=comment,
        may_publish=True,
        rating_overall=5,
        rating_consultation=4,
    )


def test_cutoff_is_the_retention_period_before_now():
    assert comment_cutoff(now=NOW) == CUTOFF


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (
            datetime(2026, 3, 31, 12, tzinfo=BERLIN),
            1,
            datetime(2026, 2, 28, 12, tzinfo=BERLIN),
        ),
        (
            datetime(2024, 3, 31, 12, tzinfo=BERLIN),
            1,
            datetime(2024, 2, 29, 12, tzinfo=BERLIN),
        ),
        (
            datetime(2026, 1, 15, 12, tzinfo=BERLIN),
            2,
            datetime(2025, 11, 15, 12, tzinfo=BERLIN),
        ),
        (
            datetime(2026, 7, 1, 0, 30, tzinfo=BERLIN),
            24,
            datetime(2024, 7, 1, 0, 30, tzinfo=BERLIN),
        ),
        # Winter time back to summer time: the same wall-clock hour.
        (NOW, 4, datetime(2026, 7, 25, 3, 0, tzinfo=BERLIN)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    result = timezone.localtime(months_before(moment, months))
    assert (result, result.utcoffset()) == (expected, expected.utcoffset())


def test_a_comment_just_older_than_the_cutoff_is_removed():
    old = feedback_at(CUTOFF - timedelta(seconds=1))

    assert purge_old_comments(now=NOW) == 1

    old.refresh_from_db()
    assert old.comment == ""
    assert old.comment_removed_at == NOW


def test_a_comment_at_or_just_after_the_cutoff_stays():
    at_cutoff = feedback_at(CUTOFF)
    newer = feedback_at(CUTOFF + timedelta(seconds=1))

    assert purge_old_comments(now=NOW) == 0

    for kept in (at_cutoff, newer):
        kept.refresh_from_db()
        assert kept.comment == "Sehr hilfreich, danke!"
        assert kept.comment_removed_at is None


def test_ratings_and_other_answers_are_kept():
    old = feedback_at(CUTOFF - timedelta(days=1))
    old.heard_via = Feedback.Channel.POSTER
    old.save()

    purge_old_comments(now=NOW)

    old.refresh_from_db()
    assert (old.rating_overall, old.rating_consultation) == (5, 4)
    assert old.heard_via == Feedback.Channel.POSTER
    assert old.submitted_at == CUTOFF - timedelta(days=1)
    assert not old.is_quotable


def test_feedback_without_comment_is_not_touched():
    blank = feedback_at(CUTOFF - timedelta(days=1), comment="")

    assert purge_old_comments(now=NOW) == 0

    blank.refresh_from_db()
    assert blank.comment_removed_at is None


def test_purging_twice_removes_nothing_the_second_time():
    feedback_at(CUTOFF - timedelta(days=1))
    assert purge_old_comments(now=NOW) == 1
    assert purge_old_comments(now=NOW) == 0


def test_purge_is_one_update(django_assert_num_queries):
    for n in range(5):
        feedback_at(CUTOFF - timedelta(days=n + 1))
    with django_assert_num_queries(1):
        assert purge_old_comments(now=NOW) == 5


def test_dry_run_changes_nothing():
    old = feedback_at(CUTOFF - timedelta(days=1))

    assert purge_old_comments(now=NOW, dry_run=True) == 1

    old.refresh_from_db()
    assert old.comment and old.comment_removed_at is None


@override_settings(COMMENT_RETENTION_MONTHS=6)
def test_the_setting_sets_the_period():
    feedback_at(months_before(NOW, 6) - timedelta(seconds=1))
    feedback_at(months_before(NOW, 6) + timedelta(seconds=1))
    assert purge_old_comments(now=NOW) == 1


def run(*args) -> str:
    out = StringIO()
    call_command("purge_comments", *args, stdout=out)
    return out.getvalue()


def test_command_reports_how_many_were_removed():
    feedback_at(timezone.now() - timedelta(days=800))
    feedback_at(timezone.now() - timedelta(days=10))

    assert run().startswith("Removed 1 comment(s) submitted before ")
    assert Feedback.objects.exclude(comment="").count() == 1


def test_command_dry_run_only_counts():
    feedback_at(timezone.now() - timedelta(days=800))

    assert run("--dry-run").startswith("Would remove 1 comment(s)")
    assert Feedback.objects.exclude(comment="").count() == 1


def test_command_months_overrides_the_setting():
    feedback_at(timezone.now() - timedelta(days=100))

    assert run("--months", "3").startswith("Removed 1 comment(s)")


@pytest.mark.parametrize("months", ["0", "-5"])
def test_command_refuses_a_period_below_one_month(months):
    with pytest.raises(CommandError, match="at least 1"):
        run("--months", months)
