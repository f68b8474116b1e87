"""Lead-time rules for announcements: what is due or overdue before a date.

Each channel has a lead time in days before the event (``PLANNING_LEAD_DAYS``,
a settings dict merged over ``DEFAULT_LEAD_DAYS``). ``None`` means no reminder:
the website shows a date as soon as it is published, and e-mail alerts go out
on publishing by themselves (``alerts``).

An announcement planned but not done is due by the earlier of its planned day
and its channel's lead-time day. A channel in ``PLANNING_EXPECTED_CHANNELS``
(default: posters and partners) is due by its lead-time day even where nobody
has planned it yet, so a date with no plan at all is reminded too. A done
announcement (``done_on`` set) is never due. Only coming dates that are not
cancelled get reminders; the admin's list shows what is overdue or due within
``PLANNING_DUE_SOON_DAYS`` (3) days.

``reminders()`` works on announcements already loaded (the admin prefetches
them for the whole page in one query); ``overdue_condition()`` says the same
as a database condition, for the list filter.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from events.models import Event
from planning.models import Announcement

Channel = Announcement.Channel

DEFAULT_LEAD_DAYS: dict[str, int | None] = {
    Channel.POSTER: 14,
    Channel.PARTNER: 21,
    Channel.LETTER: 14,
    Channel.SOCIAL_MEDIA: 7,
    Channel.PRESS: 10,
    Channel.WEBSITE: None,  # on publishing: the public pages show the date
    Channel.EMAIL_ALERTS: None,  # automatic: sent when the date is published
    Channel.OTHER: None,  # whatever was planned for it
}
DEFAULT_EXPECTED_CHANNELS = (Channel.POSTER, Channel.PARTNER)
DEFAULT_DUE_SOON_DAYS = 3


def lead_days() -> dict[str, int | None]:
    """The lead time per channel: the defaults, overridden by the setting."""
    return {**DEFAULT_LEAD_DAYS, **getattr(settings, "PLANNING_LEAD_DAYS", {})}


def expected_channels() -> tuple[str, ...]:
    channels = getattr(settings, "PLANNING_EXPECTED_CHANNELS", None)
    return tuple(DEFAULT_EXPECTED_CHANNELS if channels is None else channels)


def due_soon_days() -> int:
    return getattr(settings, "PLANNING_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS)


@dataclass(frozen=True)
class Reminder:
    channel: str
    due: date
    today: date

    @property
    def overdue(self) -> bool:
        return self.due < self.today

    @property
    def text(self) -> str:
        """E.g. "Plakate fällig seit 2 Tagen", "Presse fällig in 3 Tagen"."""
        channel = Channel(self.channel).label
        days = (self.due - self.today).days
        if days < 0:
            return ngettext(
                "%(channel)s due since %(days)d day",
                "%(channel)s due since %(days)d days",
                -days,
            ) % {"channel": channel, "days": -days}
        if days == 0:
            return gettext("%(channel)s due today") % {"channel": channel}
        return ngettext(
            "%(channel)s due in %(days)d day",
            "%(channel)s due in %(days)d days",
            days,
        ) % {"channel": channel, "days": days}


def _event_day(event: Event) -> date:
    return timezone.localtime(event.start).date()


def _lead_day(channel: str, event_day: date, leads: dict) -> date | None:
    days = leads.get(channel)
    return None if days is None else event_day - timedelta(days=days)


def deadlines(event: Event, announcements, today: date) -> dict[str, date]:
    """When each not-yet-done channel of a coming date is due (the earliest per channel)."""
    if (
        event.start is None
        or event.status == Event.Status.CANCELLED
        or _event_day(event) < today
    ):
        return {}
    leads = lead_days()
    event_day = _event_day(event)
    due: dict[str, date] = {}
    planned = set()
    for announcement in announcements:
        planned.add(announcement.channel)
        if announcement.done_on:
            continue
        day = announcement.planned_for
        lead_day = _lead_day(announcement.channel, event_day, leads)
        if lead_day is not None:
            day = min(day, lead_day)
        due[announcement.channel] = min(day, due.get(announcement.channel, day))
    for channel in expected_channels():
        lead_day = _lead_day(channel, event_day, leads)
        if channel not in planned and lead_day is not None:
            due[channel] = lead_day
    return due


def reminders(event: Event, announcements, today: date | None = None) -> list[Reminder]:
    """What is overdue or due within the next days, most urgent first."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=due_soon_days())
    return sorted(
        (
            Reminder(channel, day, today)
            for channel, day in deadlines(event, announcements, today).items()
            if day <= horizon
        ),
        key=lambda reminder: (reminder.due, reminder.channel),
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def _starts_before_lead(lead: int, horizon: date) -> Q:
    """The event's lead-time day for this channel is on or before ``horizon``."""
    return Q(start__lt=_midnight(horizon + timedelta(days=lead + 1)))


def due_condition(horizon: date, today: date | None = None) -> Q:
    """Events (coming, not cancelled) with something due on or before ``horizon``.

    The database twin of ``reminders()``: ``horizon = today - 1 day`` gives the
    overdue ones, ``today + 3 days`` those the list's column shows.
    """
    today = today or timezone.localdate()
    leads = lead_days()
    open_rows = Announcement.objects.filter(event=OuterRef("pk"), done_on__isnull=True)
    early = Q(planned_for__lte=horizon)
    for channel, lead in leads.items():
        if lead is not None:
            early |= Q(channel=channel) & Q(
                event__start__lt=_midnight(horizon + timedelta(days=lead + 1))
            )
    condition = Exists(open_rows.filter(early))
    for channel in expected_channels():
        lead = leads.get(channel)
        if lead is None:
            continue
        missing = ~Exists(
            Announcement.objects.filter(event=OuterRef("pk"), channel=channel)
        )
        condition = condition | (missing & _starts_before_lead(lead, horizon))
    coming = Q(start__gte=_midnight(today)) & ~Q(status=Event.Status.CANCELLED)
    return coming & Q(condition)


def overdue_condition(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return due_condition(today - timedelta(days=1), today)
