from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from feedback.models import ContactCount
from feedback.services import UNDO_WINDOW
from tests.factories import (
    ContactCountFactory,
    EventFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
)

URL = "/team/"


def today_at(hour: int, *, days: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def event(db):
    return EventFactory(
        title="Quartierswerkstatt",
        published=True,
        start=today_at(8),
        end=today_at(20),
    )


@pytest.fixture
def families(db):
    return TargetGroupFactory(name="Familien", slug="familien")


@pytest.fixture
def childcare(db):
    return ServiceOfferingFactory(title="Kinderbetreuung")


def count(client, event, **fields):
    data = {"event": event.pk, "action": "count", **fields}
    return client.post(URL, data)


# Who may count


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/team/"


def test_anonymous_post_counts_nothing(client, event):
    response = count(client, event)
    assert response.status_code == 302
    assert ContactCount.objects.count() == 0


def test_staff_without_the_permission_get_403(client, event, roles):
    client.force_login(UserFactory(groups=[]))
    assert client.get(URL).status_code == 403
    assert count(client, event).status_code == 403
    assert ContactCount.objects.count() == 0


def test_coordinators_may_not_count(coordinator_client, event):
    assert coordinator_client.get(URL).status_code == 403


# Which event


def test_one_event_today_is_shown_at_once(staff_client, event, families, childcare):
    response = staff_client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Quartierswerkstatt" in content
    assert f'name="target_group" value="{families.pk}"' in content
    assert f'name="service" value="{childcare.pk}"' in content


def test_several_events_today_let_staff_choose(staff_client, event):
    other = EventFactory(published=True, start=today_at(9), end=today_at(11))
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert "feedback/team/choose.html" in [t.name for t in response.templates]
    assert f"?veranstaltung={other.pk}" in response.content.decode()

    chosen = staff_client.get(URL, {"veranstaltung": other.pk})
    assert chosen.context["event"] == other


def test_no_event_today_says_so_and_names_the_next(staff_client, db):
    upcoming = EventFactory(
        title="Nächster Termin",
        published=True,
        start=today_at(10, days=2),
        end=today_at(12, days=2),
    )
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert "feedback/team/none_today.html" in [t.name for t in response.templates]
    assert response.context["next_event"] == upcoming
    assert "Nächster Termin" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "99999", "1e3", "<script>"])
def test_an_unknown_event_number_is_404(staff_client, event, value):
    assert staff_client.get(URL, {"veranstaltung": value}).status_code == 404


def test_an_event_not_today_cannot_be_opened(staff_client, event):
    tomorrow = EventFactory(
        published=True, start=today_at(10, days=1), end=today_at(12, days=1)
    )
    assert staff_client.get(URL, {"veranstaltung": tomorrow.pk}).status_code == 404


# Counting


def test_counting_saves_one_row_and_redirects(
    staff_client, staff_user, event, families, childcare
):
    response = count(
        staff_client, event, target_group=families.pk, service=childcare.pk
    )
    assert response.status_code == 302
    assert response["Location"] == f"/team/?veranstaltung={event.pk}"
    row = ContactCount.objects.get()
    assert (row.event, row.counted_by, row.quantity) == (event, staff_user, 1)
    assert (row.target_group, row.service) == (families, childcare)


def test_the_page_after_counting_confirms_and_shows_totals(
    staff_client, event, families, childcare
):
    response = count(
        staff_client, event, target_group=families.pk, service=childcare.pk
    )
    page = staff_client.get(response["Location"])
    content = page.content.decode()
    assert "Gezählt: Familien · Kinderbetreuung" in content
    assert page.context["board"].overall == 1


def test_reloading_the_page_after_counting_counts_nothing(staff_client, event):
    response = count(staff_client, event)
    staff_client.get(response["Location"])
    staff_client.get(response["Location"])
    assert ContactCount.objects.count() == 1


def test_topic_only_and_group_only_taps_count(staff_client, event, families, childcare):
    count(staff_client, event, service=childcare.pk, target_group="")
    count(staff_client, event, target_group=families.pk, service="")
    rows = ContactCount.objects.order_by("pk")
    assert [(r.target_group_id, r.service_id) for r in rows] == [
        (None, childcare.pk),
        (families.pk, None),
    ]


def test_fetch_requests_get_totals_as_json(staff_client, event, families):
    response = staff_client.post(
        URL,
        {"event": event.pk, "action": "count", "target_group": families.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["message"] == "Gezählt: Familien"
    assert data["totals"]["overall"] == 1
    assert data["totals"]["groups"] == {str(families.pk): 1}


def test_get_never_writes(staff_client, event, families):
    staff_client.get(
        URL, {"event": event.pk, "action": "count", "target_group": families.pk}
    )
    assert ContactCount.objects.count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"event": "99999"},
        {"event": "abc"},
        {"event": ""},
        {"action": "delete-everything"},
        {"target_group": "99999"},
        {"target_group": "x" * 500},
        {"service": "99999"},
        {"service": "<script>alert(1)</script>"},
    ],
)
def test_bad_input_is_400_and_counts_nothing(staff_client, event, fields):
    data = {"event": event.pk, "action": "count", **fields}
    response = staff_client.post(URL, data)
    assert response.status_code == 400
    assert ContactCount.objects.count() == 0


def test_an_event_not_today_cannot_be_counted(staff_client, event):
    yesterday = EventFactory(
        published=True, start=today_at(10, days=-1), end=today_at(12, days=-1)
    )
    assert count(staff_client, yesterday).status_code == 400
    assert ContactCount.objects.count() == 0


def test_a_draft_event_today_cannot_be_counted(staff_client, db):
    draft = EventFactory(start=today_at(8), end=today_at(20))
    assert count(staff_client, draft).status_code == 400


def test_a_topic_not_offered_at_the_event_is_refused(staff_client, event, childcare):
    offered = ServiceOfferingFactory()
    event.services.set([offered])
    assert count(staff_client, event, service=childcare.pk).status_code == 400
    assert count(staff_client, event, service=offered.pk).status_code == 302


def test_csrf_is_required(client, staff_user, event):
    client.force_login(staff_user)
    client.handler.enforce_csrf_checks = True
    assert count(client, event).status_code == 403
    assert ContactCount.objects.count() == 0


def test_other_methods_are_refused(staff_client, event):
    assert staff_client.put(URL).status_code == 405


# Undo


def test_undo_takes_back_the_own_last_count(staff_client, staff_user, event, families):
    ContactCountFactory(event=event, counted_by=UserFactory())
    count(staff_client, event)
    count(staff_client, event, target_group=families.pk)

    response = staff_client.post(
        URL, {"event": event.pk, "action": "undo"}, follow=True
    )

    assert "Rückgängig gemacht: Familien" in response.content.decode()
    assert ContactCount.objects.count() == 2
    assert ContactCount.objects.filter(target_group=families).count() == 0


def test_undo_with_nothing_to_undo_says_so(staff_client, event):
    ContactCountFactory(event=event, counted_by=UserFactory())
    response = staff_client.post(
        URL, {"event": event.pk, "action": "undo"}, follow=True
    )
    assert response.status_code == 200
    assert "Nichts rückgängig zu machen" in response.content.decode()
    assert ContactCount.objects.count() == 1


def test_undo_leaves_an_old_count(staff_client, staff_user, event):
    ContactCountFactory(
        event=event,
        counted_by=staff_user,
        counted_at=timezone.now() - UNDO_WINDOW - timedelta(minutes=1),
    )
    staff_client.post(URL, {"event": event.pk, "action": "undo"})
    assert ContactCount.objects.count() == 1


# Queries


@pytest.mark.parametrize("rows", [1, 40])
def test_page_queries_do_not_grow_with_counts(
    staff_client, event, rows, django_assert_max_num_queries
):
    groups = TargetGroupFactory.create_batch(3)
    topics = ServiceOfferingFactory.create_batch(4)
    for n in range(rows):
        ContactCountFactory(
            event=event, target_group=groups[n % 3], service=topics[n % 4]
        )
    with django_assert_max_num_queries(
        13
    ):  # one is the user's Jobcenters (the switcher)
        response = staff_client.get(URL)
    assert response.status_code == 200
    assert response.context["board"].overall == rows


@pytest.mark.parametrize("rows", [1, 40])
def test_counting_queries_do_not_grow_with_counts(
    staff_client, event, rows, django_assert_max_num_queries
):
    ContactCountFactory.create_batch(rows, event=event)
    group = TargetGroupFactory()
    with django_assert_max_num_queries(
        12
    ):  # one is the user's Jobcenters (the switcher)
        response = count(staff_client, event, target_group=group.pk)
    assert response.status_code == 302
