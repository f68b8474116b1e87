"""Display helpers for the public event pages: formatting only, no queries."""

from django import template
from django.utils.safestring import mark_safe

from events.formatting import event_date_range, relative_day
from events.languages import language_local_name, language_name
from events.models import ServiceOffering
from events.nearness import NEARNESS, distance_text, kilometres

register = template.Library()


@register.filter
def date_line(event) -> str:
    """ "Dienstag, 23. Juli 2024, 10:00–14:00 Uhr" in the active language."""
    if not event.start or not event.end:
        return ""
    return event_date_range(event.start, event.end)


@register.filter
def relative_date(event) -> str:
    """ "heute", "morgen", "in 3 Tagen" for the event's start (empty if none)."""
    if not event.start:
        return ""
    return relative_day(event.start)


def category_icon(category: str) -> str:
    """The icon of a service category (static/img/icons.svg); a speech bubble for new ones."""
    known = set(ServiceOffering.Category.values)
    return category if category in known else "service"


@register.filter
def service_categories(event) -> list[dict]:
    """The categories of the services offered, each once (from prefetched rows)."""
    labels = dict(ServiceOffering.Category.choices)
    seen = {}
    for service in event.services.all():
        if service.category not in seen:
            seen[service.category] = {
                "value": service.category,
                "label": labels.get(service.category, service.category),
                "icon": category_icon(service.category),
            }
    return list(seen.values())


@register.filter
def icon_for_category(category: str) -> str:
    return category_icon(category)


@register.filter
def languages(codes) -> list[dict]:
    """Language codes as names: translated, in their own script, and the code."""
    return [
        {"code": code, "name": language_name(code), "local": language_local_name(code)}
        for code in codes or []
    ]


@register.simple_tag(takes_context=True)
def event_cards(context, cards) -> str:
    """A page's stored cards (events.cards.PageCards), joined as its list shows them.

    A card with a German fallback counts for the section's translation notice,
    as its {% translated %} tags would have when it was rendered.
    """
    marks = getattr(context, "translation_marks", None)
    if marks is not None and cards.fallback:
        marks.add("fallback")
    return mark_safe(cards.html())


@register.filter
def distance(event) -> str:
    """ "1,2 km" from the postcode a list is sorted by (empty if not sorted so)."""
    km = kilometres(getattr(event, NEARNESS, None))
    return "" if km is None else distance_text(km)
