"""The event list's rows as stored pieces: each event's JSON built once.

An event looks the same in every list that shows it, whatever the filter or
page. Like the cards of the list page (``events.cards``), each event's JSON
is kept in the shared cache through ``events.pieces.stored_pieces``: the key
holds the Jobcenter, its public-page generation (raised by every committed
change to events, places, services, districts, target groups and their
texts), the language, the site address and time zone, the event's id and
``updated_at``, and a stamp of this module's code and the schema, so a
deploy that changes what an event looks like makes new keys. A stored piece
is therefore never stale.

A list then reads only its rows' ids and versions (the count and one small
query), fetches the page's pieces with one ``get_many``, builds only the
missing ones and joins their bytes into the page. Each piece is checked
against ``api.schemas.Event`` when it is built and rendered as django-ninja
renders an answer (tests/api/test_pieces.py holds the bytes equal), so a
list from stored pieces needs no validation and no JSON encoding per event.
"""

import json
from collections.abc import Sequence
from functools import lru_cache
from hashlib import sha256
from pathlib import Path

from ninja.responses import NinjaJSONEncoder

from api import present, schemas, selectors
from events.nearness import NEARNESS, kilometres
from events.pieces import Versioned, stored_pieces

KIND = "api-event"
# As api.views.Renderer (django-ninja's JSONRenderer) writes an answer.
JSON_OPTIONS = {"cls": NinjaJSONEncoder, "ensure_ascii": False}
ITEM_SEPARATOR = ", "  # json.dumps' default between list items


def render(data) -> str:
    return json.dumps(data, **JSON_OPTIONS)


@lru_cache(maxsize=1)
def format_stamp() -> str:
    """Changes with the code that makes an event's JSON and with its schema."""
    source = Path(present.__file__).read_bytes() + Path(__file__).read_bytes()
    schema = json.dumps(schemas.Event.model_json_schema(), sort_keys=True)
    return sha256(source + schema.encode()).hexdigest()[:12]


def event_json(row) -> str:
    """One event as the API answers it: checked against the schema, rendered."""
    checked = schemas.Event.model_validate(present.event(row))
    # The distance depends on the request (?plz=): with_distance adds it.
    return render(checked.model_dump(exclude={"distance_km"}))


def with_distance(piece: str, entry) -> str:
    """The stored JSON with ``distance_km`` where the list is sorted by distance.

    The distance depends on the visitor's postcode, so it is not stored: it is
    the schema's last field, added as rendering the whole event would add it.
    """
    if not hasattr(entry, NEARNESS):
        return piece
    km = kilometres(getattr(entry, NEARNESS))
    shown = None if km is None else round(km, 1)
    return f'{piece[:-1]}, "distance_km": {render(shown)}}}'


def event_pieces(entries: Sequence[Versioned], version: int) -> list[str]:
    """The JSON of each entry's event (one unpublished meanwhile is left out).

    ``version`` is the generation read before the entries were.
    """

    def build(missing: list[Versioned]) -> dict[int, str]:
        rows = selectors.events_by_pk([entry.pk for entry in missing])
        return {row.pk: event_json(row) for row in rows}

    pairs = stored_pieces(
        entries,
        KIND,
        build,
        version=version,
        vary=(format_stamp(),),
        with_entries=True,
    )
    return [with_distance(piece, entry) for entry, piece in pairs]


def page_json(envelope: dict, pieces: list[str]) -> bytes:
    """``envelope`` (schemas.Page's fields) with ``results``: the pieces, joined.

    The same bytes as rendering the whole page at once: ``results`` is the
    last field of schemas.EventPage, and the separators are json.dumps'.
    """
    head = render(envelope)  # '{"count": 1, …, "previous": null}'
    results = "[" + ITEM_SEPARATOR.join(pieces) + "]"
    return f'{head[:-1]}, "results": {results}}}'.encode()
