"""The planning pages' tables (``feedback.report_tables.Table``: page and CSV alike)."""

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from feedback import charts
from feedback.report_tables import (
    AVG,
    DATETIME,
    INT,
    MONTH,
    RATE,
    SHARE,
    Column,
    Table,
    display,
)
from planning.selectors import (
    ChannelReport,
    ComingDate,
    MonthAccuracy,
    PlaceRow,
    QuietDistrict,
)


def _day(value) -> str:
    return date_format(timezone.localtime(value), "D j.n.Y") if value else "–"


def _estimate_text(estimate) -> str:
    return _("about %(expected)s (80 %% range %(range)s)") % {
        "expected": display(estimate.expected, INT),
        "range": estimate.range_label,
    }


def _alternative_text(row: ComingDate) -> str:
    if not row.low_reach:
        return ""
    if not row.alternatives_looked_up:
        return _("see the planning panel of the date")
    if row.alternative is None:
        return _("no better place or time found")
    alternative = row.alternative
    text = _("%(place)s, %(when)s: %(range)s expected") % {
        "place": alternative.location.name,
        "when": date_format(timezone.localtime(alternative.start), "D j.n. H:i"),
        "range": alternative.estimate.range_label,
    }
    if alternative.distance_km is not None:
        text += " " + _("(%(km)s km away)") % {
            "km": display(alternative.distance_km, RATE)
        }
    return text


def coming_table(rows: list[ComingDate], threshold: int) -> Table:
    return Table(
        slug="termine",
        caption=_("Coming dates and their expected contacts"),
        columns=[
            Column(_("Start"), DATETIME),
            Column(_("Title")),
            Column(_("Location")),
            Column(_("District")),
            Column(_("Status")),
            Column(_("Expected contacts"), INT),
            Column(_("Range (80 %)")),
            Column(
                _("Below %(threshold)d: best alternative") % {"threshold": threshold}
            ),
        ],
        rows=[
            [
                row.event.start,
                row.event.title,
                row.event.location.name,
                row.event.location.district.name,
                capfirst(row.event.get_status_display()),
                row.estimate.expected,
                row.estimate.range_label,
                _alternative_text(row),
            ]
            for row in rows
        ],
        row_header=1,
    )


def quiet_table(rows: list[QuietDistrict], gap_days: int) -> Table:
    return Table(
        slug="bezirke",
        caption=_("Districts without a date in the last %(days)d days")
        % {"days": gap_days},
        columns=[
            Column(_("District")),
            Column(_("Last date")),
            Column(_("Next planned date")),
        ],
        rows=[
            [
                row.district.name,
                _day(row.last_date) if row.last_date else _("none yet"),
                _day(row.next_date) if row.next_date else _("none planned"),
            ]
            for row in rows
        ],
    )


def accuracy_table(rows: list[MonthAccuracy]) -> Table:
    return Table(
        slug="genauigkeit",
        caption=_("Accuracy of the expected contacts per month"),
        columns=[
            Column(_("Month"), MONTH),
            Column(_("Dates"), INT),
            Column(_("Mean absolute error (contacts)"), RATE),
            Column(_("Counted within the range (80 %)"), SHARE),
        ],
        rows=[[row.month, row.dates, row.mae, row.coverage] for row in rows],
    )


def channel_table(report: ChannelReport) -> Table:
    caption = _("Announcement channels across held events")
    rows = report.rows
    return Table(
        slug="kanaele",
        caption=caption,
        columns=[
            Column(_("Channel")),
            Column(_("Events where used"), INT),
            Column(_("How many (e.g. posters)"), INT),
            Column(_("Visitors who named it"), INT),
            Column(_("… per event"), AVG),
            Column(_("Contacts per event with it"), RATE),
            Column(_("Contacts per event without it"), RATE),
        ],
        rows=[
            [
                capfirst(row.label),
                row.events,
                row.quantity,
                row.heard,
                row.heard_per_event,
                row.contacts_with,
                row.contacts_without,
            ]
            for row in rows
        ],
        chart=charts.bar_chart(
            [
                charts.Bar(
                    capfirst(row.label),
                    row.heard_per_event or 0,
                    display(row.heard_per_event, AVG),
                )
                for row in rows
                if row.answer
            ],
            chart_id="chart-kanaele",
            title=_("Visitors per event who named the channel"),
            description=_(
                "Per channel, the answers naming it at the events where it was "
                "used, divided by those events; printed after the bar."
            ),
        ),
    )


def places_table(rows: list[PlaceRow]) -> Table:
    caption = _("Places and recipients compared")
    return Table(
        slug="orte",
        caption=caption,
        columns=[
            Column(_("Channel")),
            Column(_("Where or to whom")),
            Column(_("Events"), INT),
            Column(_("How many"), INT),
            Column(_("Visitors who named the channel"), INT),
            Column(_("… per event"), AVG),
            Column(_("Contacts per event"), RATE),
        ],
        rows=[
            [
                capfirst(row.label),
                row.place,
                row.events,
                row.quantity,
                row.heard,
                row.heard_per_event,
                row.contacts_per_event,
            ]
            for row in rows
        ],
        row_header=1,
        chart=charts.bar_chart(
            [
                charts.Bar(
                    f"{capfirst(row.label)}: {row.place}",
                    row.heard_per_event or 0,
                    display(row.heard_per_event, AVG),
                )
                for row in rows
            ],
            chart_id="chart-orte",
            title=caption,
            description=_(
                "Per place, the visitors per event who named the channel; "
                "printed after the bar."
            ),
        )
        if rows
        else None,
    )
