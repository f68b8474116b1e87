"""Stored pieces: parts of public responses kept per event and version.

A list, a feed or a calendar shows the same event in the same way whatever
filter or page led to it. Each event's part of the response (its VEVENT, its
card on the list, its Atom entry…) is built once and kept in the shared
cache under a key made of:

- the kind of piece and anything else it depends on (``vary``),
- the Jobcenter, its public-page generation (``events.caching``: raised after
  every committed change to events, their translations, places, services,
  reviews…) and the language,
- the addresses it shows (site address, UID domain) and the time zone,
- the event's id and ``updated_at``, so an edit of the event itself is seen
  even before the generation is raised.

A response then reads a few columns of its rows, fetches every piece with one
``get_many``, builds only the missing ones (loading their rows in one query)
and joins them. A stored piece is always current, so pieces outlive the page
cache (``PIECE_SECONDS``) and survive a publish of another Jobcenter.
"""

from collections.abc import Callable, Sequence
from hashlib import sha256
from typing import Protocol, TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from events.caching import generation
from jobcenters.hosts import current_jobcenter, site_url

# A day: long enough to be reused by many addresses, short enough that a
# piece of a deleted event does not linger.
PIECE_SECONDS = 24 * 60 * 60


class Versioned(Protocol):
    pk: int
    updated_at: object


Entry = TypeVar("Entry", bound=Versioned)
Piece = TypeVar("Piece")


def settings_stamp(jobcenter) -> str:
    """What every piece shows besides its rows: addresses, UIDs, time zone."""
    from events.calendar import uid_domain

    raw = (
        f"{site_url(jobcenter)}|{uid_domain(jobcenter)}|"
        f"{timezone.get_current_timezone_name()}"
    )
    return sha256(raw.encode()).hexdigest()[:12]


def piece_prefix(kind: str, version: int, vary: Sequence[object] = ()) -> str:
    """The part of every key shared by one response's pieces."""
    jobcenter = current_jobcenter()
    owner = jobcenter.pk if jobcenter is not None else 0
    stamp = settings_stamp(jobcenter)
    extra = ":".join(str(part) for part in vary)
    return f"{kind}:{owner}:{version}:{get_language()}:{stamp}:{extra}"


def piece_key(entry: Versioned, prefix: str) -> str:
    # updated_at too: an edit of the event itself needs no generation to show.
    return f"{prefix}:{entry.pk}:{entry.updated_at.timestamp()}"


def stored_pieces(
    entries: Sequence[Entry],
    kind: str,
    build: Callable[[list[Entry]], dict[int, Piece]],
    *,
    version: int | None = None,
    vary: Sequence[object] = (),
    with_entries: bool = False,
) -> list:
    """Each entry's piece, from the cache where stored, in the entries' order.

    ``build`` gets the entries whose pieces are missing and returns their
    pieces by primary key; an entry it leaves out (unpublished meanwhile) is
    left out of the result. ``version`` is the generation read *before* the
    rows were: a change committed while they were read then leaves the
    pieces built from them under an outdated generation, never served.
    With ``with_entries`` the result is (entry, piece) pairs.
    """
    if not entries:
        return []
    if version is None:
        version = generation()
    prefix = piece_prefix(kind, version, vary)
    keys = [piece_key(entry, prefix) for entry in entries]
    stored = cache.get_many(keys)
    missing = [
        entry for entry, key in zip(entries, keys, strict=True) if key not in stored
    ]
    if missing:
        built = build(missing)
        fresh = {
            piece_key(entry, prefix): built[entry.pk]
            for entry in missing
            if entry.pk in built
        }
        cache.set_many(fresh, PIECE_SECONDS)
        stored.update(fresh)
    if with_entries:
        return [
            (entry, stored[key])
            for entry, key in zip(entries, keys, strict=True)
            if key in stored
        ]
    return [stored[key] for key in keys if key in stored]
