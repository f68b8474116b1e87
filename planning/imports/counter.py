"""A pedestrian counter's export: readings summed per local date and hour."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Location
from planning.imports.reading import (
    BERLIN,
    CREATED,
    EARLIEST_YEAR,
    MAX_COUNTER_ROWS,
    MAX_PASSERS_BY,
    UNCHANGED,
    UPDATED,
    CellError,
    FileProblem,
    Outcome,
    Parsed,
    Plan,
    RowError,
    Table,
    blank,
    cell_at,
    cell_text,
    error_plan,
    map_header,
    parse_count,
    parse_date,
    parse_time,
    read_table,
    scope_check,
    shown,
)
from planning.models import PassersByCount

# --- The pedestrian counter ------------------------------------------------

COUNTER_HEADERS: dict[str, set[str]] = {
    "timestamp": {
        "timestamp",
        "zeitpunkt",
        "zeitstempel",
        "datetime",
        "date_time",
        "datum_uhrzeit",
        "datum_und_uhrzeit",
    },
    "date": {"date", "datum"},
    "time": {"time", "uhrzeit", "zeit", "hour", "stunde"},
    "count": {
        "count",
        "anzahl",
        "pedestrians_count",
        "pedestrians",
        "passers_by",
        "passanten",
        "fußgänger",
        "zählung",
    },
}


@dataclass
class CounterHour:
    line: int  # the first line counted in this hour
    day: date
    hour: int
    count: int

    def to_payload(self) -> list:
        return [self.line, self.day.isoformat(), self.hour, self.count]

    @classmethod
    def from_payload(cls, item: list) -> CounterHour:
        line, day, hour, count = item
        return cls(line, date.fromisoformat(day), hour, count)


def parse_timestamp(cell) -> tuple[datetime, bool]:
    """The local wall-clock time of a reading, and whether the file named its zone."""
    if isinstance(cell, datetime):
        moment = cell
    else:
        text = cell_text(cell)
        german = re.fullmatch(
            r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ ,T]+(\d{1,2})[:.](\d{2})(?::(\d{2}))?",
            text,
        )
        try:
            if german:
                day, month, year, hour, minute = (int(p) for p in german.groups()[:5])
                # Wall-clock time where the counter stands; zoned below.
                moment = datetime(year, month, day, hour, minute)  # noqa: DTZ001
            else:
                moment = datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                _(
                    "“%(value)s” is not a time stamp "
                    "(write 2024-07-23T10:00:00+02:00 or 23.07.2024 10:00)."
                )
                % {"value": shown(cell)}
            ) from None
    if moment.tzinfo is not None:
        return moment.astimezone(BERLIN).replace(tzinfo=None), True
    return moment, False


def parse_counter(table: Table, *, today: date | None = None) -> Parsed:
    """Readings summed per local date and hour; other columns are ignored."""
    today = today or timezone.localdate()
    columns, _unknown, duplicate = map_header(table.header, COUNTER_HEADERS)
    errors = [
        RowError(1, _("The column “%(name)s” is there twice.") % {"name": name})
        for name in duplicate
    ]
    has_time = "timestamp" in columns or ("date" in columns and "time" in columns)
    if "count" not in columns or not has_time:
        errors.append(
            RowError(
                1,
                _(
                    "Missing column(s): the file needs a time stamp (or a date "
                    "and a time) and a count."
                ),
            )
        )
    if errors:
        return Parsed(rows=[], errors=errors)
    if not table.rows:
        return Parsed(rows=[], errors=[RowError(2, _("The file has no rows."))])
    hours: dict[tuple[date, int], CounterHour] = {}
    seen: dict[datetime, int] = {}
    errors = []
    for line, cells in table.rows:
        try:
            if "timestamp" in columns:
                moment, zoned = parse_timestamp(cell_at(cells, columns["timestamp"]))
            else:
                day = parse_date(cell_at(cells, columns["date"]))
                moment = datetime.combine(
                    day, parse_time(cell_at(cells, columns["time"]))
                )
                zoned = False
            if moment.date() > today:
                raise CellError(
                    _("%(date)s lies in the future.")
                    % {"date": moment.strftime("%d.%m.%Y %H:%M")}
                )
            if moment.year < EARLIEST_YEAR:
                raise CellError(
                    _("%(date)s is too long ago.")
                    % {"date": moment.strftime("%d.%m.%Y")}
                )
            count_cell = cell_at(cells, columns["count"])
            if blank(count_cell):
                raise CellError(_("The count is missing."))
            count = parse_count(count_cell, maximum=MAX_PASSERS_BY)
        except CellError as error:
            errors.append(RowError(line, str(error)))
            continue
        if moment in seen and (zoned or not _repeated_hour(moment)):
            errors.append(
                RowError(
                    line,
                    _("The same time as line %(line)d.") % {"line": seen[moment]},
                )
            )
            continue
        seen.setdefault(moment, line)
        key = (moment.date(), moment.hour)
        if key in hours:
            hours[key].count += count
        else:
            hours[key] = CounterHour(line, moment.date(), moment.hour, count)
    return Parsed(
        rows=sorted(hours.values(), key=lambda h: (h.day, h.hour)), errors=errors
    )


def _repeated_hour(moment: datetime) -> bool:
    """In the night summer time ends, 2 o'clock comes twice: two readings."""
    first = moment.replace(tzinfo=BERLIN, fold=0).utcoffset()
    return first != moment.replace(tzinfo=BERLIN, fold=1).utcoffset()


def plan_counter(parsed: Parsed, *, location: Location, source: str) -> Plan:
    if parsed.errors:
        return error_plan(source, parsed.errors)
    plan = Plan(source=source)
    hours: list[CounterHour] = parsed.rows
    stored = {
        (row.date, row.hour): row
        for row in PassersByCount.objects.filter(
            location=location,
            source=PassersByCount.Source.COUNTER,
            date__gte=hours[0].day,
            date__lte=hours[-1].day,
        )
    }
    creates, updates = [], []
    for hour in hours:
        label = f"{hour.day:%d.%m.%Y} {hour.hour:02d}:00–{(hour.hour + 1) % 24:02d}:00"
        row = stored.get((hour.day, hour.hour))
        if row is None:
            creates.append(
                PassersByCount(
                    location=location,
                    date=hour.day,
                    hour=hour.hour,
                    minutes=60,
                    count=hour.count,
                    source=PassersByCount.Source.COUNTER,
                )
            )
            plan.outcomes.append(Outcome(hour.line, CREATED, label, str(hour.count)))
        elif row.count != hour.count or row.minutes != 60:
            detail = f"{row.count} → {hour.count}"
            row.count, row.minutes = hour.count, 60
            updates.append(row)
            plan.outcomes.append(Outcome(hour.line, UPDATED, label, detail))
        else:
            plan.outcomes.append(Outcome(hour.line, UNCHANGED, label, str(hour.count)))
    plan._work = {"creates": creates, "updates": updates}
    return plan


def apply_counter(plan: Plan) -> Plan:
    assert plan.ok, "a plan with errors is never stored"
    try:
        with transaction.atomic():
            PassersByCount.objects.bulk_create(plan._work["creates"], batch_size=1000)
            if plan._work["updates"]:
                PassersByCount.objects.bulk_update(
                    plan._work["updates"], ["count", "minutes"], batch_size=1000
                )
    except IntegrityError:
        plan.errors.append(
            RowError(
                1, _("The stored data changed while importing: import the file again.")
            )
        )
        return plan
    plan.stored = True
    return plan


def import_counter(
    data: bytes, *, location: Location, source: str, dry_run: bool = False
) -> Plan:
    """Read, check and (unless a dry run) store a pedestrian counter's file."""
    try:
        table = read_table(data, max_rows=MAX_COUNTER_ROWS)
    except FileProblem as problem:
        return error_plan(source, [RowError(1, str(problem))])
    return run_counter(
        parse_counter(table), location=location, source=source, dry_run=dry_run
    )


def run_counter(
    parsed: Parsed, *, location: Location, source: str, dry_run: bool
) -> Plan:
    scope_check()
    with transaction.atomic():
        plan = plan_counter(parsed, location=location, source=source)
        if plan.ok and not dry_run:
            apply_counter(plan)
    return plan
