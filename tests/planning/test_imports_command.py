"""python manage.py import_history / import_passers_by."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from planning.models import PassersByCount, PastDate
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

CSV = (
    "date,start,end,location,street,postcode,district,contacts\n"
    "2024-07-23,10:00,14:00,Marktplatz,Marktplatz 1,75175,Innenstadt,12\n"
)


def command(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_history_prints_a_summary(tmp_path):
    path = tmp_path / "termine.csv"
    path.write_text(CSV)

    out, _err = command("import_history", str(path))

    assert "1 neu" in out or "1 angelegt" in out, out
    assert "Marktplatz, Marktplatz 1, 75175" in out
    assert "Innenstadt" in out
    assert PastDate.objects.count() == 1
    out, _err = command(
        "import_history", str(path), "--jobcenter", "jobcenter-pforzheim"
    )
    assert "1 unverändert" in out, out
    assert PastDate.objects.count() == 1


def test_a_dry_run_stores_nothing(tmp_path):
    path = tmp_path / "termine.csv"
    path.write_text(CSV)
    out, _err = command("import_history", str(path), "--dry-run")
    assert "Probelauf" in out, out
    assert not PastDate.objects.exists()


def test_errors_are_printed_with_their_lines_and_the_exit_code_is_not_zero(tmp_path):
    path = tmp_path / "termine.csv"
    path.write_text(
        CSV + "2024-07-24,14:00,10:00,Marktplatz,Marktplatz 1,75175,Innenstadt,3\n"
    )
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_history", str(path), stdout=StringIO(), stderr=err)
    assert "Zeile 3" in err.getvalue()
    assert "nichts" in str(raised.value)
    assert not PastDate.objects.exists()


def test_the_exit_code_from_the_shell(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "kaputt.csv"
    path.write_bytes(b"\x00\x01")
    # Without a database the command fails too: the exit code is what counts.
    result = subprocess.run(
        [sys.executable, "manage.py", "import_history", str(path), "--jobcenter", "x"],
        capture_output=True,
        check=False,
    )
    assert result.returncode != 0


def test_an_unknown_jobcenter_or_file(tmp_path):
    with pytest.raises(CommandError, match="slug"):
        command(
            "import_history", str(tmp_path / "x.csv"), "--jobcenter", "gibt-es-nicht"
        )
    with pytest.raises(CommandError, match="No such file"):
        command("import_history", str(tmp_path / "x.csv"))


def test_import_passers_by(tmp_path):
    market = LocationFactory(name="Marktplatz")
    path = tmp_path / "zaehler.csv"
    path.write_text("Zeitpunkt;Anzahl\n23.07.2024 10:00;40\n23.07.2024 10:30;2\n")

    out, _err = command("import_passers_by", str(path), "--location", str(market.pk))

    assert "Marktplatz" in out
    assert PassersByCount.objects.get().count == 42
    command("import_passers_by", str(path), "--location", str(market.pk))
    assert PassersByCount.objects.count() == 1


def test_import_passers_by_needs_a_location_of_the_jobcenter(tmp_path):
    path = tmp_path / "zaehler.csv"
    path.write_text("Zeitpunkt;Anzahl\n23.07.2024 10:00;40\n")
    with pytest.raises(CommandError, match="location"):
        command("import_passers_by", str(path), "--location", "999999")
