"""Rows as the API shows them: plain dicts matching api.schemas.

Texts come from the translation rows the selectors prefetched
(``events.translation.shown``), in the active language with German as the
marked fallback, as on the pages: no query per row. Addresses are the
Jobcenter's absolute ones (``events.structured_data.absolute_url``), in the
active language's prefix; times are local (Europe/Berlin) with their offset.
"""

from django.urls import reverse
from django.utils import timezone

from events.models import Event, Location, ServiceOffering
from events.nearness import NEARNESS, kilometres
from events.structured_data import absolute_url, photo_url
from events.translation import shown


def text(obj, field: str) -> dict:
    value = shown(obj, field)
    return {
        "text": value.text,
        "language": value.language,
        "fallback": value.fallback,
        "machine_translated": value.machine,
    }


def district(row) -> dict:
    return {"slug": row.slug, "name": row.name}


def target_group(row) -> dict:
    return {"slug": row.slug, "name": row.name}


def service_summary(row: ServiceOffering) -> dict:
    return {
        "id": row.pk,
        "category": row.category,
        "category_label": str(row.get_category_display()),
        "title": text(row, "title"),
    }


def service(row: ServiceOffering) -> dict:
    return {
        **service_summary(row),
        "description": text(row, "description"),
        "target_groups": [group.slug for group in row.target_groups.all()],
    }


def _coordinate(value) -> float | None:
    return None if value is None else float(value)


def location(row: Location) -> dict:
    return {
        "id": row.pk,
        "name": text(row, "name"),
        "street": row.street,
        "postcode": row.postcode,
        "city": row.city,
        "district": district(row.district),
        "latitude": _coordinate(row.latitude),
        "longitude": _coordinate(row.longitude),
        "step_free": row.step_free,
        "accessible_toilet": row.accessible_toilet,
        "directions": text(row, "directions"),
        "accessibility_notes": text(row, "accessibility_notes"),
        "map_url": row.map_url,
    }


def _photo(row: Event) -> dict | None:
    if not row.photo:
        return None
    return {
        "url": photo_url(row),
        "width": row.photo_width,
        "height": row.photo_height,
        "alt": text(row, "photo_alt"),
        "credit": text(row, "photo_credit"),
    }


def event(row: Event) -> dict:
    shown = {
        "slug": row.slug,
        "status": row.status,
        "cancelled": row.is_cancelled,
        "title": text(row, "title"),
        "motto": text(row, "motto"),
        "description": text(row, "description"),
        "start": timezone.localtime(row.start),
        "end": timezone.localtime(row.end),
        "location": location(row.location),
        "services": [service_summary(item) for item in row.services.all()],
        "target_groups": [target_group(item) for item in row.target_groups.all()],
        "languages": list(row.languages or []),
        "photo": _photo(row),
        "url": absolute_url(row.get_absolute_url()),
        "ics_url": absolute_url(reverse("events:event_ics", kwargs={"slug": row.slug})),
        "updated": timezone.localtime(row.updated_at),
    }
    if hasattr(row, NEARNESS):  # sorted by distance from a postcode (?plz=)
        km = kilometres(getattr(row, NEARNESS))
        shown["distance_km"] = None if km is None else round(km, 1)
    return shown
