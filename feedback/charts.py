"""Charts as inline SVG, rendered on the server: no JavaScript, no inline styles.

Pure functions from plain rows to markup. Every label and value is printed as
text, so colour never carries meaning on its own; every chart has an
accessible name (``role="img"`` with ``<title>`` and ``<desc>``), and the page
shows the same numbers in a data table next to it.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 400
ROW_HEIGHT = 40
LABEL_SIZE = 14
BAR_HEIGHT = 16
VALUE_SPACE = 110
# Longer labels are shortened in the chart; the data table beside it has them whole.
LABEL_MAX = 48
BAR_FILL = "#0b5394"
TEXT_FILL = "#000"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as printed next to the bar, e.g. "12" or "25,0 %"


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1].rstrip() + "…"


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    bars: list[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    max_value: float | None = None,
) -> SafeString:
    """A horizontal bar chart: each label on its own line, the bar below, the value after it."""
    scale_max = max([max_value or 0, *(bar.value for bar in bars)]) or 1
    track = WIDTH - VALUE_SPACE
    height = max(len(bars), 1) * ROW_HEIGHT + 4
    rows = []
    for index, bar in enumerate(bars):
        top = index * ROW_HEIGHT
        length = max(bar.value, 0) / scale_max * track
        rows.append(
            format_html(
                '<g class="chart-row">'
                '<text x="0" y="{}" font-size="{}" fill="{}">{}</text>'
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="{}" fill="{}" font-weight="bold">{}</text>'
                "</g>",
                _fmt(top + LABEL_SIZE),
                LABEL_SIZE,
                TEXT_FILL,
                _shorten(bar.label),
                _fmt(top + LABEL_SIZE + 5),
                _fmt(length),
                BAR_HEIGHT,
                BAR_FILL,
                _fmt(length + 6),
                _fmt(top + LABEL_SIZE + 5 + BAR_HEIGHT - 3),
                LABEL_SIZE,
                TEXT_FILL,
                bar.text,
            )
        )
    return format_html(
        '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{description}</desc>'
        "{rows}</svg>",
        id=chart_id,
        width=WIDTH,
        height=height,
        title=title,
        description=description,
        rows=format_html_join("", "{}", ((row,) for row in rows)),
    )
