import re

from tests.browser.conftest import assert_accessible, tab_to
from tests.factories import EventFactory, ServiceOfferingFactory, TargetGroupFactory


def make_event():
    return EventFactory(
        published=True,
        title="Jobcenter im Quartier Oststadt",
        languages=["de", "tr", "ar", "uk"],
        services=[
            ServiceOfferingFactory(description="Wir sehen Ihre Unterlagen durch.")
        ],
        target_groups=[TargetGroupFactory(name="Familien")],
    )


def test_poster_passes_axe_and_shows_two_qr_codes(page, live_server):
    event = make_event()
    page.goto(f"{live_server.url}/veranstaltungen/{event.slug}/plakat/")
    assert page.locator("h1").inner_text() == "Jobcenter im Quartier Oststadt"
    assert page.locator("svg.qr-code").count() == 2
    assert_accessible(page)


def test_print_button_appears_with_javascript_and_is_reachable_by_keyboard(
    page, live_server
):
    event = make_event()
    page.goto(f"{live_server.url}/veranstaltungen/{event.slug}/plakat/")
    button = page.get_by_role("button", name="Drucken")
    assert button.is_visible()
    tab_to(page, "button[data-print]")


def test_printed_poster_fits_one_a4_sheet_without_the_tools(page, live_server):
    event = make_event()
    page.goto(f"{live_server.url}/veranstaltungen/{event.slug}/plakat/")
    page.emulate_media(media="print")
    assert not page.locator(".poster-tools").is_visible()
    assert page.locator("svg.qr-code").first.is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1  # one sheet


def test_paper_questionnaire_passes_axe_and_fits_one_a4_sheet(page, live_server):
    event = make_event()
    event.services.set(
        ServiceOfferingFactory(title=f"Beratung zu einem langen Thema Nummer {n}")
        for n in range(5)
    )
    for name in ("Arbeitsuchende", "Menschen mit Migrationsgeschichte"):
        TargetGroupFactory(name=name)
    page.goto(f"{live_server.url}/f/{event.short_code}/fragebogen/")
    assert page.locator(".question").count() == 9
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".poster-tools").is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1  # one sheet
