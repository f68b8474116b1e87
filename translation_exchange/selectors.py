"""Reads: which languages each text is complete in, and what is missing soon.

A language is complete for an object when every translated field that has
German text (the source) has text in that language too: an empty motto in
German needs no motto in Turkish.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events.models import (
    SOURCE_LANGUAGE,
    Event,
    Location,
    Material,
    Review,
    ReviewPhoto,
    ServiceOffering,
)

# The models whose texts are exchanged, by "app_label.model_name".
TRANSLATED_MODELS = {
    model._meta.label_lower: model
    for model in (Event, Location, ServiceOffering, Material, Review, ReviewPhoto)
}
# Kept on each translation row, but not a text.
NOT_TEXT = {"machine_translated"}


def text_fields(model) -> list[str]:
    """The translated text fields of a model, in the order they are declared."""
    return [
        name
        for name in model._parler_meta.get_translated_fields()
        if name not in NOT_TEXT
    ]


def language_codes() -> list[str]:
    """The configured languages, German first."""
    return [code for code, _name in settings.LANGUAGES]


def target_languages() -> list[tuple[str, str]]:
    """The languages texts are translated into: every configured one but German."""
    return [
        (code, name) for code, name in settings.LANGUAGES if code != SOURCE_LANGUAGE
    ]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def filled(value) -> bool:
    return bool(value and str(value).strip())


def rows_by_language(obj) -> dict:
    """The object's translation rows; prefetched ones are read without a query."""
    return {row.language_code: row for row in obj.translations.all()}


def source_fields(obj) -> list[str]:
    """The fields with German text: each translation needs these too."""
    source = rows_by_language(obj).get(SOURCE_LANGUAGE)
    if source is None:
        return []
    return [name for name in text_fields(type(obj)) if filled(getattr(source, name))]


@dataclass(frozen=True)
class LanguageStatus:
    complete: list[str]
    missing: list[str]

    @property
    def names_complete(self) -> list[str]:
        return [language_name(code) for code in self.complete]

    @property
    def names_missing(self) -> list[str]:
        return [language_name(code) for code in self.missing]


def language_status(obj) -> LanguageStatus:
    """Which configured languages the object's texts are complete in."""
    rows = rows_by_language(obj)
    needed = source_fields(obj)
    complete, missing = [], []
    for code in language_codes():
        row = rows.get(code)
        done = (
            bool(needed)
            and row is not None
            and all(filled(getattr(row, name)) for name in needed)
        )
        (complete if done else missing).append(code)
    return LanguageStatus(complete=complete, missing=missing)


def admin_change_url(obj, language: str = "") -> str:
    """The admin's edit form of an object, in one language's tab."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return f"{url}?language={language}" if language else url


@dataclass
class Gap:
    """One object with texts missing in some languages, and where to add them."""

    obj: object
    kind: str
    missing: list[tuple[str, str, str]]  # code, name, admin url of that tab


@dataclass
class EventGaps:
    event: Event
    gaps: list[Gap] = field(default_factory=list)

    @property
    def missing_languages(self) -> list[str]:
        codes = {code for gap in self.gaps for code, _name, _url in gap.missing}
        return [code for code in language_codes() if code in codes]


def soon_public(now: datetime, days: int):
    """Published events (or drafts scheduled to be) starting within `days`."""
    return (
        Event.objects.filter(
            Q(status=Event.Status.PUBLISHED)
            | Q(status=Event.Status.DRAFT, published_at__gt=now)
        )
        .filter(start__lt=now + timedelta(days=days))
        .upcoming(now)
        .with_texts()
        .select_related("location")
        .order_by("start", "pk")
    )


def parts_of(event: Event) -> list:
    """What a citizen reads on an event's page: the event, its place, its services."""
    parts = [event]
    if event.location is not None:
        parts.append(event.location)
    parts.extend(event.services.all())
    return parts


def gap_of(obj) -> Gap | None:
    status = language_status(obj)
    if not status.missing:
        return None
    return Gap(
        obj=obj,
        kind=str(obj._meta.verbose_name),
        missing=[
            (code, language_name(code), admin_change_url(obj, code))
            for code in status.missing
        ],
    )


def events_missing_translations(
    *, days: int, now: datetime | None = None
) -> list[EventGaps]:
    """Events public within `days` whose texts (or their place's, services') miss
    a language; a fixed number of queries, whatever the number of events."""
    now = now or timezone.now()
    result = []
    for event in soon_public(now, days):
        gaps = [gap for gap in map(gap_of, parts_of(event)) if gap is not None]
        if gaps:
            result.append(EventGaps(event=event, gaps=gaps))
    return result


def objects_to_translate(*, days: int, language: str, now: datetime | None = None):
    """The events public within `days`, their places and services that miss
    `language`, each once (for the export to a translator)."""
    now = now or timezone.now()
    seen, result = set(), []
    for event in soon_public(now, days):
        for obj in parts_of(event):
            key = (obj._meta.label_lower, obj.pk)
            if key not in seen and language in language_status(obj).missing:
                seen.add(key)
                result.append(obj)
    return result
