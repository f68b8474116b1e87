"""The lists' event cards, kept as stored pieces (``events.pieces``).

A card looks the same on every list address that shows its event: the home
page with any filter and page number, each in one language. So a list reads
only the ids and versions of its page's events, fetches their cards with one
``get_many``, and renders only the missing ones, loading their rows, texts
and services (and on the archive their reviews) in one go.

What a card shows besides its rows, and so what its key holds besides the
generation, language and event version: today's date (the relative day,
"tomorrow") and the deployment's static files (the icons' hashed address).
The first card of a page loads its photo at once, the others lazily: the
card is stored lazy and the first one drops the attribute.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.template import engines
from django.template.context import make_context
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from events.models import Event
from events.models.events import text_lookups
from events.nearness import NEARNESS, distance_text, kilometres
from events.pieces import stored_pieces
from events.reviews import reviewed_first

LAZY = ' loading="lazy"'
# Where a list sorted by distance (?plz=) puts the distance into a stored card
# (events/includes/event_card.html writes it; render_card takes it out).
DISTANCE_MARK = "<!--distance-->"
# Raised when what a stored card holds changes shape, so old pieces go unused.
CARD_FORMAT = 2


class Entry(NamedTuple):
    """What a list reads of each event of its page to find its stored card."""

    pk: int
    updated_at: object


@dataclass(frozen=True)
class Kind:
    """One way of showing an event on a list: its template, its rows, and the
    text around each card in the list (what the template's loop wrote)."""

    name: str
    template: str
    before: str
    after: str
    with_review: bool = False


CARD = Kind("list-card", "events/includes/event_card.html", "\n    <li>", "</li>\n  ")
# On the archive a card shows the event's review.
ARCHIVE_CARD = Kind(
    "archive-card",
    "events/includes/event_card.html",
    "\n    <li>",
    "</li>\n  ",
    with_review=True,
)
EASY_ITEM = Kind(
    "easy-item", "events/easy/includes/event_item.html", "\n          ", "        "
)


class Card(NamedTuple):
    html: str
    fallback: bool  # a text is shown in German: the list says so once
    lazy_at: int  # where the event photo's loading="lazy" starts, or -1
    pk: int | None = None  # the event's
    distance_at: int = -1  # where a distance goes (DISTANCE_MARK), or -1

    def shown(self, first: bool, distance: str = "") -> str:
        html = self.html
        if first and self.lazy_at >= 0:
            html = html[: self.lazy_at] + html[self.lazy_at + len(LAZY) :]
        if distance and self.distance_at >= 0:
            # Before the photo, so the cut above left this position as it was.
            html = html[: self.distance_at] + distance + html[self.distance_at :]
        return html


@lru_cache(maxsize=1)
def _static_stamp() -> str:
    # Hashed static names change with a deployment; the cards link the icons.
    return static("img/icons.svg")


class PageCards(NamedTuple):
    """A page's cards, in order, as its list shows them."""

    kind: Kind
    cards: list[Card]
    # HTML put into a card by event id: its distance on a list sorted by it.
    distances: dict[int, str] = {}

    @property
    def fallback(self) -> bool:
        return any(card.fallback for card in self.cards)

    def html(self) -> str:
        before, after = self.kind.before, self.kind.after
        return "".join(
            f"{before}{card.shown(n == 0, self.distances.get(card.pk, ''))}{after}"
            for n, card in enumerate(self.cards)
        )

    def __bool__(self) -> bool:
        return bool(self.cards)

    def __len__(self) -> int:
        return len(self.cards)


def load_events(pks: Sequence[int], *, with_review: bool = False) -> list[Event]:
    """Public events by pk with what a card shows: place, texts, services, review."""
    events = (
        Event.objects.public()
        .select_related("location__district")
        .prefetch_related(*text_lookups())
        .filter(pk__in=pks)
    )
    if with_review:
        events = reviewed_first(events)
    return list(events)


def render_card(event: Event, kind: Kind) -> Card:
    template = engines["django"].get_template(kind.template).template
    context = make_context({"event": event, "first": False}, autoescape=True)
    # Filled by the {% translated %} tags (see events.templatetags.translated).
    marks = context.translation_marks = set()
    html = template.render(context)
    distance_at = html.find(DISTANCE_MARK)
    if distance_at >= 0:
        html = html[:distance_at] + html[distance_at + len(DISTANCE_MARK) :]
    lazy_at = html.rfind(LAZY) if getattr(event, "photo", None) else -1
    return Card(html, "fallback" in marks, lazy_at, event.pk, distance_at)


def page_cards(entries: Sequence[Entry], kind: Kind, version: int) -> PageCards:
    """The stored card of each entry (an event unpublished meanwhile is left out).

    ``version`` is the generation read before the entries were.
    """

    def build(missing: list[Entry]) -> dict[int, Card]:
        events = load_events(
            [entry.pk for entry in missing], with_review=kind.with_review
        )
        return {event.pk: render_card(event, kind) for event in events}

    vary = (timezone.localdate().isoformat(), _static_stamp(), CARD_FORMAT)
    found = stored_pieces(entries, kind.name, build, version=version, vary=vary)
    return PageCards(kind, found, distances(entries))


def distances(entries: Sequence[Entry]) -> dict[int, str]:
    """Each entry's distance as its card shows it, on a list sorted by distance.

    The entries of such a list carry ``nearness`` (``events.nearness``);
    other lists' entries do not, and get none. An event whose place cannot
    be located gets none either.
    """
    shown = {}
    for entry in entries:
        km = kilometres(getattr(entry, NEARNESS, None))
        if km is not None:
            shown[entry.pk] = format_html(
                ' <span class="event-card__distance">{}</span>',
                _("%(distance)s away") % {"distance": distance_text(km)},
            )
    return shown
