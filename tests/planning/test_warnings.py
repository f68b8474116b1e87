"""Warnings for a planned date: holidays, school holidays, overlaps, new places."""

from datetime import date, timedelta

import pytest

from events.models import Event
from planning.models import SchoolHoliday
from planning.warnings import holiday_state, warnings_for
from tests.factories import DistrictFactory, EventFactory
from tests.planning.panel_helpers import at, history, place, quiet_week

pytestmark = pytest.mark.django_db


def kinds(warnings):
    return [warning.kind for warning in warnings]


def test_state_comes_from_the_jobcenter_or_the_setting(jobcenter, settings):
    location = place()
    jobcenter.state = ""
    settings.PLANNING_HOLIDAY_STATE = "BY"
    assert holiday_state(location) == "BY"
    jobcenter.state = "BW"
    assert holiday_state(location) == "BW"


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 10, 3), "Tag der Deutschen Einheit"),
        (date(2027, 11, 1), "Allerheiligen"),
    ],
)
def test_a_public_holiday_in_baden_wuerttemberg(jobcenter, day, name):
    jobcenter.state = "BW"
    location = place()
    found = warnings_for(location, at(day, 10), at(day, 14))
    holiday = [w for w in found if w.kind == "holiday"]
    assert len(holiday) == 1
    assert name in holiday[0].message


def test_all_saints_is_no_holiday_in_berlin(jobcenter):
    jobcenter.state = "BE"
    day = date(2027, 11, 1)
    assert "holiday" not in kinds(warnings_for(place(), at(day, 10), at(day, 14)))


def test_an_ordinary_day_has_no_holiday_warning(jobcenter):
    jobcenter.state = "BW"
    monday = quiet_week()
    found = warnings_for(
        place(), at(monday + timedelta(days=1), 10), at(monday + timedelta(days=1), 14)
    )
    assert "holiday" not in kinds(found)
    assert "school_holiday" not in kinds(found)


def test_the_shipped_school_holidays_warn(jobcenter):
    jobcenter.state = "BW"
    day = date(2026, 8, 11)  # Sommerferien 2026, shipped by migration 0005
    found = [
        w
        for w in warnings_for(place(), at(day, 10), at(day, 14))
        if w.kind == "school_holiday"
    ]
    assert len(found) == 1
    assert "Sommerferien 2026" in found[0].message


def test_school_holidays_added_in_the_admin_warn_in_their_state_only(jobcenter):
    SchoolHoliday.objects.create(
        state="HE",
        name="Herbstferien 2030",
        first_day=date(2030, 10, 14),
        last_day=date(2030, 10, 25),
    )
    day = date(2030, 10, 16)
    jobcenter.state = "HE"
    assert "school_holiday" in kinds(warnings_for(place(), at(day, 10), at(day, 14)))
    jobcenter.state = "BW"
    assert "school_holiday" not in kinds(
        warnings_for(place(), at(day, 10), at(day, 14))
    )


def test_an_overlap_in_the_same_district(jobcenter):
    district = DistrictFactory()
    here, there = place(district), place(district)
    day = quiet_week() + timedelta(days=1)
    other = EventFactory(
        location=there, start=at(day, 12), end=at(day, 16), title="Markttag"
    )
    found = [
        w for w in warnings_for(here, at(day, 10), at(day, 14)) if w.kind == "overlap"
    ]
    assert len(found) == 1
    assert "Markttag" in found[0].message
    assert "12:00–16:00" in found[0].message
    # Back to back is no overlap; a cancelled date neither.
    assert "overlap" not in kinds(warnings_for(here, at(day, 8), at(day, 12)))
    other.status = Event.Status.CANCELLED
    other.save()
    assert "overlap" not in kinds(warnings_for(here, at(day, 10), at(day, 14)))


def test_no_overlap_with_another_district_or_with_itself(jobcenter):
    here = place(DistrictFactory())
    day = quiet_week() + timedelta(days=1)
    EventFactory(
        location=place(DistrictFactory()),
        start=at(day, 10),
        end=at(day, 14),
        published=True,
    )
    itself = EventFactory(location=here, start=at(day, 10), end=at(day, 14))
    assert "overlap" not in kinds(
        warnings_for(here, at(day, 10), at(day, 14), exclude_event=itself)
    )
    assert "overlap" in kinds(warnings_for(here, at(day, 10), at(day, 14)))


def test_a_place_never_used_before(jobcenter):
    day = quiet_week() + timedelta(days=1)
    new = place()
    itself = EventFactory(location=new, start=at(day, 10), end=at(day, 14))
    assert "new_place" in kinds(
        warnings_for(new, at(day, 10), at(day, 14), exclude_event=itself)
    )

    with_past = place()
    history(with_past, [5], before=day)
    assert "new_place" not in kinds(warnings_for(with_past, at(day, 10), at(day, 14)))

    with_event = place()
    EventFactory(
        location=with_event,
        start=at(day - timedelta(days=30), 10),
        end=at(day - timedelta(days=30), 14),
    )
    assert "new_place" not in kinds(warnings_for(with_event, at(day, 10), at(day, 14)))


def test_a_later_date_does_not_make_a_place_known(jobcenter):
    day = quiet_week() + timedelta(days=1)
    later = place()
    EventFactory(
        location=later,
        start=at(day + timedelta(days=30), 10),
        end=at(day + timedelta(days=30), 14),
    )
    assert "new_place" in kinds(warnings_for(later, at(day, 10), at(day, 14)))


def test_warnings_take_a_fixed_number_of_queries(
    jobcenter, django_assert_max_num_queries
):
    district = DistrictFactory()
    here = place(district)
    day = date(2027, 11, 1)
    for hour in range(8, 16):
        EventFactory(
            location=place(district), start=at(day, hour), end=at(day, hour + 2)
        )
    with django_assert_max_num_queries(7):
        found = warnings_for(here, at(day, 10), at(day, 14))
    assert kinds(found).count("overlap") == 5  # starting 9:00 to 13:00
