"""Logging in test clients the way a real login ends, second factor included."""

from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verified_device(user) -> TOTPDevice:
    """The user's confirmed authenticator app (created if missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test app")


def force_login_verified(client, user) -> TOTPDevice:
    """Log in with password and a code: the session is verified, as django-otp does."""
    device = verified_device(user)
    client.force_login(user)
    session = client.session
    assert session[SESSION_KEY] == str(user.pk)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
