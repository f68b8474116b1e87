"""Load the German postcode centres shipped in events/data/postcodes_de.csv.

GeoNames postal code data (CC BY 4.0), see events/data/README.md. The reverse
empties the table. Later corrections are made in the admin; this migration
only ever fills an empty table, so running it again never overwrites them.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "postcodes_de.csv"
BATCH = 1000


def load(apps, schema_editor):
    PostcodeCentre = apps.get_model("events", "PostcodeCentre")
    if PostcodeCentre.objects.exists():
        return
    with CSV.open(encoding="utf-8", newline="") as file:
        rows = [
            PostcodeCentre(
                postcode=row["postcode"],
                place=row["place"],
                state=row["state"],
                latitude=Decimal(row["latitude"]),
                longitude=Decimal(row["longitude"]),
            )
            for row in csv.DictReader(file)
        ]
    PostcodeCentre.objects.bulk_create(rows, batch_size=BATCH)


def unload(apps, schema_editor):
    apps.get_model("events", "PostcodeCentre").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0011_postcode_centre")]

    operations = [migrations.RunPython(load, unload)]
