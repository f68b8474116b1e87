"""Onboarding a Jobcenter from the command line: create_jobcenter and add_staff."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from events.models import ServiceOffering, TargetGroup
from jobcenters.models import Host, Jobcenter, Membership
from jobcenters.scoping import jobcenter_scope
from tests.factories import TargetGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def create_enzkreis(**options) -> Jobcenter:
    run("create_jobcenter", "Jobcenter Enzkreis", host="jc-enzkreis.example", **options)
    return Jobcenter.objects.get(name="Jobcenter Enzkreis")


def test_create_jobcenter_with_its_primary_host_and_default_target_groups(jobcenter):
    TargetGroupFactory(name="Alleinerziehende", slug="alleinerziehende")
    out = run(
        "create_jobcenter",
        "Jobcenter Enzkreis",
        host="JC-Enzkreis.Example",
        short_name="JC Enzkreis",
    )
    new = Jobcenter.objects.get(name="Jobcenter Enzkreis")
    assert new.short_name == "JC Enzkreis"
    assert new.slug == "jobcenter-enzkreis"
    host = Host.objects.get(jobcenter=new)
    assert (host.name, host.is_primary) == ("jc-enzkreis.example", True)
    assert "Created Jobcenter Enzkreis" in out
    assert "add_staff USERNAME --jobcenter jc-enzkreis.example" in out
    with jobcenter_scope(new):
        groups = dict(TargetGroup.objects.values_list("slug", "name"))
        assert groups == {
            "arbeitsuchende": "Arbeitsuchende",
            "migration": "Menschen mit Migrationsgeschichte",
            "familien": "Familien",
        }
        # Services are each Jobcenter's own: it starts with none.
        assert not ServiceOffering.objects.exists()
    # The first Jobcenter's rows are untouched.
    assert list(TargetGroup.objects.values_list("slug", flat=True)) == [
        "alleinerziehende"
    ]


def test_create_jobcenter_refuses_a_host_another_jobcenter_has(jobcenter):
    taken = Host.objects.create(jobcenter=jobcenter, name="quartier.example")
    with pytest.raises(CommandError) as refused:
        run("create_jobcenter", "Jobcenter Calw", host="quartier.example")
    # In the installation's language (German), as the admin says it.
    assert str(refused.value) == (
        "host: Der Hostname quartier.example gehört schon zu Jobcenter Pforzheim."
    )
    assert not Jobcenter.objects.filter(name="Jobcenter Calw").exists()
    assert Host.objects.get(name="quartier.example") == taken


@pytest.mark.parametrize(
    "host",
    [
        "https://jc.example/",
        "jc.example/pfad",
        "jc example",
        "jc.example-",
        "jc.example:8000",
        "",
    ],
)
def test_create_jobcenter_refuses_an_invalid_host_name(host):
    with pytest.raises(CommandError, match=r"^host: "):
        run("create_jobcenter", "Jobcenter Calw", host=host)
    assert not Jobcenter.objects.filter(name="Jobcenter Calw").exists()


def test_create_jobcenter_refuses_a_second_jobcenter_of_the_same_slug():
    create_enzkreis()
    with pytest.raises(CommandError, match="slug"):
        run("create_jobcenter", "Jobcenter Enzkreis", host="other.example")
    assert Jobcenter.objects.filter(name="Jobcenter Enzkreis").count() == 1
    assert not Host.objects.filter(name="other.example").exists()


def test_create_jobcenter_needs_a_host():
    with pytest.raises(CommandError, match="--host"):
        call_command("create_jobcenter", "Jobcenter Calw")


def test_add_staff_creates_the_user_without_a_password(roles):
    enzkreis = create_enzkreis()
    out = run(
        "add_staff",
        "erika",
        jobcenter="jc-enzkreis.example",
        role="mitarbeitende",
        email="erika@jc-enzkreis.example",
    )
    user = get_user_model().objects.get(username="erika")
    assert user.is_staff and not user.is_superuser
    assert user.email == "erika@jc-enzkreis.example"
    assert not user.has_usable_password()
    assert "python manage.py changepassword erika" in out
    membership = Membership.objects.get(user=user)
    assert (membership.jobcenter, membership.role) == (enzkreis, "mitarbeitende")
    assert list(user.groups.values_list("name", flat=True)) == ["Mitarbeitende"]


def test_add_staff_gives_the_role_s_permissions_in_that_jobcenter_only(roles):
    enzkreis = create_enzkreis()
    run("add_staff", "erika", jobcenter="jc-enzkreis.example", role="mitarbeitende")
    user = get_user_model().objects.get(username="erika")
    with jobcenter_scope(enzkreis):
        assert user.has_perm("events.add_event")
    fresh = get_user_model().objects.get(pk=user.pk)  # no cached permissions
    assert not fresh.has_perm("events.add_event")  # the first Jobcenter's scope


def test_add_staff_is_idempotent_and_keeps_an_existing_user(roles):
    create_enzkreis()
    user = UserFactory(username="max", is_staff=False, email="")
    run("add_staff", "max", jobcenter="jc-enzkreis.example", role="koordination")
    out = run("add_staff", "max", jobcenter="jc-enzkreis.example", role="koordination")
    assert "already works for Jobcenter Enzkreis" in out
    assert "changepassword" not in out  # max has a password
    user.refresh_from_db()
    assert user.is_staff
    assert user.check_password("correct-horse-battery")
    assert Membership.objects.filter(user=user).count() == 1
    # Both roles at once are possible.
    run("add_staff", "max", jobcenter="jc-enzkreis.example", role="mitarbeitende")
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {
        "koordination",
        "mitarbeitende",
    }
    assert get_user_model().objects.filter(username="max").count() == 1


def test_add_staff_makes_the_role_groups_if_setup_roles_never_ran():
    create_enzkreis()
    run("add_staff", "kim", jobcenter="jc-enzkreis.example", role="koordination")
    user = get_user_model().objects.get(username="kim")
    # The group is what the second factor rule reads.
    assert list(user.groups.values_list("name", flat=True)) == ["Koordination"]


def test_add_staff_refuses_an_unknown_host(roles):
    with pytest.raises(CommandError, match="No Jobcenter has the host name"):
        run("add_staff", "erika", jobcenter="nirgends.example", role="mitarbeitende")
    assert not get_user_model().objects.filter(username="erika").exists()


def test_add_staff_refuses_an_unknown_role(roles):
    create_enzkreis()
    with pytest.raises(CommandError, match="Unknown role 'chef'"):
        run("add_staff", "erika", jobcenter="jc-enzkreis.example", role="chef")
    assert not get_user_model().objects.filter(username="erika").exists()


def test_add_staff_refuses_an_invalid_username_or_email(roles):
    create_enzkreis()
    with pytest.raises(CommandError, match="username"):
        run(
            "add_staff",
            "erika mustermann",
            jobcenter="jc-enzkreis.example",
            role="mitarbeitende",
        )
    with pytest.raises(CommandError, match="email"):
        run(
            "add_staff",
            "erika",
            jobcenter="jc-enzkreis.example",
            role="mitarbeitende",
            email="nope",
        )
    assert not get_user_model().objects.filter(username__startswith="erika").exists()
    assert not Membership.objects.exists()
