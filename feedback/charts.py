"""Charts as inline SVG, rendered on the server: no JavaScript, no inline styles.

Pure functions from plain rows to markup. Every label and value is printed as
text, so colour never carries meaning on its own; every chart has an
accessible name (``role="img"`` with ``<title>`` and ``<desc>``), and the page
shows the same numbers in a data table next to it.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi

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
    rtl: bool | None = None,
) -> SafeString:
    """A horizontal bar chart: each label on its own line, the bar below, the value after it.

    Right to left (``rtl``, by default the current language's direction) the
    chart is mirrored: labels start at the right edge and bars grow leftward.
    """
    if rtl is None:
        rtl = get_language_bidi()
    scale_max = max([max_value or 0, *(bar.value for bar in bars)]) or 1
    track = WIDTH - VALUE_SPACE
    height = max(len(bars), 1) * ROW_HEIGHT + 4
    # SVG text anchors are physical: "end" is the right edge of a left-to-right
    # run, but with direction="rtl" on the <svg> "start" is the right edge.
    rows = []
    for index, bar in enumerate(bars):
        top = index * ROW_HEIGHT
        length = max(bar.value, 0) / scale_max * track
        if rtl:
            label_x, bar_x, value_x = WIDTH, WIDTH - length, WIDTH - length - 6
        else:
            label_x, bar_x, value_x = 0, 0, length + 6
        rows.append(
            format_html(
                '<g class="chart-row">'
                '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="{}" fill="{}" font-weight="bold">{}</text>'
                "</g>",
                _fmt(label_x),
                _fmt(top + LABEL_SIZE),
                LABEL_SIZE,
                TEXT_FILL,
                _shorten(bar.label),
                _fmt(bar_x),
                _fmt(top + LABEL_SIZE + 5),
                _fmt(length),
                BAR_HEIGHT,
                BAR_FILL,
                _fmt(value_x),
                _fmt(top + LABEL_SIZE + 5 + BAR_HEIGHT - 3),
                LABEL_SIZE,
                TEXT_FILL,
                bar.text,
            )
        )
    return format_html(
        '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'preserveAspectRatio="{align} meet" direction="{direction}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{description}</desc>'
        "{rows}</svg>",
        id=chart_id,
        width=WIDTH,
        height=height,
        align="xMaxYMin" if rtl else "xMinYMin",
        direction="rtl" if rtl else "ltr",
        title=title,
        description=description,
        rows=format_html_join("", "{}", ((row,) for row in rows)),
    )
