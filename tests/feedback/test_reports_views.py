from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from events.models import Location, ServiceOffering
from feedback import summaries
from feedback.models import Feedback
from feedback.report_tables import display
from tests.accounts import force_login_verified
from tests.factories import (
    ContactCountFactory,
    DistrictFactory,
    EventFactory,
    FeedbackFactory,
    LocationFactory,
    MaterialFactory,
    MaterialHandoutFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example","Klick")'


def days_ago(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def held_event(days: int, location, **kwargs):
    start = days_ago(days)
    return EventFactory(
        published=True,
        location=location,
        start=start,
        end=start + timedelta(hours=4),
        **kwargs,
    )


@pytest.fixture
def data():
    """Two locations in two districts, three held events, feedback and contacts."""
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    weststadt = DistrictFactory(name="Weststadt", slug="weststadt")
    werkstatt = LocationFactory(
        name="Quartierswerkstatt",
        district=oststadt,
        foot_traffic=Location.FootTraffic.LOW,
    )
    markt = LocationFactory(
        name="Marktplatz", district=weststadt, foot_traffic=Location.FootTraffic.HIGH
    )
    career = ServiceOfferingFactory(
        title="Berufliche Beratung",
        category=ServiceOffering.Category.CAREER_DEVELOPMENT,
    )
    families = TargetGroupFactory(name="Familien", slug="familien")
    first = held_event(40, werkstatt, title="Wir für Sie", services=[career])
    second = held_event(10, markt, title="Markttag")
    held_event(5, werkstatt, title="Werkstatt-Nachmittag")
    EventFactory(published=True, location=markt, title="Noch nicht")  # upcoming
    ContactCountFactory(event=first, quantity=8, target_group=families, service=career)
    ContactCountFactory(event=first, quantity=4)
    ContactCountFactory(event=second, quantity=20)
    MaterialHandoutFactory(
        event=first, material=MaterialFactory(title="Flyer Beratung"), brought=100
    )
    FeedbackFactory(
        event=first,
        rating_overall=5,
        rating_consultation=5,
        rating_material=4,
        rating_location=2,
        heard_via=Feedback.Channel.PASSING_BY,
        would_come_again=True,
        comment="Sehr gute Beratung <script>alert(1)</script>",
        submitted_at=days_ago(40, 13),
        services_of_interest=[career],
    )
    FeedbackFactory(
        event=first,
        rating_overall=4,
        rating_consultation=4,
        rating_material=5,
        rating_location=3,
        heard_via=Feedback.Channel.POSTER,
        would_come_again=False,
        comment=HYPERLINK,
        submitted_at=days_ago(40, 12),
    )
    FeedbackFactory(event=second, rating_overall=3, heard_via="friends_family")
    return {"first": first, "second": second, "oststadt": oststadt, "markt": markt}


@pytest.fixture
def superuser_client(client):
    force_login_verified(client, UserFactory(username="admin", is_superuser=True))
    return client


PAGES = [
    "/auswertung/",
    "/auswertung/orte/",
    "/auswertung/kanaele/",
    "/auswertung/?format=csv&tabelle=kennzahlen",
    "/auswertung/?format=csv&tabelle=veranstaltungen",
    "/auswertung/orte/?format=csv&tabelle=orte",
    "/auswertung/kanaele/?format=csv&tabelle=monate",
]


def event_pages(event) -> list[str]:
    url = f"/auswertung/veranstaltung/{event.pk}/"
    return [url, url + "?druck=1", url + "?format=csv&tabelle=kommentare"]


def all_pages(data) -> list[str]:
    return PAGES + event_pages(data["first"])


# --- access -----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_with_next(client, data):
    for url in all_pages(data):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/?next=/auswertung/"), url


def test_staff_without_the_permission_get_a_styled_403(staff_client, data):
    for url in all_pages(data):
        response = staff_client.get(url)
        assert response.status_code == 403, url
        assert "403.html" in [t.name for t in response.templates], url
        assert b'class="site-header' in response.content


def test_coordinators_and_superusers_see_every_page(
    coordinator_client, data, django_user_model
):
    for url in all_pages(data):
        response = coordinator_client.get(url)
        assert response.status_code == 200, url


def test_superusers_see_every_page(superuser_client, data):
    for url in all_pages(data):
        assert superuser_client.get(url).status_code == 200, url


def test_pages_are_private_and_never_stored(coordinator_client, data, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    for url in all_pages(data):
        cache_control = coordinator_client.get(url)["Cache-Control"]
        assert "private" in cache_control, url
        assert "no-store" in cache_control, url
        assert "public" not in cache_control, url


def test_pages_only_answer_reads(coordinator_client, data):
    assert coordinator_client.post("/auswertung/").status_code == 405


# --- overview ---------------------------------------------------------------


def test_overview_shows_the_figures_of_the_summaries(coordinator_client, data):
    response = coordinator_client.get("/auswertung/")
    figures = summaries.overview(summaries.Filters())
    assert figures.events_held == 3
    html = response.content.decode()
    with translation.override("de"):
        for value, kind in [
            (figures.contacts, "int"),
            (figures.feedback, "int"),
            (figures.average_overall, "avg"),
            (figures.average_location, "avg"),
            (figures.response_rate, "share"),
            (figures.would_come_again_share, "share"),
        ]:
            assert f">{display(value, kind)}<" in html
    assert response.context["figures"].rows[1][1].value == figures.contacts
    assert [event.title for event in response.context["events"]] == [
        "Werkstatt-Nachmittag",
        "Markttag",
        "Wir für Sie",
    ]


def test_overview_links_the_event_reports_and_other_pages_with_the_filters(
    coordinator_client, data
):
    html = coordinator_client.get("/auswertung/?bezirk=oststadt").content.decode()
    assert f'href="/auswertung/veranstaltung/{data["first"].pk}/"' in html
    assert 'href="/auswertung/orte/?bezirk=oststadt"' in html
    assert 'href="/auswertung/kanaele/?bezirk=oststadt"' in html


def test_a_district_filter_narrows_the_figures(coordinator_client, data):
    response = coordinator_client.get("/auswertung/?bezirk=oststadt")
    assert response.context["form"].is_valid()
    titles = {event.title for event in response.context["events"]}
    assert titles == {"Wir für Sie", "Werkstatt-Nachmittag"}
    expected = summaries.overview(summaries.Filters(district=data["oststadt"]))
    assert response.context["figures"].rows[1][1].value == expected.contacts == 12


def test_a_date_window_and_location_narrow_the_events(coordinator_client, data):
    start = (timezone.localdate() - timedelta(days=20)).isoformat()
    response = coordinator_client.get(
        f"/auswertung/?von={start}&ort={data['markt'].pk}&angebot="
    )
    assert [event.title for event in response.context["events"]] == ["Markttag"]


@pytest.mark.parametrize(
    "query",
    [
        "von=2024-13-45",
        "von=<script>alert(1)</script>",
        "bis=0001-01-01",
        "von=9999-12-31",
        "von=2024-08-01&bis=2024-07-01",
        "bezirk=gibt-es-nicht",
        "bezirk=<script>",
        "ort=999999",
        "ort=abc",
        "ort=99999999999999999999999",
        "ort=1.5",
        "angebot=unbekannt",
        "seite=abc",
        "seite=-1",
        "seite=99999",
        "format=xml",
        "von=%00",
    ],
)
def test_invalid_filters_show_errors_and_all_events(coordinator_client, data, query):
    for path in ("/auswertung/", "/auswertung/orte/", "/auswertung/kanaele/"):
        response = coordinator_client.get(f"{path}?{query}")
        assert response.status_code == 200, path
        assert b"<script>alert" not in response.content
    response = coordinator_client.get(f"/auswertung/?{query}")
    if query.startswith(("seite", "format")):
        assert response.context["form"].is_valid()
    else:
        assert response.context["form"].errors
        assert b'aria-invalid="true"' in response.content
    assert response.context["figures"].rows[0][1].value == 3


def test_unknown_csv_table_is_a_404(coordinator_client, data):
    assert (
        coordinator_client.get("/auswertung/?format=csv&tabelle=x").status_code == 404
    )
    assert coordinator_client.get("/auswertung/?format=csv").status_code == 404


def test_overview_csv_is_exact(coordinator_client, data):
    response = coordinator_client.get("/auswertung/?format=csv&tabelle=kennzahlen")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="auswertung-kennzahlen.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Kennzahl;Wert"
    assert lines[1] == "Durchgeführte Veranstaltungen;3"
    assert lines[2] == "Gezählte Kontakte;32"
    assert lines[3] == "Rückmeldungen;3"
    assert lines[4] == "Rücklaufquote (Rückmeldungen je Kontakt);9,4"
    assert lines[5] == "Durchschnittliche Bewertung: insgesamt;4,00"


def test_events_csv_lists_every_held_event(coordinator_client, data):
    response = coordinator_client.get("/auswertung/?format=csv&tabelle=veranstaltungen")
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert lines[0] == "Veranstaltung;Beginn;Ort;Stadtteil"
    assert len(lines) == 4
    assert lines[3].startswith("Wir für Sie;")
    assert lines[3].endswith(";Quartierswerkstatt;Oststadt")


# --- event report -----------------------------------------------------------


def test_unknown_event_is_a_404(coordinator_client, data):
    assert (
        coordinator_client.get("/auswertung/veranstaltung/999999/").status_code == 404
    )
    assert coordinator_client.get("/auswertung/veranstaltung/abc/").status_code == 404


def test_event_report_shows_every_section(coordinator_client, data):
    response = coordinator_client.get(f"/auswertung/veranstaltung/{data['first'].pk}/")
    html = response.content.decode()
    report = response.context["report"]
    assert report == summaries.event_report(data["first"])
    for heading in (
        "Was geschätzt wurde",
        "Was besser werden kann",
        "Wie Besucher*innen davon erfahren haben",
        "Angebote, die interessieren",
        "Kontakte nach Zielgruppe",
        "Kontakte nach Thema",
        "Material mitgebracht und ausgegeben",
        "Kommentare",
    ):
        assert heading in html, heading
    assert html.count('role="img"') >= 10
    assert html.count("<caption") >= 11


def test_event_report_names_valued_and_weak_aspects(coordinator_client, data):
    response = coordinator_client.get(f"/auswertung/veranstaltung/{data['first'].pk}/")
    # Both rated 4.5 on average: a tie goes by name.
    assert [a.label for a in response.context["valued"]] == [
        "Infomaterial",
        "Persönliche Beratung",
    ]
    assert [a.label for a in response.context["weak"]] == ["Ort"]
    assert "12 Kontakte in 4,0 Stunden (3,0 pro Stunde)" in response.content.decode()


def test_comments_are_escaped_and_newest_first(coordinator_client, data):
    html = coordinator_client.get(
        f"/auswertung/veranstaltung/{data['first'].pk}/"
    ).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "Sehr gute Beratung &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.index("Sehr gute Beratung") < html.index("=HYPERLINK")


def test_event_report_links_the_print_stylesheet(coordinator_client, data):
    url = f"/auswertung/veranstaltung/{data['first'].pk}/"
    html = coordinator_client.get(url).content.decode()
    assert 'href="/static/css/reports-print.css" media="print"' in html
    assert 'href="?druck=1"' in html
    preview = coordinator_client.get(url + "?druck=1").content.decode()
    assert 'href="/static/css/reports-print.css" media="all"' in preview


def test_comments_csv_guards_formulas(coordinator_client, data):
    response = coordinator_client.get(
        f"/auswertung/veranstaltung/{data['first'].pk}/?format=csv&tabelle=kommentare"
    )
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="veranstaltung-{data["first"].pk}-kommentare.csv"'
    )
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert lines[0] == (
        "Eingegangen am;Gesamtbewertung;Quelle;Darf veröffentlicht werden;Kommentar"
    )
    day = days_ago(40).strftime("%Y-%m-%d")
    assert lines[1] == (
        f"{day} 13:00;5;Online-Formular;nein;"
        "Sehr gute Beratung <script>alert(1)</script>"
    )
    assert lines[2] == (
        f"{day} 12:00;4;Online-Formular;nein;"
        '"\'=HYPERLINK(""http://evil.example"",""Klick"")"'
    )


def test_event_report_csv_of_a_distribution(coordinator_client, data):
    response = coordinator_client.get(
        f"/auswertung/veranstaltung/{data['first'].pk}/?format=csv&tabelle=bewertung-location"
    )
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert lines == [
        "Bewertung;Anzahl;Anteil (%)",
        "1;0;0,0",
        "2;1;50,0",
        "3;1;50,0",
        "4;0;0,0",
        "5;0;0,0",
    ]


def test_event_report_shows_who_gave_feedback(coordinator_client, data):
    first, _second = Feedback.objects.filter(event=data["first"]).order_by("pk")
    Feedback.objects.filter(pk=first.pk).update(describes_self_otherwise=True)
    url = f"/auswertung/veranstaltung/{data['first'].pk}/"
    html = coordinator_client.get(url).content.decode()
    assert 'id="respondents-heading">Wer geantwortet hat</h2>' in html
    response = coordinator_client.get(url + "?format=csv&tabelle=selbstbeschreibung")
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert lines == [
        "Beschreibt sich als;Anzahl;Anteil (%)",
        "Etwas anderes;1;50,0",
        "Keine Angabe;1;50,0",
    ]


def test_overview_shows_who_gave_feedback_in_the_period(coordinator_client, data):
    Feedback.objects.filter(event=data["first"]).update(describes_self_otherwise=True)
    html = coordinator_client.get("/auswertung/").content.decode()
    assert 'id="respondents-heading">Wer geantwortet hat</h2>' in html
    response = coordinator_client.get(
        "/auswertung/?format=csv&tabelle=selbstbeschreibung"
    )
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="auswertung-selbstbeschreibung.csv"'
    )
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    held = summaries.held_events(summaries.Filters())
    answers = Feedback.objects.filter(event__in=held).count()
    assert lines[0] == "Beschreibt sich als;Anzahl;Anteil (%)"
    assert lines[1].startswith("Etwas anderes;2;")
    assert lines[2].startswith(f"Keine Angabe;{answers - 2};")


# --- locations and channels -------------------------------------------------


def test_locations_are_ranked_by_reach_with_a_sentence(coordinator_client, data):
    response = coordinator_client.get("/auswertung/orte/")
    table = response.context["table"]
    assert [row[1] for row in table.rows] == ["Marktplatz", "Quartierswerkstatt"]
    assert response.context["sort"] == "reichweite"
    html = response.content.decode()
    assert "Marktplatz hat die meisten Menschen erreicht: 5,0 Kontakte" in html
    assert "hoch" in html and "gering" in html


def test_locations_by_rating_and_an_unknown_order_falls_back(coordinator_client, data):
    by_rating = coordinator_client.get("/auswertung/orte/?sortierung=bewertung")
    assert [row[1] for row in by_rating.context["table"].rows] == [
        "Quartierswerkstatt",
        "Marktplatz",
    ]
    fallback = coordinator_client.get("/auswertung/orte/?sortierung=<x>")
    assert fallback.status_code == 200
    assert fallback.context["sort"] == "reichweite"


def test_locations_csv(coordinator_client, data):
    response = coordinator_client.get("/auswertung/orte/?format=csv&tabelle=orte")
    lines = response.content.decode("utf-8-sig").strip().split("\r\n")
    assert lines[0].startswith("Rang;Ort;Stadtteil;Erwarteter Publikumsverkehr;")
    assert lines[1].startswith("1;Marktplatz;Weststadt;hoch;1;4,00;20;5,00;1;1,00;")


def test_channels_page_shows_months_and_shares(coordinator_client, data):
    response = coordinator_client.get("/auswertung/kanaele/")
    summary = summaries.channels(summaries.Filters())
    months = response.context["months"]
    assert len(months.rows) == len(summary.periods) >= 1
    assert len(months.charts) == len(Feedback.Channel.choices)
    html = response.content.decode()
    with translation.override("de"):
        assert display(summary.passing_by_share, "share") in html


# --- query counts -----------------------------------------------------------


def add_many(data, n: int):
    """More events, locations, feedback and contacts than the page shows."""
    district = DistrictFactory(name="Nordstadt", slug="nordstadt")
    for i in range(n):
        event = held_event(60 + i, LocationFactory(district=district))
        ContactCountFactory(event=event, quantity=3)
        FeedbackFactory(
            event=event,
            heard_via="poster",
            comment=f"Kommentar {i}",
            submitted_at=days_ago(60 + i, 12),
        )
        FeedbackFactory(event=data["first"], comment=f"Mehr {i}", rating_location=1)
        ContactCountFactory(event=data["first"], target_group=TargetGroupFactory())


# Session, user, the session's second-factor device, the user's Jobcenters
# (jobcenters.middleware.StaffJobcenterMiddleware) and permissions take 6
# queries; the rest is the page's own.
QUERY_BOUNDS = {
    "/auswertung/": 20,
    "/auswertung/?bezirk=weststadt&ort={ort}&von=2024-01-01": 20,
    "/auswertung/orte/": 12,
    "/auswertung/kanaele/": 10,
    "/auswertung/?format=csv&tabelle=veranstaltungen": 7,
}


@pytest.mark.parametrize("size", [0, 25])
def test_query_counts_do_not_grow_with_the_data(
    coordinator_client, data, size, django_assert_max_num_queries
):
    add_many(data, size)
    for url, bound in QUERY_BOUNDS.items():
        with django_assert_max_num_queries(bound):
            response = coordinator_client.get(url.format(ort=data["markt"].pk))
        assert response.status_code == 200
        if "format" not in url:
            assert not response.context["form"].errors
    for suffix in ("", "?format=csv&tabelle=kommentare"):
        with django_assert_max_num_queries(16):
            response = coordinator_client.get(
                f"/auswertung/veranstaltung/{data['first'].pk}/{suffix}"
            )
        assert response.status_code == 200


def test_english_pages_and_csv_use_a_decimal_point(coordinator_client, data):
    assert coordinator_client.get("/en/auswertung/").status_code == 200
    response = coordinator_client.get("/en/auswertung/?format=csv&tabelle=kennzahlen")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Figure;Value"
    assert lines[4] == "Response rate (feedback per contact);9.4"


def test_head_requests_are_answered(coordinator_client, data):
    assert coordinator_client.head("/auswertung/kanaele/").status_code == 200


def test_report_of_a_draft_without_place_or_time(coordinator_client, db):
    draft = EventFactory(location=None, start=None, end=None, title="Entwurf")
    response = coordinator_client.get(f"/auswertung/veranstaltung/{draft.pk}/")
    assert response.status_code == 200
    assert response.context["report"].figures.events_held == 0
    assert "Entwurf" in response.content.decode()


def test_empty_database_pages_render(coordinator_client, db):
    for url in ("/auswertung/", "/auswertung/orte/", "/auswertung/kanaele/"):
        response = coordinator_client.get(url)
        assert response.status_code == 200, url
    html = coordinator_client.get("/auswertung/orte/").content.decode()
    assert "Kein Ort hat in diesem Zeitraum bisher Kontakte gezählt." in html
