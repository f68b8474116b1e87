"""Who may enter the staff areas: only staff of the Jobcenter they work in."""

import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.urls import reverse

from events.roles import COORDINATION, STAFF
from jobcenters.models import Membership
from jobcenters.scoping import jobcenter_scope
from quartier import staffauth
from tests.accounts import force_login_verified
from tests.factories import EventFactory, UserFactory, open_for_feedback
from tests.multi import SECOND_HOST, give_role, second_jobcenter

pytestmark = pytest.mark.django_db

NOT_AUTHORISED = "nicht autorisiert"


@pytest.fixture
def zwei(roles):
    jobcenter = second_jobcenter()
    with jobcenter_scope(jobcenter):
        EventFactory(title="Geheimer Termin in Zweistadt")
        open_for_feedback(title="Heute in Zweistadt")
    return jobcenter


def test_staff_of_another_jobcenter_is_refused_by_the_admin(client, staff_user, zwei):
    client.force_login(staff_user)
    response = client.get(reverse("admin:index"), HTTP_HOST=SECOND_HOST)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    login = client.get(response["Location"], HTTP_HOST=SECOND_HOST)
    assert NOT_AUTHORISED in login.content.decode()
    changelist = client.get(
        reverse("admin:events_event_changelist"), HTTP_HOST=SECOND_HOST
    )
    assert changelist.status_code == 302
    assert "Geheimer Termin" not in login.content.decode()


def test_the_login_page_offers_the_users_own_jobcenter(client, staff_user, zwei):
    client.force_login(staff_user)
    login = client.get(reverse("admin:login"), HTTP_HOST=SECOND_HOST).content.decode()
    assert "Ihr Konto arbeitet nicht für Jobcenter Zweistadt" in login
    assert f'action="{reverse("switch_jobcenter")}"' in login


def test_staff_of_another_jobcenter_get_403_on_team(client, staff_user, zwei):
    client.force_login(staff_user)
    response = client.get(reverse("feedback:team"), HTTP_HOST=SECOND_HOST)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Heute in Zweistadt" not in page
    assert "arbeitet nicht für Jobcenter Zweistadt" in page


def test_coordinator_of_another_jobcenter_gets_403_on_reports(
    client, coordinator, zwei
):
    force_login_verified(client, coordinator)
    for name in ("feedback:overview", "feedback:channels", "feedback:region"):
        response = client.get(reverse(name), HTTP_HOST=SECOND_HOST)
        assert response.status_code == 403, name
        assert "Zweistadt</" not in response.content.decode().split("<main", 1)[1]
    english = client.get("/en/auswertung/", HTTP_HOST=SECOND_HOST)
    assert english.status_code == 403


def test_anonymous_visitors_still_go_to_the_login(client, zwei):
    response = client.get(reverse("feedback:team"), HTTP_HOST=SECOND_HOST)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_members_of_both_enter_on_either_host(client, staff_user, zwei):
    give_role(staff_user, zwei)
    client.force_login(staff_user)
    assert client.get(reverse("admin:index"), HTTP_HOST=SECOND_HOST).status_code == 200
    team = client.get(reverse("feedback:team"), HTTP_HOST=SECOND_HOST)
    assert team.status_code == 200
    assert "Heute in Zweistadt" in team.content.decode()
    assert client.get(reverse("admin:index")).status_code == 200


def test_superusers_enter_everywhere(client, zwei):
    admin = UserFactory(username="betrieb", is_superuser=True)
    force_login_verified(client, admin)
    assert client.get(reverse("admin:index"), HTTP_HOST=SECOND_HOST).status_code == 200
    assert (
        client.get(reverse("feedback:overview"), HTTP_HOST=SECOND_HOST).status_code
        == 200
    )


def test_the_role_counts_where_one_works(client, zwei, roles):
    """Koordination in the first Jobcenter, only Mitarbeitende in the second."""
    user = UserFactory(username="beides", groups=[COORDINATION])
    give_role(user, zwei, Membership.Role.STAFF)
    force_login_verified(client, user)
    assert client.get(reverse("feedback:overview")).status_code == 200
    assert client.get(reverse("feedback:team")).status_code == 403
    assert (
        client.get(reverse("feedback:overview"), HTTP_HOST=SECOND_HOST).status_code
        == 403
    )
    assert (
        client.get(reverse("feedback:team"), HTTP_HOST=SECOND_HOST).status_code == 200
    )


def test_direct_permissions_do_not_open_another_jobcenter(client, zwei):
    """A permission given to the user by hand still needs a membership here."""
    user = UserFactory(username="direkt", groups=[STAFF])
    user.user_permissions.add(
        Permission.objects.get(codename="view_summaries"),
        Permission.objects.get(codename="add_contactcount"),
    )
    force_login_verified(client, user)
    assert client.get(reverse("feedback:overview")).status_code == 200
    assert (
        client.get(reverse("feedback:overview"), HTTP_HOST=SECOND_HOST).status_code
        == 403
    )


def test_inactive_memberships_elsewhere_do_not_show_in_public_pages(
    client, staff_user, zwei
):
    """Public pages get no switcher, and stay the host's."""
    give_role(staff_user, zwei)
    client.force_login(staff_user)
    page = client.get(reverse("events:upcoming"), HTTP_HOST=SECOND_HOST)
    assert page.status_code == 200
    assert "jobcenter-switcher" not in page.content.decode()


@override_settings(OTP_REQUIRED_GROUPS=["Koordination"])
def test_a_coordination_role_in_any_jobcenter_requires_a_second_factor(zwei):
    helper = UserFactory(username="hilfe")
    give_role(helper, zwei, Membership.Role.STAFF)
    assert not staffauth.second_factor_required(helper)
    give_role(helper, zwei, Membership.Role.COORDINATION)
    assert staffauth.second_factor_required(helper)


@override_settings(OTP_REQUIRED_GROUPS=["Mitarbeitende"])
def test_the_required_groups_name_the_roles(roles, zwei):
    coordinator_only = UserFactory(username="nurkoordination")
    give_role(coordinator_only, zwei, Membership.Role.COORDINATION)
    assert not staffauth.second_factor_required(coordinator_only)
    in_group = UserFactory(username="gruppe", groups=[STAFF])
    Membership.objects.filter(user=in_group).delete()
    assert staffauth.second_factor_required(in_group)


@override_settings(OTP_REQUIRED_GROUPS=[])
def test_no_required_groups_require_nothing(zwei):
    user = UserFactory(username="frei")
    give_role(user, zwei, Membership.Role.COORDINATION)
    assert not staffauth.second_factor_required(user)
