from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.roles import STAFF
from feedback.models import ContactCount, Feedback
from tests.accounts import force_login_verified
from tests.factories import (
    ContactCountFactory,
    EventFactory,
    FeedbackFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
)

ADD = reverse("admin:feedback_feedback_add")
CHANGELIST = reverse("admin:feedback_feedback_changelist")
COUNT_ADD = reverse("admin:feedback_contactcount_add")


def change_url(feedback):
    return reverse("admin:feedback_feedback_change", args=[feedback.pk])


@pytest.fixture
def past_event(db):
    start = timezone.now() - timedelta(days=2)
    return EventFactory(
        title="Quartierswerkstatt",
        published=True,
        start=start,
        end=start + timedelta(hours=4),
    )


def paper_form(event, **answers):
    data = {
        "event": event.pk,
        "submitted_at_0": "23.07.2024",
        "submitted_at_1": "12:00:00",
        "rating_overall": "5",
        "rating_consultation": "4",
        "rating_material": "",
        "rating_location": "3",
        "heard_via": "poster",
        "would_come_again": "True",
        "target_group": "",
        "comment": "Sehr freundlich.",
    }
    data.update(answers)
    return data


# Staff („Mitarbeitende“): type in paper questionnaires


def test_setup_roles_lets_staff_add_and_correct_but_not_delete_feedback(roles):
    call_command("setup_roles", verbosity=0)
    codes = set(
        Group.objects.get(name=STAFF).permissions.values_list("codename", flat=True)
    )
    assert {"add_feedback", "change_feedback", "view_feedback"} <= codes
    assert "delete_feedback" not in codes and "view_summaries" not in codes


def test_staff_add_form_preselects_the_event_and_hides_the_source(
    staff_client, past_event
):
    ServiceOfferingFactory(title="Kinderbetreuung")
    response = staff_client.get(ADD, {"event": past_event.pk})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["event"] == past_event.pk
    assert form.initial["submitted_at"] == past_event.end
    assert "source" not in form.fields
    content = response.content.decode()
    assert 'type="radio" name="rating_overall" value="5"' in content
    assert 'type="checkbox" name="services_of_interest"' in content


def test_fields_follow_the_paper_form(staff_client, past_event):
    form = staff_client.get(ADD).context["adminform"].form
    assert list(form.fields)[:7] == [
        "event",
        "submitted_at",
        "rating_overall",
        "rating_consultation",
        "rating_material",
        "rating_location",
        "heard_via",
    ]


@pytest.mark.parametrize("value", ["abc", "99999", "-1", "<b>x</b>"])
def test_a_bad_event_parameter_just_preselects_nothing(staff_client, past_event, value):
    response = staff_client.get(ADD, {"event": value})
    assert response.status_code == 200
    assert "event" not in response.context["adminform"].form.initial


def test_only_published_started_events_can_be_chosen(staff_client, past_event):
    draft = EventFactory(start=past_event.start - timedelta(days=7))
    future = EventFactory(published=True)
    field = staff_client.get(ADD).context["adminform"].form.fields["event"]
    assert list(field.queryset) == [past_event]
    assert draft not in field.queryset and future not in field.queryset


def test_staff_save_a_paper_questionnaire(staff_client, past_event):
    topic = ServiceOfferingFactory()
    group = TargetGroupFactory()
    data = paper_form(
        past_event,
        services_of_interest=[topic.pk],
        target_group=group.pk,
        source="online",  # ignored: the source is not a form field
    )
    response = staff_client.post(ADD, data)
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.source == Feedback.Source.PAPER
    assert (feedback.rating_overall, feedback.rating_consultation) == (5, 4)
    assert feedback.rating_material is None
    assert feedback.would_come_again is True
    assert feedback.heard_via == "poster"
    assert feedback.target_group == group
    assert list(feedback.services_of_interest.all()) == [topic]


def test_staff_can_type_in_something_else_and_correct_it(staff_client, past_event):
    group = TargetGroupFactory()
    assert (
        staff_client.post(ADD, paper_form(past_event, target_group="other")).status_code
        == 302
    )
    feedback = Feedback.objects.get()
    assert (feedback.target_group, feedback.describes_self_otherwise) == (None, True)

    change = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    form = staff_client.get(change).context["adminform"].form
    assert form["target_group"].value() == "other"  # shown as ticked

    response = staff_client.post(change, paper_form(past_event, target_group=group.pk))
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.target_group, feedback.describes_self_otherwise) == (group, False)


def test_no_answer_radios_save_empty_answers(staff_client, past_event):
    data = paper_form(past_event, would_come_again="", heard_via="", rating_location="")
    assert staff_client.post(ADD, data).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.would_come_again is None
    assert feedback.heard_via == ""
    assert feedback.rating_location is None


def test_save_and_add_another_keeps_the_event(staff_client, past_event):
    response = staff_client.post(ADD, {**paper_form(past_event), "_addanother": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{ADD}?event={past_event.pk}"
    follow = staff_client.get(response["Location"])
    assert follow.context["adminform"].form.initial["event"] == past_event.pk


@pytest.mark.parametrize(
    "answers",
    [
        {"rating_overall": "7"},
        {"rating_overall": ""},
        {"rating_consultation": "0"},
        {"heard_via": "<script>"},
        {"would_come_again": "vielleicht"},
        {"comment": "x" * 1001},
        {"event": "99999"},
    ],
)
def test_bad_answers_are_form_errors_and_save_nothing(
    staff_client, past_event, answers
):
    response = staff_client.post(ADD, {**paper_form(past_event), **answers})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Feedback.objects.count() == 0


def test_staff_list_shows_paper_questionnaires_only_without_comments(
    staff_client, past_event
):
    FeedbackFactory(event=past_event, source="paper", comment="Vom Papier")
    FeedbackFactory(event=past_event, source="online", comment="Online geschrieben")
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    content = response.content.decode()
    assert "Online geschrieben" not in content and "Vom Papier" not in content


def test_staff_may_correct_a_paper_questionnaire(staff_client, past_event):
    feedback = FeedbackFactory(event=past_event, source="paper", rating_overall=2)
    response = staff_client.post(
        change_url(feedback), paper_form(past_event, rating_overall="3")
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.rating_overall == 3
    assert feedback.source == Feedback.Source.PAPER


def test_staff_cannot_open_or_change_online_feedback(staff_client, past_event):
    online = FeedbackFactory(event=past_event, source="online", rating_overall=2)
    response = staff_client.post(
        change_url(online), paper_form(past_event, rating_overall="5")
    )
    assert response.status_code == 302  # "does not exist" for them
    assert response["Location"] == reverse("admin:index")
    online.refresh_from_db()
    assert online.rating_overall == 2


def test_staff_cannot_delete_feedback(staff_client, past_event):
    paper = FeedbackFactory(event=past_event, source="paper")
    url = reverse("admin:feedback_feedback_delete", args=[paper.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    assert Feedback.objects.count() == 1


def test_event_admin_links_to_typing_in_paper_forms(staff_client, past_event):
    url = reverse("admin:events_event_change", args=[past_event.pk])
    content = staff_client.get(url).content.decode()
    assert f"{ADD}?event={past_event.pk}" in content
    assert f"{COUNT_ADD}?event={past_event.pk}" in content


# Coordinators („Koordination“): read everything, change nothing


@pytest.mark.parametrize(
    ("otherwise", "group", "shown"),
    [
        (True, False, "etwas anderes"),
        (False, True, "Familien"),
        (False, False, "keine Angabe"),
    ],
)
def test_read_only_feedback_shows_the_self_description(
    coordinator_client, past_event, otherwise, group, shown
):
    feedback = FeedbackFactory(
        event=past_event,
        describes_self_otherwise=otherwise,
        target_group=TargetGroupFactory(name="Familien") if group else None,
    )
    url = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200
    row = response.content.decode().split("field-self_description", 1)[1]
    assert row.split('<div class="readonly">', 1)[1].startswith(f"{shown}</div>")


def test_coordinators_see_all_feedback_with_comments(coordinator_client, past_event):
    FeedbackFactory(event=past_event, source="paper", comment="Vom Papier")
    FeedbackFactory(event=past_event, source="online", comment="Online geschrieben")
    response = coordinator_client.get(CHANGELIST)
    assert response.context["cl"].result_count == 2
    content = response.content.decode()
    assert "Online geschrieben" in content and "Vom Papier" in content


def test_coordinators_may_not_add_or_change_feedback(coordinator_client, past_event):
    paper = FeedbackFactory(event=past_event, source="paper", rating_overall=2)
    assert coordinator_client.get(ADD).status_code == 403
    response = coordinator_client.post(
        change_url(paper), paper_form(past_event, rating_overall="5")
    )
    assert response.status_code == 403
    paper.refresh_from_db()
    assert paper.rating_overall == 2


def test_coordinators_can_read_an_online_answer(coordinator_client, past_event):
    online = FeedbackFactory(event=past_event, source="online", comment="Danke!")
    response = coordinator_client.get(change_url(online))
    assert response.status_code == 200
    assert "Danke!" in response.content.decode()
    assert not response.context["has_change_permission"]


# Nobody edits what visitors wrote online


def test_online_feedback_is_read_only_even_for_a_superuser(client, past_event):
    force_login_verified(client, UserFactory(is_superuser=True))
    online = FeedbackFactory(event=past_event, source="online", rating_overall=2)
    response = client.get(change_url(online))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    client.post(change_url(online), paper_form(past_event, rating_overall="5"))
    online.refresh_from_db()
    assert online.rating_overall == 2


@pytest.mark.parametrize("rows", [2, 30])
def test_changelist_queries_do_not_grow(
    coordinator_client, past_event, rows, django_assert_max_num_queries
):
    for n in range(rows):
        FeedbackFactory(
            event=EventFactory(published=True), source=("paper", "online")[n % 2]
        )
    with django_assert_max_num_queries(
        15
    ):  # one is the user's Jobcenters (the switcher)
        response = coordinator_client.get(CHANGELIST)
    assert response.status_code == 200


# Contact counts: typing in a paper tally sheet


def test_staff_type_in_a_tally_sheet_with_a_quantity(
    staff_client, staff_user, past_event
):
    group = TargetGroupFactory()
    data = {
        "event": past_event.pk,
        "target_group": group.pk,
        "service": "",
        "quantity": "12",
        "counted_at_0": "23.07.2024",
        "counted_at_1": "14:00:00",
        "_addanother": "1",
    }
    response = staff_client.post(COUNT_ADD, data)
    assert response.status_code == 302
    assert response["Location"] == f"{COUNT_ADD}?event={past_event.pk}"
    count = ContactCount.objects.get()
    assert (count.quantity, count.counted_by, count.target_group) == (
        12,
        staff_user,
        group,
    )


def test_a_tally_of_zero_is_refused(staff_client, past_event):
    data = {
        "event": past_event.pk,
        "quantity": "0",
        "counted_at_0": "23.07.2024",
        "counted_at_1": "14:00:00",
    }
    response = staff_client.post(COUNT_ADD, data)
    assert response.status_code == 200
    assert ContactCount.objects.count() == 0


def test_coordinators_only_read_contact_counts(coordinator_client, past_event):
    ContactCountFactory(event=past_event, quantity=3)
    changelist = reverse("admin:feedback_contactcount_changelist")
    assert coordinator_client.get(changelist).status_code == 200
    assert coordinator_client.get(COUNT_ADD).status_code == 403


def test_staff_without_a_group_see_nothing(client, past_event, roles):
    """Without a role in this Jobcenter the admin does not let them in."""
    client.force_login(UserFactory(groups=[]))
    for url in (CHANGELIST, ADD):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
