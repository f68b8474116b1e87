"""Lead-time rules: what is due or overdue per channel, in Python and in the database."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from events.models import Event
from planning import announcements
from planning.models import Announcement
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

Channel = Announcement.Channel


def on(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def event_in(days: int, **kwargs) -> Event:
    start = on(timezone.localdate() + timedelta(days=days))
    return EventFactory(start=start, end=start + timedelta(hours=3), **kwargs)


def plan(event, channel, *, planned_in: int = 30, done: bool = False, **kwargs):
    today = timezone.localdate()
    return Announcement.objects.create(
        event=event,
        channel=channel,
        planned_for=today + timedelta(days=planned_in),
        done_on=today if done else None,
        **kwargs,
    )


def texts(event) -> list[str]:
    with translation.override("de"):
        return [
            r.text for r in announcements.reminders(event, event.announcements.all())
        ]


def overdue_ids() -> set[int]:
    return set(
        Event.objects.filter(announcements.overdue_condition()).values_list(
            "pk", flat=True
        )
    )


def due_ids(days: int = 3) -> set[int]:
    horizon = timezone.localdate() + timedelta(days=days)
    return set(
        Event.objects.filter(announcements.due_condition(horizon)).values_list(
            "pk", flat=True
        )
    )


def test_posters_and_partners_are_expected_even_unplanned():
    # 16 days ahead: partners (21 days) overdue since 5 days, posters (14) in 2.
    event = event_in(16)
    assert texts(event) == [
        "Partner informiert fällig seit 5 Tagen",
        "Plakate fällig in 2 Tagen",
    ]
    assert event.pk in overdue_ids() and event.pk in due_ids()


def test_each_channel_has_its_lead_time(settings):
    settings.PLANNING_EXPECTED_CHANNELS = []
    event = event_in(10)
    for channel in (Channel.LETTER, Channel.SOCIAL_MEDIA, Channel.PRESS):
        plan(event, channel)
    due = {
        r.channel: r.due
        for r in announcements.reminders(event, event.announcements.all())
    }
    day = timezone.localdate() + timedelta(days=10)
    # Letters 14 days before (overdue), press 10 (today); social media 7 is 3 days off.
    assert due == {
        Channel.LETTER: day - timedelta(days=14),
        Channel.PRESS: day - timedelta(days=10),
        Channel.SOCIAL_MEDIA: day - timedelta(days=7),
    }
    assert texts(event)[1] == "Presse fällig heute"


def test_done_announcements_are_never_due(settings):
    settings.PLANNING_EXPECTED_CHANNELS = [Channel.POSTER]
    event = event_in(5)
    plan(event, Channel.POSTER, planned_in=-10, done=True)
    assert texts(event) == []
    assert event.pk not in overdue_ids() and event.pk not in due_ids()


def test_a_planned_day_before_the_lead_time_counts(settings):
    settings.PLANNING_EXPECTED_CHANNELS = []
    event = event_in(40)
    plan(event, Channel.SOCIAL_MEDIA, planned_in=-1)
    assert texts(event) == ["soziale Medien fällig seit 1 Tag"]
    assert event.pk in overdue_ids()


def test_website_and_alerts_need_no_reminder(settings):
    settings.PLANNING_EXPECTED_CHANNELS = [Channel.WEBSITE, Channel.EMAIL_ALERTS]
    event = event_in(1)
    assert texts(event) == []
    assert event.pk not in due_ids()


def test_far_dates_past_and_cancelled_ones_are_not_reminded():
    far, past, cancelled = event_in(60), event_in(-2), event_in(5, cancelled=True)
    for event in (far, past, cancelled):
        assert texts(event) == []
    assert not {far.pk, past.pk, cancelled.pk} & (due_ids() | overdue_ids())


def test_lead_days_come_from_the_setting(settings):
    settings.PLANNING_LEAD_DAYS = {"poster": 30}
    settings.PLANNING_EXPECTED_CHANNELS = ["poster"]
    event = event_in(25)
    assert texts(event) == ["Plakate fällig seit 5 Tagen"]
    assert announcements.lead_days()["press"] == 10


@pytest.mark.parametrize("days", range(-1, 25))
def test_database_and_python_agree(days):
    event = event_in(days)
    plan(event, Channel.PRESS, planned_in=days - 3)
    has_overdue = any(
        r.overdue for r in announcements.reminders(event, event.announcements.all())
    )
    assert (event.pk in overdue_ids()) == has_overdue
    assert (event.pk in due_ids()) == bool(texts(event))
