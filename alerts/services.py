"""Writes to subscriptions: subscribe, confirm, unsubscribe.

The subscribe step answers the same way whatever the address's state (new,
pending, confirmed, throttled): the page cannot tell anyone whether an address
is subscribed.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from alerts.models import Subscription
from alerts.ratelimit import may_send_confirmation
from events.models import District, ServiceOffering, TargetGroup


@transaction.atomic
def subscribe(*, email: str, filters: dict, language: str) -> bool:
    """Ask for confirmation; True if a confirmation mail was queued."""
    from alerts.tasks import send_confirmation

    now = timezone.now()
    subscription = Subscription.objects.select_for_update().filter(email=email).first()
    if subscription is None:
        subscription = Subscription(email=email, language=language)
        apply_filters(subscription, filters)
        try:
            with transaction.atomic():
                subscription.save()
        except IntegrityError:
            # The same address sent twice at once: the other request asks.
            return False
    elif subscription.consented_at is None:
        # Still unconfirmed: the latest request is the one to confirm.
        subscription.language = language
        apply_filters(subscription, filters)
    if not may_send_confirmation(subscription, now):
        subscription.save()
        return False
    subscription.confirmation_sent_at = now
    subscription.save()
    send_confirmation.enqueue(subscription.pk, filters, language)
    return True


def apply_filters(subscription: Subscription, filters: dict) -> None:
    """Set the filters, keeping only values that exist in this Jobcenter."""
    district = filters.get("district")
    group = filters.get("target_group")
    category = filters.get("category") or ""
    subscription.district = (
        District.objects.filter(pk=district).first()
        if isinstance(district, int)
        else None
    )
    subscription.target_group = (
        TargetGroup.objects.filter(pk=group).first() if isinstance(group, int) else None
    )
    subscription.category = (
        category if category in ServiceOffering.Category.values else ""
    )
    subscription.reminder = filters.get("reminder") is True


@transaction.atomic
def confirm(subscription: Subscription, filters: dict, language: str) -> None:
    apply_filters(subscription, filters)
    subscription.language = language
    subscription.consented_at = timezone.now()
    subscription.confirmation_sent_at = None
    subscription.save()


def unsubscribe(subscription: Subscription) -> None:
    """Delete the subscription and everything recorded about its mails."""
    subscription.delete()
