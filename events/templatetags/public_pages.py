"""Display helpers for the public event pages: formatting only, no queries."""

from django import template

from events.formatting import event_date_range
from events.languages import language_local_name, language_name
from events.models import ServiceOffering

register = template.Library()


@register.filter
def date_line(event) -> str:
    """ "Dienstag, 23. Juli 2024, 10:00–14:00 Uhr" in the active language."""
    if not event.start or not event.end:
        return ""
    return event_date_range(event.start, event.end)


@register.filter
def service_categories(event) -> list[str]:
    """The categories of the services offered, each once (from prefetched rows)."""
    labels = dict(ServiceOffering.Category.choices)
    seen = []
    for service in event.services.all():
        label = labels.get(service.category, service.category)
        if label not in seen:
            seen.append(label)
    return seen


@register.filter
def languages(codes) -> list[dict]:
    """Language codes as names: translated, in their own script, and the code."""
    return [
        {"code": code, "name": language_name(code), "local": language_local_name(code)}
        for code in codes or []
    ]
