"""Past dates from a spreadsheet: one row per date, matched to a place, stored once."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import SOURCE_LANGUAGE, District, Location
from jobcenters.scoping import active_jobcenter
from planning.imports.reading import (
    BERLIN,
    CREATED,
    DISTRICT_LENGTH,
    EARLIEST_YEAR,
    MAX_CONTACTS,
    MAX_HISTORY_ROWS,
    MAX_PASSERS_BY,
    NAME_LENGTH,
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
    name_key,
    parse_count,
    parse_date,
    parse_postcode,
    parse_time,
    read_table,
    scope_check,
    shown,
    street_key,
)
from planning.models import PastDate

# --- The past dates --------------------------------------------------------

HISTORY_HEADERS: dict[str, set[str]] = {
    "date": {"date", "datum", "tag"},
    "start": {"start", "beginn", "begin", "von"},
    "end": {"end", "ende", "bis"},
    "location": {"location", "ort", "standort", "place"},
    "street": {"street", "strasse", "str."},
    "postcode": {"postcode", "plz", "postleitzahl", "zip"},
    "district": {"district", "stadtteil", "bezirk"},
    "city": {"city", "stadt"},
    "contacts": {"contacts", "kontakte", "gespräche"},
    "passers_by": {"passers_by", "passersby", "passanten"},
    "title": {"title", "titel"},
}
HISTORY_REQUIRED = (
    "date",
    "start",
    "end",
    "location",
    "street",
    "postcode",
    "district",
    "contacts",
)
COLUMN_LABELS = {
    "date": gettext_lazy("date"),
    "start": gettext_lazy("start"),
    "end": gettext_lazy("end"),
    "location": gettext_lazy("location"),
    "street": gettext_lazy("street"),
    "postcode": gettext_lazy("postcode"),
    "district": gettext_lazy("district"),
    "city": gettext_lazy("city"),
    "contacts": gettext_lazy("contacts"),
    "passers_by": gettext_lazy("passers-by"),
    "title": gettext_lazy("title"),
}
# The headers as the German template writes them, named in messages.
GERMAN_HEADERS = {
    "date": "Datum",
    "start": "Beginn",
    "end": "Ende",
    "location": "Ort",
    "street": "Straße",
    "postcode": "PLZ",
    "district": "Stadtteil",
    "contacts": "Kontakte",
}


@dataclass
class HistoryRow:
    line: int
    start: datetime
    end: datetime
    location: str
    street: str
    postcode: str
    district: str
    city: str
    contacts: int
    passers_by: int | None
    title: str

    def to_payload(self) -> list:
        return [
            self.line,
            self.start.isoformat(),
            self.end.isoformat(),
            self.location,
            self.street,
            self.postcode,
            self.district,
            self.city,
            self.contacts,
            self.passers_by,
            self.title,
        ]

    @classmethod
    def from_payload(cls, item: list) -> HistoryRow:
        line, start, end, *texts, contacts, passers_by, title = item
        return cls(
            line,
            datetime.fromisoformat(start),
            datetime.fromisoformat(end),
            *texts,
            contacts,
            passers_by,
            title,
        )


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at).replace(tzinfo=BERLIN)


def parse_history(table: Table, *, today: date | None = None) -> Parsed:
    today = today or timezone.localdate()
    columns, unknown, duplicate = map_header(table.header, HISTORY_HEADERS)
    errors = [
        RowError(1, _("Unknown column “%(name)s”.") % {"name": shown(name)})
        for name in unknown
    ]
    errors += [
        RowError(1, _("The column “%(name)s” is there twice.") % {"name": name})
        for name in duplicate
    ]
    missing = [name for name in HISTORY_REQUIRED if name not in columns]
    if missing:
        errors.append(
            RowError(
                1,
                _("Missing column(s): %(names)s.")
                % {
                    "names": ", ".join(
                        f"{name}/{GERMAN_HEADERS[name]}" for name in missing
                    )
                },
            )
        )
    if errors:
        return Parsed(rows=[], errors=errors)
    if not table.rows:
        return Parsed(rows=[], errors=[RowError(2, _("The file has no rows."))])
    rows, errors = [], []
    for line, cells in table.rows:
        try:
            rows.append(_history_row(line, cells, columns, today))
        except CellError as error:
            errors.append(RowError(line, str(error)))
    optional = tuple(name for name in ("passers_by", "title") if name in columns)
    return Parsed(rows=rows, errors=errors, columns=optional)


def _history_row(line: int, cells: list, columns: dict, today: date) -> HistoryRow:
    def value(name):
        return cell_at(cells, columns.get(name))

    def text(name, limit):
        result = cell_text(value(name))
        if len(result) > limit:
            raise CellError(
                _("The %(column)s is longer than %(limit)d characters.")
                % {"column": COLUMN_LABELS[name], "limit": limit}
            )
        return result

    if blank(value("date")):
        raise CellError(_("The date is missing."))
    day = parse_date(value("date"))
    if day > today:
        raise CellError(
            _("%(date)s lies in the future: only past dates are imported.")
            % {"date": day.strftime("%d.%m.%Y")}
        )
    if day.year < EARLIEST_YEAR:
        raise CellError(
            _("%(date)s is too long ago.") % {"date": day.strftime("%d.%m.%Y")}
        )
    for name in ("start", "end", "location", "contacts"):
        if blank(value(name)):
            raise CellError(
                _("The %(column)s is missing.") % {"column": COLUMN_LABELS[name]}
            )
    start = local(day, parse_time(value("start")))
    end = local(day, parse_time(value("end")))
    if end <= start:
        raise CellError(
            _("The end (%(end)s) is not after the start (%(start)s).")
            % {"end": f"{end:%H:%M}", "start": f"{start:%H:%M}"}
        )
    passers_by = value("passers_by")
    return HistoryRow(
        line=line,
        start=start,
        end=end,
        location=text("location", NAME_LENGTH),
        street=text("street", NAME_LENGTH),
        postcode=parse_postcode(value("postcode"))[:20],
        district=text("district", DISTRICT_LENGTH),
        city=text("city", 100),
        contacts=parse_count(value("contacts"), maximum=MAX_CONTACTS),
        passers_by=(
            None
            if blank(passers_by)
            else parse_count(passers_by, maximum=MAX_PASSERS_BY)
        ),
        title=text("title", NAME_LENGTH),
    )


def _location_name(location: Location) -> str:
    for translation in location.translations.all():
        if translation.language_code == SOURCE_LANGUAGE:
            return translation.name
    return location.safe_translation_getter("name", any_language=True) or ""


@dataclass
class _NewLocation:
    name: str
    street: str
    postcode: str
    city: str
    district: str  # the district's key in the plan

    @property
    def label(self) -> str:
        return f"{self.name}, {self.street}, {self.postcode} {self.city}"


class _Places:
    """The Jobcenter's locations and districts, read once, and those to create."""

    def __init__(self):
        self.by_name: dict[str, list[Location]] = defaultdict(list)
        for location in Location.objects.prefetch_related("translations").order_by(
            "pk"
        ):
            self.by_name[name_key(_location_name(location))].append(location)
        self.districts = {
            name_key(district.name): district for district in District.objects.all()
        }
        self.slugs = set(District.objects.values_list("slug", flat=True))
        self.new_districts: dict[str, str] = {}  # key: name
        self.new_locations: dict[tuple, _NewLocation] = {}
        jobcenter = active_jobcenter()
        # A new place is in the Jobcenter's city unless the file names another.
        self.city = (
            getattr(jobcenter, "city", "")
            or Location._meta.get_field("city").get_default()
        )

    def find(self, row: HistoryRow) -> Location | tuple:
        """The stored location of this row, or the key of one to create."""
        candidates = self.by_name.get(name_key(row.location), [])
        if row.street:
            candidates = [
                c for c in candidates if street_key(c.street) == street_key(row.street)
            ]
        if row.postcode:
            candidates = [c for c in candidates if c.postcode == row.postcode]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise CellError(
                _(
                    "Several locations are called “%(name)s”: give the street "
                    "and postcode to say which."
                )
                % {"name": shown(row.location)}
            )
        return self._new(row)

    def _new(self, row: HistoryRow) -> tuple:
        key = (name_key(row.location), street_key(row.street), row.postcode)
        if key in self.new_locations:
            return key
        if not (row.street and re.fullmatch(r"\d{5}", row.postcode) and row.district):
            raise CellError(
                _(
                    "No location “%(name)s” at this address is known: to create "
                    "it, give the street, a five-digit postcode and the district."
                )
                % {"name": shown(row.location)}
            )
        district = name_key(row.district)
        if district not in self.districts and district not in self.new_districts:
            self.new_districts[district] = row.district
        self.new_locations[key] = _NewLocation(
            name=row.location,
            street=row.street,
            postcode=row.postcode,
            city=row.city or self.city,
            district=district,
        )
        return key

    def slug_for(self, name: str) -> str:
        base = slugify(name)[:90] or "stadtteil"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug


def _when(start: datetime, end: datetime) -> str:
    start, end = start.astimezone(BERLIN), end.astimezone(BERLIN)
    return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"


def plan_history(parsed: Parsed, *, source: str) -> Plan:
    """What importing these rows would do; reads the database, writes nothing."""
    if parsed.errors:
        return error_plan(source, parsed.errors)
    places = _Places()
    errors: list[RowError] = []
    resolved: list[tuple[HistoryRow, Location | tuple]] = []
    seen: dict[tuple, int] = {}
    for row in parsed.rows:
        try:
            place = places.find(row)
        except CellError as error:
            errors.append(RowError(row.line, str(error)))
            continue
        identity = (place.pk if isinstance(place, Location) else place, row.start)
        if identity in seen:
            errors.append(
                RowError(
                    row.line,
                    _("The same place and start as line %(line)d.")
                    % {"line": seen[identity]},
                )
            )
            continue
        seen[identity] = row.line
        resolved.append((row, place))
    if errors:
        return error_plan(source, errors)

    stored = {}
    known = {place.pk for _row, place in resolved if isinstance(place, Location)}
    if known:
        starts = [row.start for row, _place in resolved]
        for past in PastDate.objects.filter(
            location__in=known, start__gte=min(starts), start__lte=max(starts)
        ):
            stored[(past.location_id, past.start)] = past

    plan = Plan(source=source)
    creates, updates = [], []
    compared = ("end", "contacts", *parsed.columns)
    for row, place in resolved:
        is_new = not isinstance(place, Location)
        name = row.location if is_new else _location_name(place)
        label = f"{name}, {_when(row.start, row.end)}"
        past = None if is_new else stored.get((place.pk, row.start))
        if past is None:
            creates.append((row, place))
            plan.outcomes.append(Outcome(row.line, CREATED, label, new_location=is_new))
            continue
        changes = [
            f"{name}: {_shown_value(getattr(past, name))} → "
            f"{_shown_value(getattr(row, name))}"
            for name in compared
            if getattr(past, name) != getattr(row, name)
        ]
        if changes:
            for name in compared:
                setattr(past, name, getattr(row, name))
            past.source = source[:200]
            updates.append(past)
            plan.outcomes.append(Outcome(row.line, UPDATED, label, "; ".join(changes)))
        else:
            plan.outcomes.append(Outcome(row.line, UNCHANGED, label))
    plan.new_districts = sorted(places.new_districts.values(), key=str.casefold)
    plan.new_locations = sorted(
        (new.label for new in places.new_locations.values()), key=str.casefold
    )
    plan._work = {"places": places, "creates": creates, "updates": updates}
    plan._work["fields"] = [*compared, "source"]
    return plan


def _shown_value(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime):
        return f"{value.astimezone(BERLIN):%H:%M}"
    return shown(value)


def apply_history(plan: Plan) -> Plan:
    """Store a plan without errors, all or nothing."""
    assert plan.ok, "a plan with errors is never stored"
    work = plan._work
    places: _Places = work["places"]
    try:
        with transaction.atomic():
            districts = dict(places.districts)
            for key, name in places.new_districts.items():
                districts[key] = District.objects.create(
                    name=name, slug=places.slug_for(name)
                )
            locations = {}
            for key, new in places.new_locations.items():
                location = Location(
                    street=new.street,
                    postcode=new.postcode,
                    district=districts[new.district],
                )
                location.city = new.city
                location.set_current_language(SOURCE_LANGUAGE)
                location.name = new.name
                location.save()
                locations[key] = location
            PastDate.objects.bulk_create(
                [
                    PastDate(
                        location=(
                            place if isinstance(place, Location) else locations[place]
                        ),
                        start=row.start,
                        end=row.end,
                        contacts=row.contacts,
                        passers_by=row.passers_by,
                        title=row.title,
                        source=plan.source[:200],
                    )
                    for row, place in work["creates"]
                ],
                batch_size=500,
            )
            if work["updates"]:
                PastDate.objects.bulk_update(
                    work["updates"], work["fields"], batch_size=500
                )
    except IntegrityError:
        # Someone imported or typed in the same dates meanwhile.
        plan.errors.append(
            RowError(
                1, _("The stored data changed while importing: import the file again.")
            )
        )
        return plan
    plan.stored = True
    return plan


def import_history(data: bytes, *, source: str, dry_run: bool = False) -> Plan:
    """Read, check and (unless a dry run) store a file of past dates."""
    try:
        table = read_table(data, max_rows=MAX_HISTORY_ROWS)
    except FileProblem as problem:
        return error_plan(source, [RowError(1, str(problem))])
    return run_history(parse_history(table), source=source, dry_run=dry_run)


def run_history(parsed: Parsed, *, source: str, dry_run: bool) -> Plan:
    scope_check()
    with transaction.atomic():
        plan = plan_history(parsed, source=source)
        if plan.ok and not dry_run:
            apply_history(plan)
    return plan
