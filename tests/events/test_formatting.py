from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from events.formatting import event_date_range, relative_day

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


NOW = datetime(2024, 7, 23, 9, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [
        (datetime(2024, 7, 23, 18, tzinfo=BERLIN), "de", "heute"),
        (datetime(2024, 7, 23, 18, tzinfo=BERLIN), "en", "today"),
        (datetime(2024, 7, 24, 8, tzinfo=BERLIN), "de", "morgen"),
        (datetime(2024, 7, 24, 8, tzinfo=BERLIN), "en", "tomorrow"),
        (datetime(2024, 7, 26, 10, tzinfo=BERLIN), "de", "in 3 Tagen"),
        (datetime(2024, 7, 26, 10, tzinfo=BERLIN), "en", "in 3 days"),
        (datetime(2024, 8, 6, 10, tzinfo=BERLIN), "en", "in 14 days"),
    ],
)
def test_relative_day_names_how_far_off_the_day_is(moment, language, expected):
    with translation.override(language):
        assert relative_day(moment, now=NOW) == expected


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 7, 22, 10, tzinfo=BERLIN),  # yesterday
        datetime(2024, 8, 7, 10, tzinfo=BERLIN),  # 15 days ahead
    ],
)
def test_relative_day_is_empty_for_the_past_and_far_ahead(moment):
    assert relative_day(moment, now=NOW) == ""


def test_relative_day_counts_days_in_berlin_not_utc():
    # 23:30 UTC on the 22nd is already the 23rd in Berlin ...
    now = datetime(2024, 7, 22, 23, 30, tzinfo=UTC)
    # ... and 22:30 UTC on the 23rd is half past midnight on the 24th.
    late = datetime(2024, 7, 23, 22, 30, tzinfo=UTC)
    with translation.override("en"):
        assert relative_day(datetime(2024, 7, 23, 10, tzinfo=BERLIN), now=now) == (
            "today"
        )
        assert relative_day(late, now=now) == "tomorrow"
