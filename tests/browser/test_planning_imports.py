"""The admin's import of past dates in Chromium: accessible, fits a phone."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll
from tests.browser.test_reports import log_in
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp"))
GOOD = (
    "Datum;Beginn;Ende;Ort;Straße;PLZ;Stadtteil;Kontakte;Passanten;Titel\n"
    "23.07.2024;10:00;14:00;Marktplatz;Marktplatz 1;75175;Innenstadt;23;1.234;Sommerfest\n"
    "24.07.2024;9.30;12.00;Stadtbibliothek am Leopoldplatz;Leopoldstr. 5;75172;Nordstadt;8;;\n"
    "30.07.2024;10:00;14:00;<b>Schulhof</b>;Schulweg 3;75175;Innenstadt;11;;\n"
)
BROKEN = GOOD + "31.02.2024;10:00;09:00;Marktplatz;Marktplatz 1;75175;Innenstadt;-3;;\n"


@pytest.mark.parametrize("name", ["page", "phone_page"])
def test_upload_preview_and_errors_pass_axe_and_fit(
    request, live_server, staff_user, tmp_path, name
):
    page = request.getfixturevalue(name)
    width = "360" if name == "phone_page" else "1280"
    LocationFactory(name="Marktplatz", street="Marktplatz 1")
    log_in(page, live_server, staff_user)
    good, broken = tmp_path / "termine.csv", tmp_path / "fehler.csv"
    good.write_text(GOOD)
    broken.write_text(BROKEN)

    page.goto(live_server.url + "/admin/planning/pastdate/")
    page.screenshot(path=SHOTS / f"history-list-{width}.png", full_page=True)
    page.get_by_role("link", name="Importieren").first.click()
    page.locator("details.import-format summary").click()
    page.screenshot(path=SHOTS / f"history-upload-{width}.png", full_page=True)
    assert_accessible(page, context="#content")
    assert_no_horizontal_scroll(page)

    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Datei prüfen").click()
    page.get_by_role("button", name="Jetzt importieren").wait_for()
    page.screenshot(path=SHOTS / f"history-preview-{width}.png", full_page=True)
    assert_accessible(page, context="#content")
    assert_no_horizontal_scroll(page)

    page.goto(live_server.url + "/admin/planning/pastdate/import/")
    page.set_input_files("input[type=file]", str(broken))
    page.get_by_role("button", name="Datei prüfen").click()
    page.get_by_text("Zeile 5").first.wait_for()
    page.screenshot(path=SHOTS / f"history-errors-{width}.png", full_page=True)
    assert_accessible(page, context="#content")
    assert_no_horizontal_scroll(page)
