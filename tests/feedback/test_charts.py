import re

from feedback.charts import BAR_FILL, Bar, bar_chart


def chart(bars, **kwargs):
    options = {"chart_id": "chart-x", "title": "Titel", "description": "Beschreibung"}
    return str(bar_chart(bars, **{**options, **kwargs}))


def bar_widths(svg: str) -> list[float]:
    return [float(width) for width in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]


def test_chart_has_an_accessible_name_and_description():
    svg = chart([Bar("Plakat", 3, "3")])
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">Titel</title>' in svg
    assert '<desc id="chart-x-desc">Beschreibung</desc>' in svg


def test_every_label_and_value_is_printed_as_text():
    svg = chart([Bar("Plakat", 3, "3 (75,0 %)"), Bar("Website", 1, "1 (25,0 %)")])
    for text in ("Plakat", "Website", "3 (75,0 %)", "1 (25,0 %)"):
        assert f">{text}</text>" in svg


def test_labels_are_escaped():
    svg = chart(
        [Bar('<script>alert("x")</script>', 1, "1")], title="<b>T</b>", description="&"
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;b&gt;T&lt;/b&gt;" in svg
    assert '<desc id="chart-x-desc">&amp;</desc>' in svg


def test_bars_are_scaled_to_the_largest_value():
    widths = bar_widths(chart([Bar("a", 4, "4"), Bar("b", 2, "2"), Bar("c", 0, "0")]))
    assert widths[0] > 0
    assert widths[1] == widths[0] / 2
    assert widths[2] == 0


def test_a_fixed_maximum_keeps_scales_comparable():
    full = bar_widths(chart([Bar("a", 5, "5")], max_value=5))[0]
    half = bar_widths(chart([Bar("a", 2.5, "2,5")], max_value=5))[0]
    assert half == full / 2


def test_an_empty_chart_is_still_valid_markup():
    svg = chart([])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<rect" not in svg


def test_bars_use_a_dark_colour_on_white():
    assert f'fill="{BAR_FILL}"' in chart([Bar("a", 1, "1")])


def test_long_labels_are_shortened_in_the_chart():
    svg = chart([Bar("Beratung " * 20, 1, "1")])
    assert "Beratung Beratung" in svg
    assert "…</text>" in svg
    assert ("Beratung " * 20).strip() not in svg
