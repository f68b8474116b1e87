"""The postcode centres for tests that sort by distance (?plz=).

The data migration loads them into the test database, but a transactional
test (the browser tests' live server, the migration test) empties every
table when it ends: a later test in the same process finds none. Tests that
need them call ``ensure_postcode_centres()`` (or use the fixture), which
loads the shipped file again if the table is empty.
"""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from events.models import PostcodeCentre

CSV = Path(__file__).resolve().parent.parent / "events" / "data" / "postcodes_de.csv"


def ensure_postcode_centres() -> None:
    if PostcodeCentre.objects.exists():
        return
    with CSV.open(encoding="utf-8", newline="") as file:
        PostcodeCentre.objects.bulk_create(
            [
                PostcodeCentre(
                    postcode=row["postcode"],
                    place=row["place"],
                    state=row["state"],
                    latitude=Decimal(row["latitude"]),
                    longitude=Decimal(row["longitude"]),
                )
                for row in csv.DictReader(file)
            ],
            batch_size=1000,
        )


@pytest.fixture
def postcode_centres(db):
    ensure_postcode_centres()
