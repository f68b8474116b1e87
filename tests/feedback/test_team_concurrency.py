"""Staff counting at the same stand at the same moment: every tap is kept.

Each thread has its own database connection (Django's connections are per
thread), so the inserts really run in parallel on PostgreSQL. SQLite locks the
whole file for every write, so there is nothing parallel to test there.
"""

from datetime import datetime, time

import pytest
from django.test import Client
from django.utils import timezone

from feedback import selectors, services
from feedback.models import ContactCount
from tests.concurrency import POSTGRESQL_ONLY, run_in_threads
from tests.factories import EventFactory, TargetGroupFactory, UserFactory

pytestmark = POSTGRESQL_ONLY

THREADS = 20
TAPS = 10


@pytest.fixture
def event():
    day = timezone.localdate()
    return EventFactory(
        published=True,
        start=timezone.make_aware(datetime.combine(day, time(0, 1))),
        end=timezone.make_aware(datetime.combine(day, time(23, 59))),
    )


def test_parallel_counts_all_land(event):
    users = [UserFactory() for _ in range(THREADS)]
    group = TargetGroupFactory()

    def work(n):
        for _ in range(TAPS):
            services.count_contact(event, users[n], target_group=group)

    results = run_in_threads(work, THREADS)

    assert [r for r in results if r is not None] == []
    assert ContactCount.objects.filter(event=event).count() == THREADS * TAPS
    totals = selectors.contact_totals(event)
    assert totals.overall == THREADS * TAPS
    assert totals.by_group == {group.pk: THREADS * TAPS}


def test_parallel_posts_to_the_counting_page_all_land(event, roles):
    users = [UserFactory(groups=["Mitarbeitende"]) for _ in range(THREADS)]

    def work(n):
        client = Client()
        client.force_login(users[n])
        statuses = []
        for _ in range(TAPS):
            response = client.post("/team/", {"event": event.pk, "action": "count"})
            statuses.append(response.status_code)
        return statuses

    results = run_in_threads(work, THREADS)

    assert results == [[302] * TAPS] * THREADS
    assert selectors.contact_totals(event).overall == THREADS * TAPS


def test_parallel_undos_each_remove_at_most_one_count(event):
    user = UserFactory()
    for _ in range(TAPS):
        services.count_contact(event, user)

    results = run_in_threads(lambda n: services.undo_last_count(event, user), TAPS)

    assert not [r for r in results if isinstance(r, Exception)]
    undone = [r.pk for r in results if r is not None]
    assert len(undone) == len(set(undone)) >= 1
    assert ContactCount.objects.count() == TAPS - len(undone)
