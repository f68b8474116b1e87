"""The school holidays of Baden-Württemberg for 2025/26 and 2026/27, shipped.

As published by the Kultusministerium Baden-Württemberg (first and last day
off; weekends around them belong to the holidays). Check them every year
against the ministry's list and add the next school year in the admin
(docs/planning.md, "School holidays"). Reversing removes exactly these rows.
"""

from datetime import date

from django.db import migrations

STATE = "BW"
HOLIDAYS = [
    # School year 2025/26
    ("Herbstferien 2025", date(2025, 10, 27), date(2025, 10, 31)),
    ("Weihnachtsferien 2025/26", date(2025, 12, 22), date(2026, 1, 5)),
    ("Osterferien 2026", date(2026, 3, 30), date(2026, 4, 11)),
    ("Pfingstferien 2026", date(2026, 5, 26), date(2026, 6, 5)),
    ("Sommerferien 2026", date(2026, 7, 30), date(2026, 9, 12)),
    # School year 2026/27
    ("Herbstferien 2026", date(2026, 10, 26), date(2026, 10, 31)),
    ("Weihnachtsferien 2026/27", date(2026, 12, 23), date(2027, 1, 9)),
    ("Osterferien 2027 (Gründonnerstag)", date(2027, 3, 25), date(2027, 3, 25)),
    ("Osterferien 2027", date(2027, 3, 30), date(2027, 4, 3)),
    ("Pfingstferien 2027", date(2027, 5, 18), date(2027, 5, 29)),
    ("Sommerferien 2027", date(2027, 7, 29), date(2027, 9, 11)),
]


def add_holidays(apps, schema_editor):
    SchoolHoliday = apps.get_model("planning", "SchoolHoliday")
    for name, first_day, last_day in HOLIDAYS:
        SchoolHoliday.objects.get_or_create(
            state=STATE,
            first_day=first_day,
            defaults={"name": name, "last_day": last_day},
        )


def remove_holidays(apps, schema_editor):
    SchoolHoliday = apps.get_model("planning", "SchoolHoliday")
    SchoolHoliday.objects.filter(
        state=STATE, first_day__in=[first for _name, first, _last in HOLIDAYS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(add_holidays, remove_holidays)]
