"""The second-factor pages in the admin: enter a code, set up the app, recovery codes.

Reached after the password step (``SecondFactorMiddleware`` sends users
there) or from the admin's user links. The rules live in
``quartier.staffauth``; these views only call them.
"""

import base64
from urllib.parse import urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from quartier import staffauth

RECOVERY_CODES_SESSION_KEY = "_quartier_recovery_codes"
TOO_MANY_CODES = _("Too many wrong codes. Wait a moment, then try again.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_(
            "The six digits your authenticator app shows now, or one of your "
            "recovery codes."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().replace(" ", "").lower()


class EnrolForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits the app shows.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


def next_url(request) -> str:
    """Where to go once verified: a safe ?next= on this site, else the admin."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
        REDIRECT_FIELD_NAME, ""
    )
    if url_has_allowed_host_and_scheme(
        target,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return target
    return reverse("admin:index")


def admin_context(request, **context) -> dict:
    return {
        **admin.site.each_context(request),
        "next": next_url(request),
        **context,
    }


def qr_data_uri(device) -> str:
    """The app's set-up link as an SVG QR code in a data: URI (CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(
        scale=5, dark="#000", light="#fff"
    )


def secret_text(device) -> str:
    """The secret in base32, in groups of four, for typing into the app by hand."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """Step two of the login: a code from the app or a recovery code."""
    if request.user.is_verified():
        return redirect(next_url(request))
    if not staffauth.has_app_device(request.user):
        return redirect(f"{reverse('staffauth:enrol')}?{request.GET.urlencode()}")
    credentials = staffauth.credentials(request.user)
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, credentials=credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = staffauth.check_code(request, form.cleaned_data["code"])
        if result is staffauth.CodeResult.VERIFIED:
            return redirect(next_url(request))
        if result is staffauth.CodeResult.LOCKED_OUT:
            logout(request)
            return get_lockout_response(request, credentials=credentials)
        if result is staffauth.CodeResult.THROTTLED:
            form.add_error("code", TOO_MANY_CODES)
        else:
            form.add_error("code", _("This code is not valid. Please try again."))
    return render(
        request,
        "staffauth/verify.html",
        admin_context(request, form=form, title=_("Enter your code")),
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request):
    """Set up the authenticator app: scan, type the first code, get recovery codes."""
    if staffauth.has_app_device(request.user):
        if not request.user.is_verified():
            return redirect(f"{reverse('staffauth:verify')}?{request.GET.urlencode()}")
        return render(
            request,
            "staffauth/enrolled.html",
            admin_context(request, title=_("Two-factor authentication")),
        )
    device = staffauth.pending_app_device(request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", TOO_MANY_CODES)
        elif codes := staffauth.confirm_app_device(
            request, device, form.cleaned_data["code"]
        ):
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            query = urlencode({REDIRECT_FIELD_NAME: next_url(request)})
            return redirect(f"{reverse('staffauth:recovery_codes')}?{query}")
        else:
            form.add_error(
                "code",
                _(
                    "This code does not match. Check the time on your phone and "
                    "type the code the app shows now."
                ),
            )
    return render(
        request,
        "staffauth/enrol.html",
        admin_context(
            request,
            form=form,
            qr_code=qr_data_uri(device),
            secret=secret_text(device),
            title=_("Set up two-factor authentication"),
        ),
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def recovery_codes(request):
    """The recovery codes just made, shown this one time only."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("staffauth:enrol")
    return render(
        request,
        "staffauth/recovery_codes.html",
        admin_context(request, codes=codes, title=_("Your recovery codes")),
    )


@never_cache
@login_required
@require_POST
def new_recovery_codes(request):
    """Replace the recovery codes (the old ones stop working)."""
    if not (staffauth.has_app_device(request.user) and request.user.is_verified()):
        return redirect("staffauth:enrol")
    request.session[RECOVERY_CODES_SESSION_KEY] = staffauth.new_recovery_codes(
        request.user
    )
    return redirect("staffauth:recovery_codes")


app_name = "staffauth"
urlpatterns = [
    path("", verify, name="verify"),
    path("einrichten/", enrol, name="enrol"),
    path("wiederherstellungscodes/", recovery_codes, name="recovery_codes"),
    path("wiederherstellungscodes/neu/", new_recovery_codes, name="new_recovery_codes"),
]
