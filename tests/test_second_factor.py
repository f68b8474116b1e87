"""The second factor: enrolment, login with a code, recovery codes, who must use it."""

import re

import pytest
from axes.models import AccessAttempt
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier import staffauth
from tests.accounts import force_login_verified, verified_device
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
VERIFY = "/admin/zwei-faktor/"
ENROL = "/admin/zwei-faktor/einrichten/"
RECOVERY = "/admin/zwei-faktor/wiederherstellungscodes/"
PROTECTED = ["/admin/", "/auswertung/", "/team/", "/admin/events/event/"]


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def log_in(client, username, next_url="/admin/"):
    response = client.post(
        "/admin/login/",
        {"username": username, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302, "the password step passes"
    return response


@pytest.fixture
def coordinator(roles):
    return UserFactory(username="koordinatorin", groups=["Koordination"])


@pytest.fixture
def staff(roles):
    return UserFactory(username="mitarbeiterin", groups=["Mitarbeitende"])


# Who must use a second factor


@pytest.mark.parametrize(
    ("groups", "superuser", "required"),
    [
        (["Koordination"], False, True),
        (["Mitarbeitende"], False, False),
        ([], True, True),
        (["Mitarbeitende", "Koordination"], False, True),
    ],
)
def test_who_must_use_a_second_factor(roles, groups, superuser, required):
    user = UserFactory(groups=groups, is_superuser=superuser)
    assert staffauth.second_factor_required(user) is required


def test_the_required_groups_are_a_setting(roles, settings):
    staff = UserFactory(groups=["Mitarbeitende"])
    coordinator = UserFactory(groups=["Koordination"])
    settings.OTP_REQUIRED_GROUPS = ["Mitarbeitende"]
    assert staffauth.second_factor_required(staff)
    assert not staffauth.second_factor_required(coordinator)


def test_staff_without_a_required_second_factor_log_in_with_the_password(client, staff):
    log_in(client, "mitarbeiterin")
    assert client.get("/admin/").status_code == 200


# Enrolment


def test_a_coordinator_without_a_device_can_do_nothing_before_enrolling(
    client, coordinator
):
    log_in(client, "koordinatorin", next_url="/auswertung/")
    for url in PROTECTED:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url
    assert client.post("/admin/events/event/add/", {}).status_code == 302


def test_enrol_with_the_app_and_get_recovery_codes_once(client, coordinator, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    log_in(client, "koordinatorin", next_url="/auswertung/")
    response = client.get(client.get("/auswertung/")["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    # The QR code is an inline SVG image (CSP: img-src 'self' data:), and the
    # key is there as text for typing in by hand.
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert response.context["secret"].replace(" ", "") in page.replace(" ", "")

    response = client.post(
        ENROL, {"code": wrong_code_for(device), "next": "/auswertung/"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    # Right after a wrong code django-otp refuses any code for a moment.
    response = client.post(ENROL, {"code": code_for(device), "next": "/auswertung/"})
    assert "Zu viele falsche Codes" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # as if the moment had passed

    response = client.post(ENROL, {"code": code_for(device), "next": "/auswertung/"})
    assert response.status_code == 302
    assert response["Location"].startswith(RECOVERY)
    device.refresh_from_db()
    assert device.confirmed

    response = client.get(response["Location"])
    codes = response.context["codes"]
    assert len(codes) == staffauth.RECOVERY_CODE_COUNT
    assert all(code in response.content.decode() for code in codes)
    assert set(
        StaticToken.objects.filter(device__user=coordinator).values_list(
            "token", flat=True
        )
    ) == set(codes)
    # Shown once only.
    assert client.get(RECOVERY).status_code == 302
    # Now verified: the coordinator pages open.
    assert client.get("/auswertung/").status_code == 200


def test_the_enrolment_page_keeps_its_key_on_reload(client, coordinator):
    log_in(client, "koordinatorin")
    first = client.get(ENROL).context["secret"]
    assert client.get(ENROL).context["secret"] == first
    assert TOTPDevice.objects.filter(user=coordinator).count() == 1


def test_the_enrolment_code_must_be_six_digits(client, coordinator):
    log_in(client, "koordinatorin")
    client.get(ENROL)
    response = client.post(ENROL, {"code": "abc"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_a_password_alone_cannot_replace_an_enrolled_device(client, coordinator):
    device = verified_device(coordinator)
    log_in(client, "koordinatorin")
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [device]


def test_staff_may_enrol_of_their_own_accord_and_are_then_asked(client, staff):
    log_in(client, "mitarbeiterin")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=staff)
    assert client.post(ENROL, {"code": code_for(device)}).status_code == 302
    client.post("/admin/logout/")
    log_in(client, "mitarbeiterin")
    assert client.get("/admin/")["Location"].startswith(VERIFY)


# Logging in with a code


def test_login_asks_for_the_code_and_accepts_the_right_one(client, coordinator):
    device = verified_device(coordinator)
    log_in(client, "koordinatorin", next_url="/auswertung/")
    response = client.get("/auswertung/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fauswertung%2F"
    response = client.post(VERIFY, {"code": code_for(device), "next": "/auswertung/"})
    assert response.status_code == 302
    assert response["Location"] == "/auswertung/"
    assert client.get("/auswertung/").status_code == 200
    assert client.get("/team/").status_code == 403, "verified, but not staff on site"


def test_a_wrong_code_is_refused(client, coordinator):
    device = verified_device(coordinator)
    log_in(client, "koordinatorin")
    response = client.post(VERIFY, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "Dieser Code ist nicht gültig" in response.content.decode()
    assert client.get("/auswertung/").status_code == 302


def test_right_after_a_wrong_code_verification_is_throttled(
    client, coordinator, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute, so a slow run cannot outlast it
    device = verified_device(coordinator)
    log_in(client, "koordinatorin")
    client.post(VERIFY, {"code": wrong_code_for(device)})
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert "Zu viele falsche Codes" in response.content.decode()


def test_repeated_wrong_codes_lock_the_account_out(client, coordinator, settings):
    device = verified_device(coordinator)
    log_in(client, "koordinatorin")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(VERIFY, {"code": wrong_code_for(device)}).status_code == 200
    response = client.post(VERIFY, {"code": wrong_code_for(device)})
    assert response.status_code == 429
    # The codes typed are not kept with the counter.
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "koordinatorin"
    assert wrong_code_for(device) not in attempt.post_data
    # Logged out, and the password no longer gets in either.
    assert "_auth_user_id" not in client.session
    response = client.post(
        "/admin/login/", {"username": "koordinatorin", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_a_recovery_code_works_once(client, coordinator):
    verified_device(coordinator)
    code = staffauth.new_recovery_codes(coordinator)[0]
    log_in(client, "koordinatorin")
    response = client.post(VERIFY, {"code": code.upper(), "next": "/auswertung/"})
    assert response.status_code == 302
    assert client.get("/auswertung/").status_code == 200
    client.post("/admin/logout/")

    log_in(client, "koordinatorin")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert client.get("/auswertung/").status_code == 302
    assert StaticToken.objects.filter(device__user=coordinator).count() == (
        staffauth.RECOVERY_CODE_COUNT - 1
    )


def test_new_recovery_codes_replace_the_old_ones(client, coordinator):
    verified_device(coordinator)
    old = staffauth.new_recovery_codes(coordinator)
    log_in(client, "koordinatorin")
    client.post(VERIFY, {"code": old[0]})
    response = client.post("/admin/zwei-faktor/wiederherstellungscodes/neu/")
    assert response["Location"] == RECOVERY
    new = client.get(RECOVERY).context["codes"]
    assert not set(new) & set(old)
    assert StaticDevice.objects.filter(user=coordinator).count() == 1


def test_after_the_code_only_safe_addresses_are_followed(client, coordinator):
    device = verified_device(coordinator)
    log_in(client, "koordinatorin")
    response = client.post(
        VERIFY, {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_the_second_factor_pages_are_linked_in_the_admin(client, staff):
    log_in(client, "mitarbeiterin")
    page = client.get("/admin/").content.decode()
    assert f'href="{ENROL}"' in page


def test_the_second_factor_pages_have_no_inline_script_or_style(client, coordinator):
    log_in(client, "koordinatorin")
    page = client.get(ENROL).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "style=" not in page
    assert "<style" not in page


@pytest.mark.parametrize("which", ["own", "missing"])
@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_no_one_reads_an_authenticator_key_in_the_admin(db, client, which, view):
    """Not even the operator; a device id that does not exist is no error either."""
    operator = UserFactory(username="betrieb", is_superuser=True)
    device = verified_device(operator)
    force_login_verified(client, operator)
    pk = device.pk if which == "own" else device.pk + 1000
    response = client.get(f"/admin/otp_totp/totpdevice/{pk}/{view}/")
    assert response.status_code == 403
    assert device.key not in response.content.decode(errors="replace")
