"""The commands that run for the whole installation work with several Jobcenters.

Each runs as cron runs it: outside any Jobcenter's scope.
"""

from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessLog
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from django_scopes.state import state

from feedback.models import Feedback, FeedbackTotals
from jobcenters.scoping import jobcenter_scope, scopes_disabled
from jobcenters.services import create_jobcenter
from tests.factories import EventFactory, FeedbackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(db):
    return create_jobcenter(name="Jobcenter Enzkreis", host="jc-enzkreis.example")


@contextmanager
def no_scope():
    """Outside any Jobcenter's scope, as cron and a shell start."""
    token = state.set({})
    try:
        yield
    finally:
        state.reset(token)


def as_cron(*args, **options) -> str:
    """The command run outside any Jobcenter's scope."""
    out = StringIO()
    with no_scope():
        call_command(*args, stdout=out, **options)
    return out.getvalue()


def old_comment(months: int = 30) -> Feedback:
    return FeedbackFactory(
        submitted_at=timezone.now() - timedelta(days=31 * months),
        comment="Bitte mehr Termine am Abend.",
    )


def test_outside_a_scope_a_query_of_owned_rows_is_refused():
    """What the commands below must avoid (so the check below can fail)."""
    from jobcenters.scoping import ScopeError

    with no_scope(), pytest.raises(ScopeError):
        Feedback.objects.count()


def test_purge_comments_purges_every_jobcenter(second):
    first_old, first_recent = old_comment(), old_comment(months=1)
    with jobcenter_scope(second):
        second_old = old_comment()
    assert "Would remove 2 comment(s)" in as_cron("purge_comments", dry_run=True)
    assert "Removed 2 comment(s)" in as_cron("purge_comments")
    with scopes_disabled():
        comments = dict(
            Feedback.objects.filter(
                pk__in=[first_old.pk, first_recent.pk, second_old.pk]
            ).values_list("pk", "comment")
        )
    assert comments == {
        first_old.pk: "",
        first_recent.pk: "Bitte mehr Termine am Abend.",
        second_old.pk: "",
    }


def test_refresh_feedback_totals_recounts_every_jobcenter(second):
    FeedbackFactory.create_batch(2, event=EventFactory(published=True))
    with jobcenter_scope(second):
        FeedbackFactory.create_batch(3, event=EventFactory(published=True))
    with scopes_disabled():
        FeedbackTotals.objects.update(feedback=0)
    assert (
        as_cron("refresh_feedback_totals") == "Recounted the feedback of 2 event(s).\n"
    )
    with scopes_disabled():
        assert sorted(FeedbackTotals.objects.values_list("feedback", flat=True)) == [
            2,
            3,
        ]


def test_purge_login_records_runs_outside_any_scope(second):
    AccessLog.objects.create(username="erika", ip_address="192.0.2.1")
    AccessLog.objects.update(attempt_time=timezone.now() - timedelta(days=400))
    assert "Removed 1 login record(s)" in as_cron("purge_login_records")
    assert not AccessLog.objects.exists()


def test_setup_roles_runs_outside_any_scope(second):
    as_cron("setup_roles")
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Mitarbeitende",
        "Koordination",
    }


def test_seed_demo_runs_outside_any_scope():
    as_cron("seed_demo", verbosity=0)
    with scopes_disabled():
        assert Feedback.objects.exists()
