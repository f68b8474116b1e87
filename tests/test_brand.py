"""The operator's look: brand colour, logo, /marke.css and the contrast check."""

import pytest

from quartier.brand import brand_palette, contrast_ratio, readable_on, shade
from quartier.checks import check_brand


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the classic lightest grey for text
        ("#0b5394", "#ffffff", 7.84),
    ],
)
def test_contrast_ratio_follows_wcag(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(second, first) == pytest.approx(ratio, abs=0.01)


def test_shade_mixes_with_black():
    assert shade("#ffffff", 0) == "#ffffff"
    assert shade("#ffffff", 1) == "#000000"
    assert shade("#808080", 0.5) == "#404040"


def test_links_get_a_darker_shade_only_where_the_colour_is_too_light():
    assert readable_on("#0b5394", "#f4f4f4") == "#0b5394"
    darker = readable_on("#e2001a", "#f4f4f4")
    assert darker != "#e2001a"
    assert contrast_ratio(darker, "#f4f4f4") >= 4.5


def test_the_default_colour_passes_the_check(settings):
    assert check_brand(None) == []


@pytest.mark.parametrize("color", ["#ffcc00", "#6fa8dc", "#ffffff"])
def test_a_colour_too_light_for_white_text_fails_with_a_clear_message(settings, color):
    settings.BRAND_COLOR = color
    errors = check_brand(None)
    assert [e.id for e in errors] == ["quartier.E002"]
    assert f"BRAND_COLOR {color} has a contrast of" in errors[0].msg
    assert "at least 4.5:1" in errors[0].msg


@pytest.mark.parametrize("color", ["blue", "#fff", "0b5394", "#0b539g", ""])
def test_a_colour_not_written_as_rrggbb_fails(settings, color):
    settings.BRAND_COLOR = color
    assert [e.id for e in check_brand(None)] == ["quartier.E001"]


@pytest.mark.parametrize(
    "logo", ["https://cdn.example.org/logo.svg", "//cdn.example.org/logo.png"]
)
def test_a_logo_on_another_host_fails(settings, logo):
    settings.SITE_LOGO = logo
    assert [e.id for e in check_brand(None)] == ["quartier.E003"]


def test_a_logo_missing_from_the_static_files_fails(settings):
    settings.SITE_LOGO = "img/gibt-es-nicht.svg"
    errors = check_brand(None)
    assert [e.id for e in errors] == ["quartier.E004"]
    assert "'img/gibt-es-nicht.svg' is not a static file" in errors[0].msg


def test_a_logo_path_on_this_site_is_not_looked_up(settings):
    settings.SITE_LOGO = "/media/logo.png"
    assert check_brand(None) == []


@pytest.mark.django_db
def test_marke_css_serves_the_jobcenters_colour_cacheably(client, jobcenter):
    jobcenter.brand_color = "#A1005B"
    jobcenter.save()
    response = client.get("/marke.css")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    css = response.content.decode()
    for name, value in brand_palette("#a1005b").items():
        assert f"{name}: {value};" in css
    assert "--q-accent: #a1005b;" in css


@pytest.mark.django_db
def test_marke_css_refuses_posts(client):
    assert client.post("/marke.css").status_code == 405


@pytest.mark.django_db
def test_pages_show_the_logo_and_link_the_colour_of_the_jobcenter(
    client, settings, jobcenter
):
    html = client.get("/impressum/").content.decode()
    assert 'src="/static/img/quartier-mark.svg"' in html
    default_link = html.split('href="/marke.css?v=')[1].split('"')[0]

    jobcenter.logo.name = "jobcenters/logos/musterstadt.png"
    jobcenter.brand_color = "#a1005b"
    jobcenter.save()
    settings.SITE_NAME = "Jobcenter Musterstadt vor Ort"
    html = client.get("/impressum/").content.decode()
    assert 'src="/media/jobcenters/logos/musterstadt.png"' in html
    assert "Jobcenter Musterstadt vor Ort" in html
    # A new colour is a new address: browsers do not keep the old one.
    assert default_link not in html
    assert 'href="/marke.css?v=' in html


@pytest.mark.django_db
def test_the_installation_logo_is_shown_where_the_jobcenter_has_none(client, settings):
    settings.SITE_LOGO = "/media/jobcenter-musterstadt.png"
    html = client.get("/impressum/").content.decode()
    assert 'src="/media/jobcenter-musterstadt.png"' in html
