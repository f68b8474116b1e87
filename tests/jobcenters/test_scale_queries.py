"""One Jobcenter's public pages run as many queries whatever the others hold.

Issue 18, item 8: every query of a public page is limited to the Jobcenter of
the host, so neither the number of queries nor what a page shows depends on
how many Jobcenters share the installation. Each page is requested once
(per-process caches warm, as on a running server), then counted: the counts
are the ones measured with a single Jobcenter.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event
from jobcenters.hosts import forget_all
from jobcenters.models import Host, Jobcenter
from jobcenters.scoping import jobcenter_scope
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
)

SLUG = "quartierstag"

# Measured with one Jobcenter (bench/tenants.py prints the same for PostgreSQL).
QUERIES = {
    "/": 3,  # cards stored by the first request (events/cards.py)
    f"/veranstaltungen/{SLUG}/": 1,  # from its stored piece
    "/kalender.ics": 2,
    "/feed.atom": 1,  # from stored entries
}


def fill(jobcenter: Jobcenter, label: str) -> None:
    """A few events of every kind the public pages show, in this Jobcenter."""
    with jobcenter_scope(jobcenter):
        district = DistrictFactory(slug="innenstadt", name=f"Innenstadt {label}")
        services = [
            ServiceOfferingFactory(title=f"Beratung {label} {n}") for n in (1, 2)
        ]
        groups = [TargetGroupFactory(slug="familien", name=f"Familien {label}")]
        location = LocationFactory(district=district, name=f"Marktplatz {label}")
        now = timezone.now()
        for n in range(4):
            start = now + timedelta(days=n + 1)
            EventFactory(
                slug=SLUG if n == 0 else f"termin-{n}",
                title=f"Termin {label} {n}",
                published=True,
                published_at=now - timedelta(hours=n),
                location=location,
                start=start,
                end=start + timedelta(hours=3),
                services=services,
                target_groups=groups,
            )
        start = now - timedelta(days=2)
        EventFactory(
            title=f"Vorbei {label}",
            published=True,
            published_at=now - timedelta(days=9),
            location=location,
            start=start,
            end=start + timedelta(hours=3),
            services=services[:1],
        )
        EventFactory(
            title=f"Abgesagt {label}",
            cancelled=True,
            published_at=now - timedelta(days=1),
            location=location,
            services=services[1:],
        )


@pytest.fixture
def installation(jobcenter, request):
    """The first Jobcenter on "testserver", and as many others with data."""
    Host.objects.get_or_create(name="testserver", defaults={"jobcenter": jobcenter})
    fill(jobcenter, "gemessen")
    for number in range(2, request.param + 1):
        other = Jobcenter.objects.create(
            name=f"Jobcenter {number}", slug=f"jc-{number}"
        )
        Host.objects.create(
            jobcenter=other, name=f"jc-{number}.example", is_primary=True
        )
        fill(other, f"anderes {number}")
    forget_all()
    return request.param


@pytest.mark.django_db
@pytest.mark.parametrize("installation", [1, 3], indirect=True)
@pytest.mark.parametrize("path", list(QUERIES))
def test_page_queries_do_not_depend_on_other_jobcenters(
    client, installation, path, django_assert_num_queries
):
    assert Jobcenter.objects.count() == installation
    client.get(path)  # host known, pieces stored: as on a running server
    with django_assert_num_queries(QUERIES[path]):
        response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "gemessen" in body
    assert "anderes" not in body  # nothing of another Jobcenter


@pytest.mark.django_db
@pytest.mark.parametrize("installation", [1, 3], indirect=True)
def test_other_jobcenters_events_exist_but_stay_out_of_scope(installation):
    from jobcenters.scoping import scopes_disabled

    with scopes_disabled():
        assert Event.objects.filter(slug=SLUG).count() == installation
    assert Event.objects.filter(slug=SLUG).count() == 1
