"""The regional view: totals of the Jobcenters one coordinates, side by side."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.roles import COORDINATION
from feedback import regional
from feedback.models import Feedback
from jobcenters.models import Membership
from jobcenters.scoping import jobcenter_scope
from tests.accounts import force_login_verified
from tests.factories import (
    ContactCountFactory,
    EventFactory,
    FeedbackFactory,
    UserFactory,
    first_jobcenter,
)
from tests.multi import give_role, second_jobcenter

pytestmark = pytest.mark.django_db

REGION = "/auswertung/region/"
SECRET = "Ganz persönlicher Kommentar"


def held_event(**kwargs):
    start = timezone.now() - timedelta(days=3)
    return EventFactory(
        published=True, start=start, end=start + timedelta(hours=4), **kwargs
    )


def fill(jobcenter, *, events: int, ratings, channel, contacts: int):
    """Held events with contacts and feedback in the Jobcenter."""
    with jobcenter_scope(jobcenter):
        made = [held_event() for _ in range(events)]
        EventFactory(published=True)  # still to come: not held
        EventFactory(start=made[0].start)  # a draft: not held
        ContactCountFactory(event=made[0], quantity=contacts)
        for rating in ratings:
            FeedbackFactory(
                event=made[-1], rating_overall=rating, heard_via=channel, comment=SECRET
            )
        FeedbackFactory(event=made[0], rating_overall=ratings[-1], heard_via="")


@pytest.fixture
def region(roles):
    """Four Jobcenters: Koordination in the first two, Mitarbeitende in the
    third, nothing in the fourth; each with its own figures."""
    first = first_jobcenter()
    zwei = second_jobcenter()
    drei = second_jobcenter("drei.testserver", name="Jobcenter Dreistadt")
    vier = second_jobcenter("vier.testserver", name="Jobcenter Vierstadt")
    user = UserFactory(username="regio", groups=[COORDINATION])
    give_role(user, zwei, Membership.Role.COORDINATION)
    give_role(user, drei, Membership.Role.STAFF)
    fill(first, events=2, ratings=[5, 5, 2], channel="poster", contacts=7)
    fill(zwei, events=1, ratings=[3], channel="letter", contacts=2)
    fill(drei, events=3, ratings=[1], channel="website", contacts=30)
    fill(vier, events=4, ratings=[2], channel="website", contacts=40)
    return {"user": user, "first": first, "zwei": zwei, "drei": drei, "vier": vier}


def test_only_jobcenters_coordinated_are_listed(region):
    listed = regional.coordinated_jobcenters(region["user"])
    assert {jc.pk for jc in listed} == {region["first"].pk, region["zwei"].pk}


def test_the_totals_of_each_jobcenter(region):
    rows = regional.regional_totals([region["first"], region["zwei"]])
    first, zwei = rows
    assert first.jobcenter == region["first"]
    assert (first.events_held, first.contacts, first.feedback) == (2, 7, 4)
    assert first.average_overall == 3.5
    assert [(c.key, c.count) for c in first.top_channels] == [("poster", 3)]
    assert (zwei.events_held, zwei.contacts, zwei.feedback) == (1, 2, 2)
    assert zwei.average_overall == 3.0
    assert [c.key for c in zwei.top_channels] == ["letter"]


def test_top_channels_are_the_three_named_most(region):
    with jobcenter_scope(region["zwei"]):
        event = held_event()
        for channel, n in (("poster", 3), ("website", 5), ("partner", 1)):
            for _ in range(n):
                FeedbackFactory(event=event, heard_via=channel)
    (row,) = regional.regional_totals([region["zwei"]])
    assert [(c.key, c.count) for c in row.top_channels] == [
        ("website", 5),
        ("poster", 3),
        ("letter", 1),
    ]


def test_no_jobcenters_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert regional.regional_totals([]) == []


@pytest.mark.parametrize("how_many", [1, 2, 4])
def test_a_fixed_number_of_queries(region, how_many, django_assert_num_queries):
    chosen = [region[key] for key in ("first", "zwei", "drei", "vier")][:how_many]
    with django_assert_num_queries(3):
        rows = regional.regional_totals(chosen)
    assert len(rows) == how_many


def test_the_page_shows_only_coordinated_jobcenters_and_no_comments(client, region):
    force_login_verified(client, region["user"])
    response = client.get(REGION)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jobcenter Zweistadt" in page.split("<main", 1)[1]
    table = page.split('id="table-region"', 1)[1].split("</table>", 1)[0]
    assert region["first"].name in table
    assert "Jobcenter Zweistadt" in table
    main = page.split("<main", 1)[1]
    assert "Dreistadt" not in main
    assert "Vierstadt" not in page
    assert SECRET not in page
    assert ">3,5<" in table  # the first Jobcenter's mean, in German
    assert "Plakat (3)" in table


def test_the_page_query_count_does_not_grow(
    client, region, django_assert_max_num_queries
):
    force_login_verified(client, region["user"])
    client.get(REGION)
    with django_assert_max_num_queries(12) as first:
        client.get(REGION)
    queries = len(first.captured_queries)
    give_role(region["user"], region["drei"], Membership.Role.COORDINATION)
    give_role(region["user"], region["vier"], Membership.Role.COORDINATION)
    client.get(REGION)
    with django_assert_max_num_queries(queries):
        page = client.get(REGION).content.decode()
    assert "Vierstadt" in page


def test_staff_only_get_403(staff_client):
    assert staff_client.get(REGION).status_code == 403


def test_the_overview_links_the_region_only_for_two_or_more(client, region):
    force_login_verified(client, region["user"])
    assert 'href="/auswertung/region/"' in client.get("/auswertung/").content.decode()
    Membership.objects.filter(user=region["user"], jobcenter=region["zwei"]).delete()
    assert (
        'href="/auswertung/region/"' not in client.get("/auswertung/").content.decode()
    )


def test_a_coordinator_of_one_sees_only_that_one(coordinator_client, region):
    page = coordinator_client.get(REGION).content.decode()
    table = page.split('id="table-region"', 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="row">') == 1
    assert "Zweistadt" not in table


def test_comments_never_reach_the_totals(region):
    rows = regional.regional_totals([region["first"], region["zwei"]])
    assert SECRET not in repr(rows)
    assert Feedback.objects.filter(comment=SECRET).exists()
