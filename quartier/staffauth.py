"""Staff accounts: who needs a second factor, enrolment, codes, session marks.

The libraries do the work: django-axes counts failed logins and locks out,
django-otp keeps the devices (TOTP for the app, static tokens for recovery
codes) and marks a session as verified. This module holds Quartier's rules
around them; the views in ``quartier.twofactor`` only call it.
"""

import enum
import time
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Session keys: whether this login must be verified by a second factor
# (decided once at login), and when the session was last kept alive.
NEEDS_SECOND_FACTOR_KEY = "_quartier_needs_second_factor"
LAST_SEEN_KEY = "_quartier_last_seen"
# A session's expiry is pushed back at most once a minute, not on every request.
REFRESH_EVERY_SECONDS = 60
RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
APP_DEVICE_NAME = "authenticator app"


def second_factor_required(user) -> bool:
    """Superusers and holders of an OTP_REQUIRED_GROUPS role must use a second factor.

    A role counts in any Jobcenter (roles are held per Jobcenter, as
    memberships naming a group), as does a group the user is in directly.
    """
    if user.is_superuser:
        return True
    required = settings.OTP_REQUIRED_GROUPS
    if not required:
        return False
    from django.db.models import Exists, OuterRef, Q

    from jobcenters.models import ROLE_GROUPS, Membership

    roles = [role for role, group in ROLE_GROUPS.items() if group in required]
    in_group = user.groups.through.objects.filter(
        **{user.groups.source_field_name: OuterRef("pk")}, group__name__in=required
    )
    holds_role = Membership.objects.filter(user=OuterRef("pk"), role__in=roles)
    return (
        type(user)
        .objects.filter(Q(Exists(in_group)) | Q(Exists(holds_role)), pk=user.pk)
        .exists()
    )


def has_app_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    """Whether logging in takes a code: required, or enrolled of one's own accord."""
    return second_factor_required(user) or has_app_device(user)


def session_needs_second_factor(request) -> bool:
    """Read the mark set at login; sessions from before it are decided now."""
    needs = request.session.get(NEEDS_SECOND_FACTOR_KEY)
    if needs is None:
        needs = needs_second_factor(request.user)
        request.session[NEEDS_SECOND_FACTOR_KEY] = needs
    return needs


@receiver(user_logged_in, dispatch_uid="quartier_staff_login")
def mark_session_at_login(sender, request, user, **kwargs):
    """Decide once per login whether the session must be verified."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[NEEDS_SECOND_FACTOR_KEY] = needs_second_factor(user)
    request.session[LAST_SEEN_KEY] = int(time.time())


def keep_session_alive(request) -> None:
    """Push the expiry of a logged-in session back, at most once a minute.

    Sessions expire SESSION_COOKIE_AGE seconds after they were last saved;
    saving a touched session renews both the stored expiry and the cookie.
    """
    now = int(time.time())
    last_seen = request.session.get(LAST_SEEN_KEY, 0)
    if now - last_seen >= REFRESH_EVERY_SECONDS:
        request.session[LAST_SEEN_KEY] = now


def pending_app_device(user) -> TOTPDevice:
    """The unconfirmed app device being set up (the same one on every reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=APP_DEVICE_NAME, confirmed=False
        )
    return device


@transaction.atomic
def confirm_app_device(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm a new app device with its first code.

    On success the device is confirmed (replacing any older one), the session is
    verified with it, and fresh recovery codes are returned, to be shown once.
    None if the code is wrong.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session[NEEDS_SECOND_FACTOR_KEY] = True
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with fresh ones; each works once."""
    # The device stays (a session verified with a recovery code stays verified);
    # only its codes are replaced.
    device = StaticDevice.objects.filter(user=user).first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes


class CodeResult(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"
    LOCKED_OUT = "locked out"


def credentials(user) -> dict:
    """What django-axes counts a failed second step against."""
    return {"username": user.get_username()}


def check_code(request, code: str) -> CodeResult:
    """Verify the logged-in user's code; verified, the session counts as such.

    A wrong code counts as a failed login for django-axes (repeated, it locks
    out); right after one, django-otp refuses every code for a moment.
    """
    user = request.user
    device = verification_device(user, code)
    allowed = device is not None and device.verify_is_allowed()[0]
    if allowed and verify_token(user, device.persistent_id, code):
        otp_login(request, device)
        return CodeResult.VERIFIED
    user_login_failed.send(
        sender=__name__, credentials=credentials(user), request=request
    )
    if getattr(request, "axes_locked_out", False):
        return CodeResult.LOCKED_OUT
    return CodeResult.WRONG if device is None or allowed else CodeResult.THROTTLED


def verification_device(user, code: str):
    """The device a typed code belongs to: six digits the app, else recovery."""
    code = code.strip().replace(" ", "")
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    return model.objects.filter(user=user, confirmed=True).first()


class MinimalDatabaseHandler(AxesDatabaseHandler):
    """django-axes' database handler, storing no more than the lock-out needs.

    The lock-out counts per user name and per address; the browser's user
    agent and Accept header are not needed for that, so they are not stored.
    """

    @staticmethod
    def _minimise(request) -> None:
        if request is not None:
            request.axes_user_agent = ""
            request.axes_http_accept = ""

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        self._minimise(request)
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        self._minimise(request)
        return super().user_logged_in(sender, request, user, **kwargs)


@transaction.atomic
def purge_login_records(*, now, days: int) -> int:
    """Remove login records (with their addresses) older than ``days``.

    Logins, logouts and failed logins are kept ``days`` days; lock-out
    counters are kept only while they can still lock someone out
    (AXES_COOLOFF_TIME). Returns the number of rows removed.
    """
    cutoff = now - timedelta(days=days)
    removed = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    removed += AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
    removed += AccessAttempt.objects.filter(
        attempt_time__lt=now - settings.AXES_COOLOFF_TIME
    ).delete()[0]
    return removed
