"""The tables of the coordinator pages, built once from the summaries.

A ``Table`` holds raw values; the page shows them formatted for the active
language (with a chart beside), the CSV export writes them for spreadsheets.
The two small judgements a report makes in words (what was valued, which
location reached most people) live here too, as plain functions.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from events.languages import language_name
from events.models import Event, Location
from feedback import charts
from feedback.models import RATING_FIELDS, Feedback
from feedback.summaries import (
    ChannelSummary,
    EventReport,
    Figures,
    LocationRow,
    Row,
)

TEXT, INT, AVG, RATE, SHARE, MONTH, DATETIME, BOOL = (
    "text",
    "int",
    "avg",
    "rate",
    "share",
    "month",
    "datetime",
    "bool",
)
NUMERIC = {INT, AVG, RATE, SHARE}
MISSING = "–"
# An aspect rated at least this well on average counts as valued.
GOOD_AVERAGE = 4.0

FIGURES = [
    ("events_held", gettext_lazy("Events held"), INT),
    ("contacts", gettext_lazy("Contacts counted"), INT),
    ("feedback", gettext_lazy("Feedback received"), INT),
    ("response_rate", gettext_lazy("Response rate (feedback per contact)"), SHARE),
    ("average_overall", gettext_lazy("Average rating: overall"), AVG),
    ("average_consultation", gettext_lazy("Average rating: consultation"), AVG),
    ("average_material", gettext_lazy("Average rating: information material"), AVG),
    ("average_location", gettext_lazy("Average rating: location"), AVG),
    (
        "consultation_helpful_share",
        gettext_lazy("Consultation rated helpful (4 or 5 of 5)"),
        SHARE,
    ),
    ("would_come_again_share", gettext_lazy("Would come again"), SHARE),
    ("material_brought", gettext_lazy("Material brought"), INT),
    ("material_handed_out", gettext_lazy("Material handed out"), INT),
]
HEADLINE = ("events_held", "contacts", "feedback", "response_rate")
# The aspects a visitor rates, besides the overall rating.
ASPECTS = [
    ("average_consultation", "rating_consultation"),
    ("average_material", "rating_material"),
    ("average_location", "rating_location"),
]


def _number(value, places: int) -> str:
    """Rounded (number_format alone cuts digits off) with the language's separator."""
    return number_format(round(value, places), places)


def display(value, kind: str) -> str:
    """A value as the page shows it, in the active language."""
    if value is None or value == "":
        return MISSING if kind in NUMERIC else ""
    if kind == INT:
        return _number(value, 0)
    if kind == AVG:
        return _number(value, 2)
    if kind == RATE:
        return _number(value, 1)
    if kind == SHARE:
        return _number(value * 100, 1) + "\u00a0%"
    if kind == MONTH:
        return date_format(value, "F Y")
    if kind == DATETIME:
        return date_format(timezone.localtime(value), "j.n.Y H:i")
    if kind == BOOL:
        return _("yes") if value else _("no")
    return str(value)


def spreadsheet(value, kind: str) -> str:
    """A value as the CSV file holds it: decimal separator of the active language."""
    if value is None:
        return ""
    if kind == INT:
        return str(value)
    if kind == AVG:
        return _number(value, 2)
    if kind == RATE:
        return _number(value, 2)
    if kind == SHARE:
        return _number(value * 100, 1)
    if kind == MONTH:
        return value.strftime("%Y-%m")
    if kind == DATETIME:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if kind == BOOL:
        return _("yes") if value else _("no")
    return str(value)


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def csv_label(self) -> str:
        return f"{self.label} (%)" if self.kind == SHARE else str(self.label)


@dataclass(frozen=True)
class Cell:
    """A value whose kind differs from its column's (a table of mixed figures)."""

    value: object
    kind: str


@dataclass
class Table:
    slug: str  # the name in ?tabelle= and the base of element ids
    caption: str
    columns: list[Column]
    rows: list[list]
    chart: SafeString | None = None
    row_header: int = 0  # the column that names the row (th scope="row")
    charts: list[dict] = field(default_factory=list)  # small multiples: label, svg

    @property
    def wide(self) -> bool:
        """Too many columns to stand beside its chart."""
        return len(self.columns) > 4

    def _cells(self, row):
        for column, value in zip(self.columns, row, strict=True):
            if isinstance(value, Cell):
                yield value.value, value.kind, column
            else:
                yield value, column.kind, column

    @property
    def display_rows(self) -> list[list[dict]]:
        return [
            [
                {
                    "text": display(value, kind),
                    "numeric": kind in NUMERIC,
                    "header": index == self.row_header,
                }
                for index, (value, kind, _column) in enumerate(self._cells(row))
            ]
            for row in self.rows
        ]

    def csv_header(self) -> list[str]:
        return [column.csv_label for column in self.columns]

    def csv_rows(self) -> list[list[str]]:
        return [
            [spreadsheet(value, kind) for value, kind, _column in self._cells(row)]
            for row in self.rows
        ]


def rating_label(field_name: str) -> str:
    return capfirst(str(Feedback._meta.get_field(field_name).verbose_name))


def figures_table(figures: Figures, *, slug: str = "kennzahlen") -> Table:
    return Table(
        slug=slug,
        caption=_("Figures"),
        columns=[Column(_("Figure")), Column(_("Value"), INT)],
        rows=[
            [str(label), Cell(getattr(figures, name), kind)]
            for name, label, kind in FIGURES
        ],
    )


def headline(figures: Figures) -> list[dict]:
    """The few numbers shown large at the top of a page."""
    kinds = {name: (label, kind) for name, label, kind in FIGURES}
    return [
        {
            "label": kinds[name][0],
            "text": display(getattr(figures, name), kinds[name][1]),
        }
        for name in HEADLINE
    ]


def averages_table(figures: Figures, *, slug: str = "durchschnitt") -> Table:
    rows = [
        (rating_label("rating_overall"), figures.average_overall),
        *((rating_label(field), getattr(figures, name)) for name, field in ASPECTS),
    ]
    caption = _("Average ratings (1 = poor, 5 = very good)")
    return Table(
        slug=slug,
        caption=caption,
        columns=[Column(_("Aspect")), Column(_("Average"), AVG)],
        rows=[list(row) for row in rows],
        chart=charts.bar_chart(
            [
                charts.Bar(label, average or 0, display(average, AVG))
                for label, average in rows
            ],
            chart_id=f"chart-{slug}",
            title=caption,
            description=_("Bars from 0 to 5; the average is printed after each bar."),
            max_value=5,
        ),
    )


def count_table(
    rows: list[Row], *, slug: str, caption: str, label: str, description: str = ""
) -> Table:
    """A distribution: label, number, share; with a bar chart of the numbers."""
    return Table(
        slug=slug,
        caption=caption,
        columns=[Column(label), Column(_("Number"), INT), Column(_("Share"), SHARE)],
        rows=[[capfirst(row.label), row.count, row.share] for row in rows],
        chart=charts.bar_chart(
            [
                charts.Bar(
                    capfirst(row.label),
                    row.count,
                    f"{display(row.count, INT)} ({display(row.share, SHARE)})"
                    if row.share is not None
                    else display(row.count, INT),
                )
                for row in rows
            ],
            chart_id=f"chart-{slug}",
            title=caption,
            description=description
            or _("Number per answer; the number and share are printed after each bar."),
        ),
    )


def self_description_table(rows: list[Row]) -> Table:
    """Who gave feedback, by the optional self-description (event or period)."""
    return count_table(
        rows,
        slug="selbstbeschreibung",
        caption=_("How those who gave feedback describe themselves"),
        label=_("Describes themselves as"),
    )


def form_language_label(code: str) -> str:
    """A form language by its own name, and in the page's language if different."""
    local = get_language_info(code)["name_local"]
    name = str(get_language_info(code)["name_translated"])
    return local if local.casefold() == name.casefold() else f"{local} ({name})"


def answer_languages_table(rows: list[Row]) -> Table:
    """In which language visitors read the online form."""
    labelled = [
        Row(row.key, form_language_label(row.key), row.count, row.share)
        if row.key
        else row
        for row in rows
    ]
    return count_table(
        labelled,
        slug="sprachen",
        caption=_("Languages of the answers"),
        label=_("Language of the form"),
    )


def events_table(rows) -> Table:
    """Held events from (title, start, location name, district name) tuples."""
    return Table(
        slug="veranstaltungen",
        caption=_("Events held"),
        columns=[
            Column(_("Event")),
            Column(_("Start"), DATETIME),
            Column(_("Location")),
            Column(_("District")),
        ],
        rows=[list(row) for row in rows],
    )


# --- the event report -------------------------------------------------------


@dataclass(frozen=True)
class Aspect:
    label: str
    average: float

    @property
    def text(self) -> str:
        return display(self.average, AVG)


def valued_and_weak(figures: Figures) -> tuple[list[Aspect], list[Aspect]]:
    """The best-rated aspects (≥ 4 of 5, else the best one) and the lowest-rated ones."""
    rated = sorted(
        (
            Aspect(rating_label(field), getattr(figures, name))
            for name, field in ASPECTS
            if getattr(figures, name) is not None
        ),
        key=lambda aspect: (-aspect.average, aspect.label),
    )
    if not rated:
        return [], []
    valued = [aspect for aspect in rated if aspect.average >= GOOD_AVERAGE] or rated[:1]
    weak = [aspect for aspect in reversed(rated) if aspect not in valued]
    return valued, weak


def event_reach(report: EventReport) -> dict:
    """Contacts per hour of the event, the location's foot traffic, passers-by."""
    event: Event = report.event
    hours = event.duration.total_seconds() / 3600 if event.start and event.end else 0
    passing = next((row for row in report.channels if row.key == "passing_by"), None)
    return {
        "contacts": display(report.figures.contacts, INT),
        "hours": display(hours, RATE),
        "per_hour": display(report.figures.contacts / hours if hours else None, RATE),
        "foot_traffic": event.location.get_foot_traffic_display()
        if event.location
        else MISSING,
        "passing_by": display(passing.share if passing else None, SHARE),
    }


def event_tables(report: EventReport) -> list[Table]:
    tables = [figures_table(report.figures), averages_table(report.figures)]
    for field_name in RATING_FIELDS:
        rows = report.ratings.get(field_name, [])
        name = rating_label(field_name)
        tables.append(
            count_table(
                rows,
                slug=f"bewertung-{field_name.removeprefix('rating_')}",
                caption=_("Ratings: %(aspect)s") % {"aspect": name},
                label=_("Rating"),
            )
        )
    tables += [
        count_table(
            report.channels,
            slug="kanaele",
            caption=_("How visitors heard of the event"),
            label=_("Channel"),
        ),
        count_table(
            report.services_of_interest,
            slug="interesse",
            caption=_("Services of interest"),
            label=_("Service"),
        ),
        count_table(
            report.contacts_by_target_group,
            slug="kontakte-zielgruppe",
            caption=_("Contacts by target group"),
            label=_("Target group"),
        ),
        count_table(
            report.contacts_by_service,
            slug="kontakte-thema",
            caption=_("Contacts by topic"),
            label=_("Service topic"),
        ),
        self_description_table(report.self_descriptions),
        materials_table(report),
        comments_table(report),
    ]
    return tables


def materials_table(report: EventReport) -> Table:
    caption = _("Material brought and handed out")
    shares = [
        (row.handed_out / row.brought if row.brought else None)
        for row in report.materials
    ]
    return Table(
        slug="material",
        caption=caption,
        columns=[
            Column(_("Material")),
            Column(_("Language")),
            Column(_("Brought"), INT),
            Column(_("Handed out"), INT),
            Column(_("Share handed out"), SHARE),
        ],
        rows=[
            [row.title, language_name(row.language), row.brought, row.handed_out, share]
            for row, share in zip(report.materials, shares, strict=True)
        ],
        chart=charts.bar_chart(
            [
                charts.Bar(
                    f"{row.title} ({language_name(row.language)})",
                    share or 0,
                    _("%(handed_out)s of %(brought)s")
                    % {"handed_out": row.handed_out, "brought": row.brought},
                )
                for row, share in zip(report.materials, shares, strict=True)
            ],
            chart_id="chart-material",
            title=caption,
            description=_(
                "Each bar is the share of the material brought that was handed out; "
                "the numbers are printed after the bar."
            ),
            max_value=1,
        ),
    )


def comments_table(report: EventReport) -> Table:
    sources = dict(Feedback.Source.choices)
    return Table(
        slug="kommentare",
        caption=_("Comments"),
        columns=[
            Column(_("Submitted at"), DATETIME),
            Column(_("Overall rating"), INT),
            Column(_("Source")),
            Column(_("May be published"), BOOL),
            Column(_("Comment")),
        ],
        rows=[
            [
                comment.submitted_at,
                comment.rating_overall,
                str(sources.get(comment.source, comment.source)),
                comment.may_publish,
                comment.text,
            ]
            for comment in report.comments
        ],
    )


# --- locations --------------------------------------------------------------


def best_reach_sentence(rows: list[LocationRow]) -> str:
    """Names the location that reached the most people per event hour."""
    measured = [row for row in rows if row.contacts_per_hour is not None]
    if not measured:
        return _("No location has counted contacts in this period yet.")
    best = max(measured, key=lambda row: (row.contacts_per_hour, -measured.index(row)))
    values = {
        "location": best.location.name,
        "per_hour": display(best.contacts_per_hour, RATE),
        "traffic": Location.FootTraffic(best.foot_traffic).label
        if best.foot_traffic in Location.FootTraffic.values
        else MISSING,
    }
    if len(measured) == 1:
        return (
            _(
                "Only %(location)s has counted contacts: %(per_hour)s per event hour "
                "(expected foot traffic: %(traffic)s)."
            )
            % values
        )
    return (
        _(
            "%(location)s reached the most people: %(per_hour)s contacts per event "
            "hour (expected foot traffic: %(traffic)s)."
        )
        % values
    )


def locations_table(rows: list[LocationRow], *, order: str) -> Table:
    caption = (
        _("Locations ranked by reach (contacts per event hour)")
        if order == "reach"
        else _("Locations ranked by overall rating")
    )
    table_rows = [
        [
            rank,
            row.location.name,
            row.location.district.name,
            Location.FootTraffic(row.foot_traffic).label
            if row.foot_traffic in Location.FootTraffic.values
            else row.foot_traffic,
            row.events,
            row.event_hours,
            row.contacts,
            row.contacts_per_hour,
            row.feedback,
            row.feedback_per_event,
            row.average_overall,
            row.average_location,
        ]
        for rank, row in enumerate(rows, start=1)
    ]
    if order == "reach":
        bars = [
            charts.Bar(
                _("%(location)s (foot traffic: %(traffic)s)")
                % {"location": row.location.name, "traffic": values[3]},
                row.contacts_per_hour or 0,
                display(row.contacts_per_hour, RATE),
            )
            for row, values in zip(rows, table_rows, strict=True)
        ]
        description = _("Contacts per event hour; the number is printed after the bar.")
        max_value = None
    else:
        bars = [
            charts.Bar(
                row.location.name,
                row.average_overall or 0,
                display(row.average_overall, AVG),
            )
            for row in rows
        ]
        description = _("Average overall rating from 0 to 5, printed after the bar.")
        max_value = 5
    return Table(
        slug="orte",
        caption=caption,
        columns=[
            Column(_("Rank"), INT),
            Column(_("Location")),
            Column(_("District")),
            Column(_("Expected foot traffic")),
            Column(_("Events"), INT),
            Column(_("Event hours"), RATE),
            Column(_("Contacts"), INT),
            Column(_("Contacts per hour"), RATE),
            Column(_("Feedback"), INT),
            Column(_("Feedback per event"), RATE),
            Column(_("Average overall"), AVG),
            Column(_("Average location"), AVG),
        ],
        rows=table_rows,
        row_header=1,
        chart=charts.bar_chart(
            bars,
            chart_id="chart-orte",
            title=caption,
            description=description,
            max_value=max_value,
        ),
    )


# --- channels ---------------------------------------------------------------


def channel_tables(summary: ChannelSummary) -> list[Table]:
    channels = Feedback.Channel.choices
    shares_caption = _("Passing by, announced or word of mouth")
    share_rows = [
        (_("Just passing by"), summary.passing_by_share),
        (
            _("Announced (poster, letter, website, social media, partner)"),
            summary.announced_share,
        ),
        (_("Word of mouth (friends or family)"), summary.word_of_mouth_share),
    ]
    shares = Table(
        slug="anteile",
        caption=shares_caption,
        columns=[Column(_("How visitors heard of it")), Column(_("Share"), SHARE)],
        rows=[list(row) for row in share_rows],
        chart=charts.bar_chart(
            [
                charts.Bar(label, share or 0, display(share, SHARE))
                for label, share in share_rows
            ],
            chart_id="chart-anteile",
            title=shares_caption,
            description=_(
                "Share of all answers that name a channel; printed after the bar."
            ),
            max_value=1,
        ),
    )
    totals = count_table(
        summary.totals,
        slug="kanaele",
        caption=_("Channels over the whole period"),
        label=_("Channel"),
    )
    months_caption = _("Channels per month")
    peak = max(
        (count for period in summary.periods for count in period.counts.values()),
        default=0,
    )
    months = Table(
        slug="monate",
        caption=months_caption,
        columns=[
            Column(_("Month"), MONTH),
            *(Column(capfirst(str(label)), INT) for _value, label in channels),
            Column(_("Total"), INT),
        ],
        rows=[
            [
                period.month,
                *(period.counts.get(value, 0) for value, _label in channels),
                period.total,
            ]
            for period in summary.periods
        ],
        charts=[
            {
                "label": capfirst(str(label)),
                "svg": charts.bar_chart(
                    [
                        charts.Bar(
                            display(period.month, MONTH),
                            period.counts.get(value, 0),
                            display(period.counts.get(value, 0), INT),
                        )
                        for period in summary.periods
                    ],
                    chart_id=f"chart-monate-{value}",
                    title=_("%(channel)s per month")
                    % {"channel": capfirst(str(label))},
                    description=_(
                        "Answers per month naming this channel; all charts share one "
                        "scale."
                    ),
                    max_value=peak,
                ),
            }
            for value, label in channels
        ]
        if summary.periods
        else [],
    )
    return [shares, totals, months]
