from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback.models import Feedback
from feedback.submission import Closed, closed_reason, closes_at, submit_feedback
from tests.factories import (
    EventFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    open_for_feedback,
)

pytestmark = pytest.mark.django_db


def answers(**changes):
    data = {
        "rating_overall": 4,
        "rating_consultation": 5,
        "rating_material": None,
        "rating_location": 2,
        "heard_via": "poster",
        "services_of_interest": [],
        "would_come_again": True,
        "target_group": None,
        "comment": "Danke!",
        "may_publish": True,
    }
    data.update(changes)
    return data


def test_submit_saves_the_answers_and_services_together():
    services = ServiceOfferingFactory.create_batch(2)
    group = TargetGroupFactory()
    event = open_for_feedback(services=services)
    feedback = submit_feedback(
        event, answers(services_of_interest=services, target_group=group)
    )
    feedback.refresh_from_db()
    assert feedback.event == event
    assert feedback.source == Feedback.Source.ONLINE
    assert (feedback.rating_overall, feedback.rating_location) == (4, 2)
    assert feedback.rating_material is None
    assert feedback.heard_via == "poster"
    assert feedback.would_come_again is True
    assert feedback.target_group == group
    assert set(feedback.services_of_interest.all()) == set(services)
    assert feedback.is_quotable


def test_submit_stores_empty_answers_as_blank():
    feedback = submit_feedback(
        open_for_feedback(),
        answers(heard_via="", comment="", would_come_again=None, may_publish=True),
    )
    assert feedback.heard_via == ""
    assert feedback.would_come_again is None
    assert feedback.may_publish is False


def test_submit_stores_something_else_apart_from_no_answer():
    event = open_for_feedback()
    otherwise = submit_feedback(event, answers(describes_self_otherwise=True))
    no_answer = submit_feedback(event, answers())
    assert Feedback.objects.get(pk=otherwise.pk).describes_self_otherwise is True
    assert Feedback.objects.get(pk=no_answer.pk).describes_self_otherwise is False


def test_a_failing_service_link_saves_nothing():
    event = open_for_feedback()
    not_a_service = EventFactory()
    with pytest.raises(TypeError):
        submit_feedback(event, answers(services_of_interest=[not_a_service]))
    assert Feedback.objects.count() == 0


def test_an_invalid_rating_saves_nothing():
    with pytest.raises(ValidationError):
        submit_feedback(open_for_feedback(), answers(rating_overall=6))
    assert Feedback.objects.count() == 0


def test_an_over_long_comment_saves_nothing():
    with pytest.raises(ValidationError):
        submit_feedback(open_for_feedback(), answers(comment="x" * 1001))
    assert Feedback.objects.count() == 0


def test_submit_refuses_a_closed_event():
    event = EventFactory(published=True)  # next week: not open yet
    with pytest.raises(ValidationError, match="keine Rückmeldung möglich"):
        submit_feedback(event, answers())
    assert Feedback.objects.count() == 0


def test_the_feedback_row_has_no_field_for_personal_data():
    names = {field.name for field in Feedback._meta.get_fields()}
    for personal in ("name", "email", "ip", "ip_address", "user_agent", "user"):
        assert personal not in names


def test_the_form_is_open_from_the_start():
    event = open_for_feedback()
    assert closed_reason(event, now=event.start) is None


def test_before_the_start_the_form_is_not_yet_open():
    event = EventFactory(published=True)
    assert (
        closed_reason(event, now=event.start - timedelta(seconds=1)) == Closed.NOT_YET
    )


def test_the_form_closes_feedback_open_days_after_the_end(settings):
    settings.FEEDBACK_OPEN_DAYS = 14
    event = open_for_feedback()
    assert closes_at(event) == event.end + timedelta(days=14)
    assert closed_reason(event, now=closes_at(event)) is None
    after = closes_at(event) + timedelta(seconds=1)
    assert closed_reason(event, now=after) == Closed.CLOSED


def test_a_cancelled_event_takes_no_feedback():
    start = timezone.now() - timedelta(hours=1)
    event = EventFactory(cancelled=True, start=start, end=start + timedelta(hours=3))
    assert closed_reason(event) == Closed.CANCELLED
