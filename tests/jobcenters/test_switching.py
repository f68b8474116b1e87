"""Working for several Jobcenters: switching in the staff areas, without logging in again."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from events.roles import STAFF
from jobcenters.models import Membership
from jobcenters.scoping import jobcenter_scope, scopes_disabled
from jobcenters.staff import SESSION_KEY
from tests.factories import (
    EventFactory,
    LocationFactory,
    UserFactory,
    first_jobcenter,
    open_for_feedback,
)
from tests.multi import SECOND_HOST, give_role, second_jobcenter

pytestmark = pytest.mark.django_db

SWITCH = "/admin/jobcenter/wechseln/"


@pytest.fixture
def zwei(roles):
    jobcenter = second_jobcenter()
    with jobcenter_scope(jobcenter):
        EventFactory(title="Termin in Zweistadt", published=True)
        open_for_feedback(title="Heute in Zweistadt")
    return jobcenter


@pytest.fixture
def both(staff_user, zwei):
    """Mitarbeitende in the first Jobcenter and in the second, logged in."""
    give_role(staff_user, zwei)
    EventFactory(title="Termin in Pforzheim", published=True)
    open_for_feedback(title="Heute in Pforzheim")
    return staff_user


@pytest.fixture
def both_client(client, both):
    client.force_login(both)
    return client


def switch(client, jobcenter, next_path="/admin/", **extra):
    return client.post(SWITCH, {"jobcenter": jobcenter.pk, "next": next_path}, **extra)


def test_the_admin_header_shows_the_jobcenter_and_the_switcher(both_client, zwei):
    page = both_client.get(reverse("admin:index")).content.decode()
    assert "Sie arbeiten in: <strong>Jobcenter" in page
    assert f'<option value="{zwei.pk}">Jobcenter Zweistadt</option>' in page
    assert f'<option value="{first_jobcenter().pk}" selected>' in page
    assert f'action="{SWITCH}"' in page
    assert '<label for="jobcenter-switch-admin">' in page


def test_one_jobcenter_shows_no_switch_form(staff_client, zwei):
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "jobcenter-switcher" in page
    assert f'action="{SWITCH}"' not in page


def test_switching_shows_the_chosen_jobcenters_data(both_client, zwei):
    changelist = reverse("admin:events_event_changelist")
    before = both_client.get(changelist).content.decode()
    assert "Termin in Pforzheim" in before
    assert "Termin in Zweistadt" not in before
    response = switch(both_client, zwei)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert both_client.session[SESSION_KEY] == zwei.pk
    after = both_client.get(changelist).content.decode()
    assert "Termin in Zweistadt" in after
    assert "Termin in Pforzheim" not in after
    team = both_client.get(reverse("feedback:team")).content.decode()
    assert "Heute in Zweistadt" in team
    assert "Heute in Pforzheim" not in team


def test_public_pages_stay_the_hosts(both_client, zwei):
    switch(both_client, zwei)
    page = both_client.get(reverse("events:upcoming")).content.decode()
    assert "Termin in Pforzheim" in page
    assert "Termin in Zweistadt" not in page
    assert "jobcenter-switcher" not in page


def test_an_event_made_in_the_admin_after_switching_belongs_to_the_chosen(
    both_client, zwei
):
    switch(both_client, zwei)
    with jobcenter_scope(zwei):
        location = LocationFactory(name="Treff in Zweistadt")
    start = timezone.localtime(timezone.now()) + timezone.timedelta(days=5)
    response = both_client.post(
        reverse("admin:events_event_add"),
        {
            "title": "Neu in Zweistadt",
            "status": "draft",
            "location": location.pk,
            "start_0": start.strftime("%d.%m.%Y"),
            "start_1": "10:00:00",
            "end_0": start.strftime("%d.%m.%Y"),
            "end_1": "14:00:00",
            "handouts-TOTAL_FORMS": "0",
            "handouts-INITIAL_FORMS": "0",
            "announcements-TOTAL_FORMS": "0",
            "announcements-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with scopes_disabled():
        event = Event.objects.get(translations__title="Neu in Zweistadt")
    assert event.jobcenter_id == zwei.pk


def test_only_ones_own_jobcenters_can_be_chosen(staff_client, zwei):
    response = switch(staff_client, zwei)
    assert response.status_code == 400
    assert SESSION_KEY not in staff_client.session
    assert switch(staff_client, first_jobcenter()).status_code == 302


@pytest.mark.parametrize("value", ["", "abc", "999999", "1; DROP"])
def test_nonsense_is_refused(both_client, value):
    response = both_client.post(SWITCH, {"jobcenter": value})
    assert response.status_code == 400


def test_superusers_may_choose_any(client, zwei):
    from tests.accounts import force_login_verified

    admin = UserFactory(username="betrieb", is_superuser=True)
    force_login_verified(client, admin)
    assert switch(client, zwei).status_code == 302
    assert client.session[SESSION_KEY] == zwei.pk


def test_the_switch_takes_a_post_a_login_and_a_csrf_token(zwei, both):
    anonymous = Client()
    response = switch(anonymous, zwei)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(both)
    assert switch(strict, zwei).status_code == 403
    assert SESSION_KEY not in strict.session
    assert strict.get(SWITCH).status_code == 405


@pytest.mark.parametrize(
    "next_path, target",
    [
        ("/team/", "/team/"),
        ("/en/auswertung/", "/en/auswertung/"),
        ("https://evil.example/admin/", "/admin/"),
        ("//evil.example/admin/", "/admin/"),
        ("/termine/", "/admin/"),
        ("", "/admin/"),
    ],
)
def test_switching_returns_only_to_a_staff_area(both_client, zwei, next_path, target):
    response = switch(both_client, zwei, next_path)
    assert response["Location"] == target


def test_the_team_page_offers_the_switch_to_its_own_start(both_client):
    page = both_client.get(reverse("feedback:team")).content.decode()
    assert 'name="next" value="/team/"' in page
    assert '<label for="jobcenter-switch-page">' in page


def test_a_removed_membership_falls_back_to_the_host(both_client, both, zwei):
    switch(both_client, zwei)
    Membership.objects.filter(user=both, jobcenter=zwei).delete()
    page = both_client.get(reverse("admin:events_event_changelist"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Termin in Pforzheim" in content
    assert "Termin in Zweistadt" not in content
    assert SESSION_KEY not in both_client.session


def test_the_default_on_another_host_is_that_hosts_jobcenter(both_client, zwei):
    page = both_client.get(
        reverse("admin:events_event_changelist"), HTTP_HOST=SECOND_HOST
    )
    assert "Termin in Zweistadt" in page.content.decode()
    assert "Termin in Pforzheim" not in page.content.decode()


def test_a_user_of_another_jobcenter_can_switch_to_their_own(client, roles, zwei):
    """Staff of the second Jobcenter on the first host: refused, then switched."""
    visitor = UserFactory(username="gast")
    give_role(visitor, zwei)
    client.force_login(visitor)
    assert client.get(reverse("feedback:team")).status_code == 403
    assert switch(client, zwei, "/team/")["Location"] == "/team/"
    team = client.get(reverse("feedback:team"))
    assert team.status_code == 200
    assert "Heute in Zweistadt" in team.content.decode()


def test_staff_group_without_membership_here_cannot_switch_in(client, zwei):
    outsider = UserFactory(username="fremd", groups=[STAFF])
    Membership.objects.filter(user=outsider).delete()
    client.force_login(outsider)
    assert switch(client, zwei).status_code == 400
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_index_is_titled_with_the_chosen_jobcenter(both_client, zwei):
    assert both_client.get("/admin/").context["title"] == first_jobcenter().name
    switch(both_client, zwei)
    assert both_client.get("/admin/").context["title"] == "Jobcenter Zweistadt"
