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


def _version() -> int | None:
    return cache.get(VERSION_KEY)


def forget_hosts(**kwargs) -> None:
    """Signal receiver: every server looks its Jobcenters up again."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.add(VERSION_KEY, time.time_ns() // 1_000, None)
        _found.clear()

    _found.clear()  # this process at once (its own transaction sees the change)
    transaction.on_commit(bump)


def forget_all() -> None:
    """Look every host up again in this process (tests: after a rollback)."""
    _found.clear()


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
    if known is not None:
        known_version, since, jobcenter = known
        if version is not None and version == known_version:
            return jobcenter
        if version is None and time.monotonic() - since < TRUST_WITHOUT_VERSION:
            return jobcenter
    found = Jobcenter.objects.filter(hosts__name=name).first() or _sole_jobcenter()
    if found is not None:
        primary_host(found)  # remembered with it: no query when printed
    _found[name] = (version, time.monotonic(), found)
    return found


def _sole_jobcenter() -> Jobcenter | None:
    only = list(Jobcenter.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def site_url(jobcenter: Jobcenter) -> str:
    """The address the Jobcenter's pages are printed with: SITE_URL on its host.

    SITE_URL gives the scheme and port; the Jobcenter's primary host name
    replaces its host. A Jobcenter without host names keeps SITE_URL as it is.
    """
    from urllib.parse import urlsplit

    from django.conf import settings

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
