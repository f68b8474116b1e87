"""Signed links in the mails: confirm (expires) and unsubscribe (does not).

The subscription's id is the readable part, the signature's key includes the
address: a link does not show the address, and a link stays void for a new
subscription that happens to get the same id later.
"""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


class BadLink(Exception):
    """The link was altered, belongs to no subscription, or is not ours."""


class ExpiredLink(BadLink):
    """A confirmation link older than ALERTS_CONFIRM_HOURS."""


def _salt(base: str, email: str) -> str:
    return f"{base}:{email.lower()}"


def confirm_token(subscription, filters: dict) -> str:
    """The filters asked for travel in the link: confirming applies them."""
    return signing.dumps(
        filters, salt=_salt(CONFIRM_SALT, subscription.email), compress=True
    )


def read_confirm_token(subscription, token: str) -> dict:
    try:
        value = signing.loads(
            token,
            salt=_salt(CONFIRM_SALT, subscription.email),
            max_age=settings.ALERTS_CONFIRM_HOURS * 3600,
        )
    except signing.SignatureExpired as error:
        raise ExpiredLink from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadLink from error
    if not isinstance(value, dict):
        raise BadLink
    return value


def unsubscribe_token(subscription) -> str:
    signer = signing.Signer(salt=_salt(UNSUBSCRIBE_SALT, subscription.email))
    return signer.signature(str(subscription.pk))


def check_unsubscribe_token(subscription, token: str) -> None:
    signer = signing.Signer(salt=_salt(UNSUBSCRIBE_SALT, subscription.email))
    try:
        signer.unsign(f"{subscription.pk}{signer.sep}{token}")
    except signing.BadSignature as error:
        raise BadLink from error
