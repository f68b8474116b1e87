"""Which Jobcenter a request is for: found by its host name.

An installation with a single Jobcenter answers on every allowed host (no
configuration, as before there were several). With more than one, the host
must be one of a Jobcenter's host names.

The answer is kept per process and checked against a version number in the
shared cache, so a lookup costs one cache read and no query; a change to any
Jobcenter or host name raises the version on every server. Should the version
be missing from the cache (evicted, cleared), an answer is trusted for at most
a minute.
"""

import time

from django.core.cache import cache
from django.db import transaction

from jobcenters.models import Host, Jobcenter

VERSION_KEY = "jobcenters-version"
# How long an answer is trusted while the version is missing from the cache
# (evicted or cleared): a change made meanwhile shows after this at the latest.
TRUST_WITHOUT_VERSION = 60.0
_found: dict[str, tuple[int | None, float, Jobcenter | None]] = {}
_by_id: dict[int, tuple[int | None, float, Jobcenter | None]] = {}


def _still_valid(known, version) -> bool:
    if known is None:
        return False
    known_version, since, _jobcenter = known
    if version is not None:
        return version == known_version
    return time.monotonic() - since < TRUST_WITHOUT_VERSION


def _version() -> int | None:
    return cache.get(VERSION_KEY)


def forget_hosts(**kwargs) -> None:
    """Signal receiver: every server looks its Jobcenters up again."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.add(VERSION_KEY, time.time_ns() // 1_000, None)
        forget_all()

    forget_all()  # this process at once (its own transaction sees the change)
    transaction.on_commit(bump)


def forget_all() -> None:
    """Look every host up again in this process (tests: after a rollback)."""
    _found.clear()
    _by_id.clear()


def normalise(host: str) -> str:
    """The host name without port, lower case (``[::1]`` keeps its brackets)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


def jobcenter_for_host(host: str) -> Jobcenter | None:
    """The Jobcenter served under this host, or None."""
    name = normalise(host)
    version = _version()
    known = _found.get(name)
    if _still_valid(known, version):
        return known[2]
    found = (
        _with_first_mark(Jobcenter.objects.filter(hosts__name=name)).first()
        or _sole_jobcenter()
    )
    if found is not None:
        prepare(found)  # what its pages print: no query when printed
        _by_id[found.pk] = (version, time.monotonic(), found)
    _found[name] = (version, time.monotonic(), found)
    return found


def prepare(jobcenter: Jobcenter) -> Jobcenter:
    """Look up now what printing the Jobcenter's addresses needs (its host names,
    whether it is the first), so its pages print them without a query."""
    primary_host(jobcenter)
    is_first(jobcenter)
    return jobcenter


def current_jobcenter() -> Jobcenter | None:
    """The Jobcenter of the active scope, for code that has no request.

    In a request it is ``request.jobcenter`` itself (the scope was entered
    with it), so calendars and feeds print its addresses without a query.
    Elsewhere (a command, a job) it is looked up once per process and kept
    while no Jobcenter or host name changes.
    """
    from jobcenters.scoping import active_jobcenter, current_jobcenter_id

    pk = current_jobcenter_id()
    if pk is None:
        return None
    active = active_jobcenter()
    if active is not None and active.pk == pk:
        return active
    version = _version()
    known = _by_id.get(pk)
    if _still_valid(known, version):
        return known[2]
    found = _with_first_mark(Jobcenter.objects.filter(pk=pk)).first()
    if found is not None:
        prepare(found)
    _by_id[pk] = (version, time.monotonic(), found)
    return found


def _sole_jobcenter() -> Jobcenter | None:
    only = list(Jobcenter.objects.all()[:2])
    if len(only) != 1:
        return None
    only[0]._is_first = True
    return only[0]


def _with_first_mark(queryset):
    """Marks in the same query whether each row is the first Jobcenter."""
    from django.db.models import Exists, OuterRef

    return queryset.annotate(
        _is_first=~Exists(Jobcenter.objects.filter(pk__lt=OuterRef("pk")))
    )


def site_url(jobcenter: Jobcenter | None) -> str:
    """The address the Jobcenter's pages are printed with: SITE_URL on its host.

    SITE_URL gives the scheme and port; the Jobcenter's primary host name
    replaces its host. The installation's first Jobcenter keeps SITE_URL
    exactly (it was the only one before: its calendar UIDs, feed ids and
    printed posters stay as they were), and so does one without host names.
    """
    from urllib.parse import urlsplit

    from django.conf import settings

    if jobcenter is None or is_first(jobcenter):
        return settings.SITE_URL
    base = urlsplit(settings.SITE_URL)
    host = primary_host(jobcenter)
    if not host or host == base.hostname:
        return settings.SITE_URL
    netloc = host if base.port is None else f"{host}:{base.port}"
    return f"{base.scheme}://{netloc}"


def primary_host(jobcenter: Jobcenter) -> str | None:
    hosts = getattr(jobcenter, "_host_names", None)
    if hosts is None:
        hosts = list(
            Host.objects.filter(jobcenter=jobcenter)
            .order_by("-is_primary", "pk")
            .values_list("name", flat=True)
        )
        jobcenter._host_names = hosts
    return hosts[0] if hosts else None


def is_first(jobcenter: Jobcenter) -> bool:
    """Whether this is the installation's first Jobcenter (remembered with it)."""
    first = getattr(jobcenter, "_is_first", None)
    if first is None:
        first = not Jobcenter.objects.filter(pk__lt=jobcenter.pk).exists()
        jobcenter._is_first = first
    return first


def current_jobcenter_name() -> str:
    """The name of the active scope's Jobcenter (ORGANISATION_NAME outside any)."""
    from django.conf import settings

    jobcenter = current_jobcenter()
    return jobcenter.name if jobcenter is not None else settings.ORGANISATION_NAME
