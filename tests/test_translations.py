"""The German catalogue is complete, compiled, and in step with the source."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

from events.models import Event

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
SOURCES = [
    "quartier",
    "events",
    "feedback",
    "jobcenters",
    "audit",
    "translations",
    "translation_exchange",
    "api",
    "alerts",
    "planning",
    "templates",
    "manage.py",
    "locale",
]


def entries(path: Path) -> dict:
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}


def test_every_german_string_is_translated():
    missing = [
        e.msgid
        for e in entries(PO).values()
        if not e.translated() or "fuzzy" in e.flags
    ]
    assert missing == []


def test_the_catalogue_contains_every_string_in_the_source(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(
                source, target, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(source, target)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "quartier.settings"},
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = entries(tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po")
    assert sorted(set(fresh) - set(entries(PO))) == []


@pytest.mark.parametrize(
    ("language", "expected"), [("de", "Veranstaltung"), ("en", "event")]
)
def test_catalogue_is_compiled_and_used(language, expected):
    with translation.override(language):
        assert str(Event._meta.verbose_name) == expected
