"""Writes to events: each function one state change, atomic, validated."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from events.models import SOURCE_LANGUAGE, Event, MaterialHandout


@transaction.atomic
def publish_event(event: Event) -> Event:
    """Make an event public; refuses (ValidationError) what is not ready."""
    event.status = Event.Status.PUBLISHED
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def cancel_event(event: Event) -> Event:
    """Cancel an event: it stays visible, marked as cancelled."""
    event.status = Event.Status.CANCELLED
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def duplicate_event(event: Event, *, start: datetime) -> Event:
    """Copy an event to a new start as a draft, with its services, groups and materials."""
    draft = Event(
        location=event.location,
        languages=list(event.languages),
        photo=event.photo.name if event.photo else "",
        photo_width=event.photo_width,
        photo_height=event.photo_height,
        status=Event.Status.DRAFT,
    )
    # Every language's texts, as they are (a machine draft stays marked).
    for translation in event.translations.all():
        draft.set_current_language(translation.language_code)
        for field in event._parler_meta.get_translated_fields():
            setattr(draft, field, getattr(translation, field))
    draft.set_current_language(SOURCE_LANGUAGE)
    draft.start = start
    draft.end = start + event.duration if event.start and event.end else None
    draft.full_clean(exclude=["slug"])
    draft.save()
    draft.services.set(event.services.all())
    draft.target_groups.set(event.target_groups.all())
    draft.responsible.set(event.responsible.all())
    # One save per handout (not bulk_create), so the audit trail sees each.
    for handout in event.handouts.all():
        MaterialHandout.objects.create(
            event=draft, material_id=handout.material_id, brought=handout.brought
        )
    return draft


@transaction.atomic
def set_archived(obj, *, archived: bool) -> None:
    """Archive (or restore) a district, location, service or target group."""
    obj.archived = archived
    obj.save(update_fields=["archived"])


def same_time_on(event: Event, day: date) -> datetime:
    """The event's local start time of day, on another day."""
    local = timezone.localtime(event.start)
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))
