"""Keep logins out of the history and note a new password without storing it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from audit.reasons import PASSWORD_CHANGED, add_reason


def update_last_login_quietly(sender, user, **kwargs):
    """Django's own receiver, without a history row per login."""
    user.skip_history_when_saving = True
    try:
        update_last_login(sender, user, **kwargs)
    finally:
        del user.skip_history_when_saving


if user_logged_in.disconnect(dispatch_uid="update_last_login"):
    user_logged_in.connect(
        update_last_login_quietly, dispatch_uid="update_last_login_quietly"
    )


@receiver(pre_create_historical_record)
def note_new_password(sender, instance, history_instance, **kwargs):
    # set_password() keeps the raw password until save() has finished: a cheap
    # sign that it changed. Only the fact is stored, never the hash.
    if isinstance(instance, get_user_model()) and instance._password is not None:
        add_reason(history_instance, PASSWORD_CHANGED)
