"""Tests with a second Jobcenter: each answers under its own host name."""

from jobcenters.hosts import forget_all
from jobcenters.models import Host, Jobcenter, Membership
from tests.factories import first_jobcenter

FIRST_HOST = "testserver"
SECOND_HOST = "zwei.testserver"


def second_jobcenter(host: str = SECOND_HOST, **fields) -> Jobcenter:
    """A second Jobcenter under ``host``; the first answers under "testserver"."""
    first = first_jobcenter()
    Host.objects.get_or_create(name=FIRST_HOST, defaults={"jobcenter": first})
    fields.setdefault("name", "Jobcenter Zweistadt")
    fields.setdefault("slug", host.split(".")[0])
    jobcenter = Jobcenter.objects.create(**fields)
    Host.objects.create(jobcenter=jobcenter, name=host, is_primary=True)
    forget_all()
    return jobcenter


def give_role(user, jobcenter, role=Membership.Role.STAFF) -> Membership:
    return Membership.objects.get_or_create(user=user, jobcenter=jobcenter, role=role)[
        0
    ]
