"""Dates and times as people read them: "Dienstag, 23. Juli 2024, 10:00–14:00 Uhr"."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

# Further ahead, the date itself says enough.
RELATIVE_DAYS_MAX = 14


def event_day(moment: datetime) -> str:
    """The weekday and date in the active language, e.g. "Dienstag, 23. Juli 2024"."""
    return date_format(
        timezone.localtime(moment), pgettext("long date with weekday", "l, j F Y")
    )


def clock(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "H:i")


def event_date_range(start: datetime, end: datetime) -> str:
    """One line for when an event takes place, in the active language."""
    if timezone.localtime(start).date() == timezone.localtime(end).date():
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": event_day(start),
            "start": clock(start),
            "end": clock(end),
        }
    return _("%(start_day)s, %(start)s – %(end_day)s, %(end)s") % {
        "start_day": event_day(start),
        "start": clock(start),
        "end_day": event_day(end),
        "end": clock(end),
    }


def relative_day(moment: datetime, now: datetime | None = None) -> str:
    """ "today", "tomorrow", "in 3 days": how far off a day is, in Berlin days.

    Empty for days already past and for days more than RELATIVE_DAYS_MAX ahead.
    Pages that show it may be cached for PUBLIC_CACHE_SECONDS past midnight.
    """
    today = timezone.localtime(now or timezone.now()).date()
    days = (timezone.localtime(moment).date() - today).days
    if days < 0 or days > RELATIVE_DAYS_MAX:
        return ""
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in %(count)s day", "in %(count)s days", days) % {"count": days}
