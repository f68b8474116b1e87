"""Onboarding: a new Jobcenter with its defaults, and who works for it."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jobcenters.hosts import normalise
from jobcenters.models import ROLE_GROUPS, Host, Jobcenter, Membership
from jobcenters.scoping import jobcenter_scope
from jobcenters.signals import jobcenter_created


@transaction.atomic
def create_jobcenter(
    *,
    name: str,
    host: str,
    short_name: str = "",
    slug: str = "",
    **fields,
) -> Jobcenter:
    """A new Jobcenter served under ``host``, with what every Jobcenter starts with.

    ``fields`` are further Jobcenter fields (kind, state, brand_color, legal
    details). Everything is checked before anything is saved; a host name that
    another Jobcenter uses is refused. The apps add their defaults (events: the
    target groups) through the ``jobcenter_created`` signal, in the new
    Jobcenter's scope.
    """
    jobcenter = Jobcenter(
        name=(name or "").strip(),
        short_name=short_name.strip(),
        slug=slug or slugify(name)[:60],
        **fields,
    )
    jobcenter.full_clean()
    host_name = (host or "").strip().lower()
    taken = Host.objects.filter(name=host_name).select_related("jobcenter").first()
    if taken is not None:
        raise ValidationError(
            {
                "host": ValidationError(
                    _("The host name %(host)s already belongs to %(jobcenter)s."),
                    params={"host": host_name, "jobcenter": taken.jobcenter},
                    code="host_taken",
                )
            }
        )
    primary = Host(jobcenter=jobcenter, name=host_name, is_primary=True)
    try:
        primary.full_clean(exclude=["jobcenter"])
    except ValidationError as error:
        # Said of the host, not of a "name" (the Jobcenter has one too).
        raise ValidationError(
            {"host": error.message_dict.get("name", error.messages)}
        ) from error
    jobcenter.save()
    primary.jobcenter = jobcenter
    primary.save()
    with jobcenter_scope(jobcenter):
        jobcenter_created.send(sender=Jobcenter, jobcenter=jobcenter)
    return jobcenter


def jobcenter_by_host(host: str) -> Jobcenter | None:
    """The Jobcenter one of whose host names this is (exactly, no fallback)."""
    return Jobcenter.objects.filter(hosts__name=normalise(host or "")).first()


@dataclass
class StaffResult:
    user: object
    user_created: bool
    membership_created: bool


@transaction.atomic
def add_staff(
    *, username: str, jobcenter: Jobcenter, role: str, email: str = ""
) -> StaffResult:
    """The user works for the Jobcenter in this role (idempotent).

    A new user gets an unusable password: they set one with
    ``manage.py changepassword``. The user becomes staff (the admin is where
    they work) and joins the role's Django group as well, which the second
    factor rule (OTP_REQUIRED_GROUPS) reads; the permissions come from the
    membership (jobcenters.backends).
    """
    if role not in Membership.Role.values:
        raise ValidationError(
            _("Unknown role %(role)s: choose one of %(roles)s.")
            % {"role": role, "roles": ", ".join(Membership.Role.values)},
            code="role",
        )
    User = get_user_model()
    username = (username or "").strip()
    user = User.objects.filter(username=username).first()
    user_created = user is None
    if user_created:
        user = User(username=username, email=email, is_staff=True)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    else:
        changed = []
        if not user.is_staff:
            user.is_staff = True
            changed.append("is_staff")
        if email and user.email != email:
            user.email = email
            changed.append("email")
        if changed:
            user.full_clean()
            user.save(update_fields=changed)
    _membership, membership_created = Membership.objects.get_or_create(
        user=user, jobcenter=jobcenter, role=role
    )
    group = Group.objects.filter(name=ROLE_GROUPS[role]).first()
    if group is not None:
        user.groups.add(group)
    return StaffResult(user, user_created, membership_created)
