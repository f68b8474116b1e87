from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from events.formatting import event_date_range

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Dienstag, 23. Juli 2024, 10:00–14:00 Uhr"),
        ("en", "Tuesday, 23 July 2024, 10:00–14:00"),
    ],
)
def test_one_day(language, expected):
    with translation.override(language):
        assert (
            event_date_range(
                datetime(2024, 7, 23, 10, tzinfo=BERLIN),
                datetime(2024, 7, 23, 14, tzinfo=BERLIN),
            )
            == expected
        )


def test_over_two_days_names_both():
    with translation.override("de"):
        assert event_date_range(
            datetime(2024, 7, 23, 18, tzinfo=BERLIN),
            datetime(2024, 7, 24, 2, tzinfo=BERLIN),
        ) == ("Dienstag, 23. Juli 2024, 18:00 Uhr – Mittwoch, 24. Juli 2024, 02:00 Uhr")
