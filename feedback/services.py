"""Writes of the feedback app: contacts counted on site, the comment retention rule."""

import calendar
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.models import Event, ServiceOffering, TargetGroup
from feedback.models import ContactCount, Feedback

# How long a member of staff can take back a tap made by mistake.
UNDO_WINDOW = timedelta(minutes=10)


def count_contact(
    event: Event,
    user,
    *,
    target_group: TargetGroup | None = None,
    service: ServiceOffering | None = None,
    quantity: int = 1,
) -> ContactCount:
    """Record conversations at the stand: always a new row, so parallel taps all count."""
    count = ContactCount(
        event=event,
        counted_by=user,
        target_group=target_group,
        service=service,
        quantity=quantity,
    )
    # The related objects come in as instances; only the row's own rules need checking.
    count.full_clean(exclude=["event", "counted_by", "target_group", "service"])
    count.save()
    return count


@transaction.atomic
def undo_last_count(event: Event, user, *, now: datetime | None = None):
    """Delete the user's own most recent count for the event, if made within the window.

    Returns the deleted count (with its target group and service loaded) or None.
    """
    now = now or timezone.now()
    last = (
        ContactCount.objects.select_for_update(of=("self",))
        .select_related("target_group", "service")
        .filter(event=event, counted_by=user, counted_at__gte=now - UNDO_WINDOW)
        .order_by("-counted_at", "-pk")
        .first()
    )
    if last is None:
        return None
    # A second, simultaneous undo waited on the lock and now finds no row to delete.
    deleted, _ = ContactCount.objects.filter(pk=last.pk).delete()
    return last if deleted else None


def months_before(moment: datetime, months: int) -> datetime:
    """The same local wall-clock time `months` calendar months earlier (day clamped)."""
    local = timezone.localtime(moment)
    month_index = local.year * 12 + (local.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    naive = local.replace(tzinfo=None, year=year, month=month, day=day)
    return timezone.make_aware(naive)


def comment_cutoff(*, now: datetime | None = None, months: int | None = None):
    """Comments submitted before this moment are due for removal."""
    if months is None:
        months = settings.COMMENT_RETENTION_MONTHS
    return months_before(now or timezone.now(), months)


def comments_due(*, now: datetime | None = None, months: int | None = None):
    """Feedback whose free-text comment is older than the retention period."""
    return Feedback.objects.filter(
        submitted_at__lt=comment_cutoff(now=now, months=months)
    ).exclude(comment="")


def purge_old_comments(
    *, now: datetime | None = None, months: int | None = None, dry_run: bool = False
) -> int:
    """Blank comments older than the retention period in one UPDATE; ratings stay."""
    now = now or timezone.now()
    due = comments_due(now=now, months=months)
    if dry_run:
        return due.count()
    return due.update(comment="", comment_removed_at=now)
