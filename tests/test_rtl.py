"""Right to left: Arabic and Persian pages, their stylesheet, icons and charts."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from feedback.charts import WIDTH, Bar, bar_chart
from quartier.templatetags.quartier import icon
from tests.factories import EventFactory, open_for_feedback

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"
BOOTSTRAP = STATIC / "vendor" / "bootstrap"
# Physical sides that flip with the direction; logical properties serve both.
PHYSICAL = re.compile(
    r"(?<![-\w])(?:margin-left|margin-right|padding-left|padding-right|"
    r"border-left|border-right|left|right)\s*:|(?:float|text-align):\s*(?:left|right)"
)


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def stylesheets(response) -> list[str]:
    return re.findall(
        r'<link rel="stylesheet" href="([^"]+)"', response.content.decode()
    )


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_bidi_languages_are_laid_out_right_to_left(client, code):
    response = client.get(f"/{code}/archiv/")
    assert html_tag(response) == f'<html lang="{code}" dir="rtl">'
    sheets = stylesheets(response)
    assert "/static/vendor/bootstrap/bootstrap.rtl.min.css" in sheets
    assert "/static/vendor/bootstrap/bootstrap.min.css" not in sheets


@pytest.mark.parametrize("prefix", ["", "/en", "/de-x-ls", "/tr", "/uk", "/ru"])
def test_other_languages_are_left_to_right(client, prefix):
    response = client.get(f"{prefix}/archiv/")
    # Left to right is the default: no dir attribute.
    assert "dir=" not in html_tag(response)
    sheets = stylesheets(response)
    assert "/static/vendor/bootstrap/bootstrap.min.css" in sheets
    assert "/static/vendor/bootstrap/bootstrap.rtl.min.css" not in sheets


def test_the_direction_follows_djangos_bidi_list(client, settings):
    settings.LANGUAGES_BIDI = ["ru"]
    assert 'dir="rtl"' in html_tag(client.get("/ru/archiv/"))
    assert html_tag(client.get("/ar/archiv/")) == '<html lang="ar">'


def test_an_arabic_event_page_is_right_to_left(client):
    event = EventFactory(published=True)
    response = client.get(f"/ar{event.get_absolute_url()}")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="ar" dir="rtl">'


def test_the_arabic_feedback_form_is_right_to_left(client):
    event = open_for_feedback()
    response = client.get(f"/ar/f/{event.short_code}/")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="ar" dir="rtl">'
    assert "/static/vendor/bootstrap/bootstrap.rtl.min.css" in stylesheets(response)


def test_printed_sheets_say_their_direction(client):
    event = open_for_feedback()
    address = event.get_absolute_url()
    poster = client.get(f"/ar{address}plakat/")
    questionnaire = client.get(f"/fa/f/{event.short_code}/fragebogen/")
    german = client.get(f"{address}plakat/")
    assert html_tag(poster) == '<html lang="ar" dir="rtl">'
    assert html_tag(questionnaire) == '<html lang="fa" dir="rtl">'
    assert html_tag(german) == '<html lang="de">'


def test_the_error_page_says_its_direction():
    with translation.override("ar"):
        page = render_to_string("500.html")
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    with translation.override("de"):
        assert '<html lang="de">' in render_to_string("500.html")


def test_the_rtl_stylesheet_is_the_same_bootstrap_version():
    def version(path: Path) -> str:
        return re.search(r"Bootstrap\s+v(\S+)", path.read_text()[:300]).group(1)

    rtl = BOOTSTRAP / "bootstrap.rtl.min.css"
    assert version(rtl) == version(BOOTSTRAP / "bootstrap.min.css")
    text = rtl.read_text()
    # Bootstrap's RTL build swaps sides: the mirrored utility is in it.
    assert ".ms-auto{margin-right:auto!important}" in text
    # No source map is shipped, so none may be referenced (manifest storage).
    assert "sourceMappingURL" not in text


@pytest.mark.parametrize(
    "path", sorted((STATIC / "css").glob("*.css")), ids=lambda path: path.name
)
def test_project_css_uses_logical_properties(path):
    lines = path.read_text().splitlines()
    physical = [
        (number, line.strip())
        for number, line in enumerate(lines, 1)
        if PHYSICAL.search(line)
        # A chevron drawn with two borders points down in both directions.
        and not (path.name == "quartier.css" and "border-right: 2px" in line)
        # Written for right to left only, inside a [dir="rtl"] rule.
        and not any('[dir="rtl"]' in earlier for earlier in lines[number - 4 : number])
    ]
    assert physical == []


def test_directional_icons_mirror_right_to_left():
    assert 'class="icon icon--mirror-rtl"' in icon("arrow-back")
    assert 'class="icon extra icon--mirror-rtl"' in icon("arrow-forward", "extra")
    assert "mirror" not in icon("globe")
    css = (STATIC / "css" / "quartier.css").read_text()
    assert re.search(
        r'\[dir="rtl"\] \.icon--mirror-rtl \{\s*transform: scaleX\(-1\);', css
    )
    symbols = (STATIC / "img" / "icons.svg").read_text()
    assert 'id="arrow-back"' in symbols and 'id="arrow-forward"' in symbols


def test_the_pager_arrows_are_mirrored_icons(client):
    EventFactory.create_batch(21, published=True)
    html = client.get("/ar/").content.decode()
    assert "#arrow-forward" in html
    assert "icon--mirror-rtl" in html


def chart(**kwargs) -> str:
    bars = [Bar("Plakat", 4, "4"), Bar("Website", 2, "2")]
    return str(bar_chart(bars, chart_id="c", title="T", description="D", **kwargs))


def rects(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(width))
        for x, width in re.findall(
            r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg
        )
    ]


def test_a_right_to_left_chart_grows_from_the_right_edge():
    svg = chart(rtl=True)
    assert 'direction="rtl"' in svg
    assert 'preserveAspectRatio="xMaxYMin meet"' in svg
    for x, width in rects(svg):
        assert x + width == WIDTH
    # Labels start at the right edge, values sit left of their bar.
    assert f'<text x="{WIDTH}" ' in svg
    (x, width), _ = rects(svg)
    assert f'<text x="{x - 6:.0f}" ' in svg


def test_a_left_to_right_chart_grows_from_the_left_edge():
    svg = chart(rtl=False)
    assert 'direction="ltr"' in svg
    assert all(x == 0 for x, _width in rects(svg))


def test_charts_follow_the_active_language():
    with translation.override("fa"):
        assert 'direction="rtl"' in chart()
    with translation.override("de"):
        assert 'direction="ltr"' in chart()


def test_arabic_reports_draw_right_to_left_charts(coordinator_client):
    EventFactory(published=True)
    html = coordinator_client.get("/ar/auswertung/").content.decode()
    charts = re.findall(r"<svg class=\"chart\"[^>]*>", html)
    assert charts
    assert all('direction="rtl"' in svg for svg in charts)


def test_a_language_added_by_settings_alone_gets_its_direction(client, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("he", "Hebrew")]
    response = client.get("/he/archiv/")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="he" dir="rtl">'
    assert "עברית" in response.content.decode()
