"""The planning pages are Nu-valid (one run of the checker, as tests/test_valid_html.py)."""

import shutil
from pathlib import Path

import pytest

from tests.planning.test_planning_page import CHANNELS, PAGE, coming, places  # noqa: F401
from tests.test_valid_html import VNU, nu_errors

pytestmark = pytest.mark.django_db


def test_the_planning_pages_are_nu_valid(places, coordinator_client, tmp_path):  # noqa: F811
    if not VNU.exists() or not shutil.which("java"):
        pytest.skip("vnu.jar or java is missing")
    coming(places["hof"], 5, title="Dienstag im Hof")
    coming(places["markt"], 6, title="Donnerstag am Markt", published=True)
    files = []
    for name, address in [
        ("planning", PAGE),
        ("planning-print", f"{PAGE}?druck=1"),
        ("planning-channels", CHANNELS),
        ("planning-channels-filtered", f"{CHANNELS}?von=kein-datum&bezirk=x"),
        ("planning-en", f"/en{PAGE}"),
    ]:
        response = coordinator_client.get(address)
        assert response.status_code == 200, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(path)
    report = [
        f"{Path(e['url'].removeprefix('file:')).name}:{e.get('lastLine', '?')}: "
        f"{e['message']}  [{e.get('extract', '').strip()}]"
        for e in nu_errors(files)
    ]
    assert not report, "Not Nu-valid:\n" + "\n".join(report)
