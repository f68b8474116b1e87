"""The operator manages who works where; staff cannot hand out roles."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from jobcenters.models import Jobcenter, Membership
from jobcenters.services import create_jobcenter
from tests.accounts import force_login_verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def operator_client(client):
    operator = UserFactory(username="operator", is_superuser=True)
    force_login_verified(client, operator)
    client.defaults["HTTP_HOST"] = "127.0.0.1"  # the first Jobcenter's, of two
    return client


@pytest.fixture
def enzkreis(db) -> Jobcenter:
    return create_jobcenter(name="Jobcenter Enzkreis", host="jc-enzkreis.example")


def test_the_user_admin_keeps_its_history_and_gains_the_memberships():
    user_admin = admin.site._registry[User]
    names = [cls.__name__ for cls in type(user_admin).__mro__]
    assert "SimpleHistoryAdmin" in names  # audit's history view stays
    assert [inline.model for inline in user_admin.inlines] == [Membership]


def test_the_operator_sees_and_changes_a_user_s_jobcenters(
    operator_client, jobcenter, enzkreis, roles
):
    erika = UserFactory(username="erika")
    Membership.objects.create(user=erika, jobcenter=jobcenter, role="mitarbeitende")
    url = f"/admin/auth/user/{erika.pk}/change/"
    page = operator_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "memberships-TOTAL_FORMS" in html
    assert "Jobcenter Enzkreis" in html  # offered in the choice

    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if key in ("username", "first_name", "last_name", "email")
    }
    data.update(
        {
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "2024-07-23",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": Membership.objects.get(user=erika).pk,
            "memberships-0-user": erika.pk,
            "memberships-0-jobcenter": jobcenter.pk,
            "memberships-0-role": "mitarbeitende",
            "memberships-1-user": erika.pk,
            "memberships-1-jobcenter": enzkreis.pk,
            "memberships-1-role": "koordination",
        }
    )
    response = operator_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert set(
        Membership.objects.filter(user=erika).values_list("jobcenter__name", "role")
    ) == {(jobcenter.name, "mitarbeitende"), ("Jobcenter Enzkreis", "koordination")}


def test_the_operator_lists_memberships_by_jobcenter(
    operator_client, jobcenter, enzkreis
):
    Membership.objects.create(
        user=UserFactory(username="erika"), jobcenter=jobcenter, role="mitarbeitende"
    )
    Membership.objects.create(
        user=UserFactory(username="max"), jobcenter=enzkreis, role="koordination"
    )
    page = operator_client.get(
        "/admin/jobcenters/membership/", {"jobcenter__id__exact": enzkreis.pk}
    )
    assert page.status_code == 200
    shown = [m.user.username for m in page.context["cl"].result_list]
    assert shown == ["max"]


def test_a_coordinator_sees_no_memberships(coordinator, client, enzkreis):
    # Even with the model permissions given to them directly.
    coordinator.user_permissions.set(
        Permission.objects.filter(content_type__app_label="jobcenters")
    )
    force_login_verified(client, coordinator)
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    assert client.get("/admin/jobcenters/membership/").status_code == 403
    user_admin = admin.site._registry[User]
    request = type("Request", (), {"user": coordinator})()
    assert user_admin.get_inline_instances(request, coordinator) == []
    index = client.get("/admin/")
    assert b"/admin/jobcenters/membership/" not in index.content
