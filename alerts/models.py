"""Subscriptions to new dates, the outbox of notifications, and one row per mail.

A subscription stores what the citizen gave and nothing else: the address, the
filters, the language, the reminder choice and the consent time (plus, while
unconfirmed, when the last confirmation mail went out, so that no address gets
more than one a day). A ``Delivery`` row is claimed before its mail is sent:
unique per (subscription, event, kind), it is what makes each mail go out at
most once, whichever worker runs the batch and however often.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import District, Event, ServiceOffering, TargetGroup
from jobcenters.models import JobcenterOwned
from jobcenters.scoping import scoped_manager


class Kind(models.TextChoices):
    NEW = "new", _("new date")
    REMINDER = "reminder", _("reminder the day before")


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(consented_at__isnull=False)

    def matching(self, event: Event):
        """Confirmed subscriptions whose filters the event meets (one query)."""
        district = event.location.district_id if event.location_id else None
        categories = list(event.services.values_list("category", flat=True).distinct())
        groups = list(event.target_groups.values_list("pk", flat=True))
        return self.confirmed().filter(
            models.Q(district__isnull=True) | models.Q(district=district),
            models.Q(category="") | models.Q(category__in=categories),
            models.Q(target_group__isnull=True) | models.Q(target_group__in=groups),
        )


class Subscription(JobcenterOwned):
    email = models.EmailField(_("e-mail address"), max_length=254)
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    category = models.CharField(
        _("service"),
        max_length=40,
        choices=ServiceOffering.Category.choices,
        blank=True,
    )
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("target group"),
    )
    language = models.CharField(_("language"), max_length=15)
    reminder = models.BooleanField(_("reminder the day before"), default=False)
    consented_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Only for the daily limit on confirmation mails; cleared on confirmation.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = scoped_manager(SubscriptionQuerySet)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "email"], name="subscription_email_per_jobcenter"
            ),
        ]
        indexes = [
            models.Index(
                fields=["jobcenter", "consented_at"], name="subscription_jc_consent"
            ),
        ]

    def __str__(self) -> str:
        return masked(self.email)


def masked(email: str) -> str:
    """Enough of an address for staff to tell rows apart, not to read it."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


class Notification(models.Model):
    """The outbox: written in the transaction that publishes the event."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("fanned out")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    fanned_out_at = models.DateTimeField(_("fanned out"), null=True, blank=True)

    objects = scoped_manager(path="event__jobcenter")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications (outbox)")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind"], name="notification_once_per_event_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_kind_display()}"


class Delivery(models.Model):
    """One mail to one subscriber about one event: claimed, then sent."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("claimed (sending, or interrupted: never resent)")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will be retried")
        DEAD = "dead", _("given up (dead letter)")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="+", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CLAIMED
    )
    # Which run of a batch claimed the row: that run, and only it, sends.
    claim = models.CharField(max_length=32, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = scoped_manager(path="subscription__jobcenter")

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event", "kind"],
                name="delivery_once_per_subscription_event_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_retry"),
            models.Index(fields=["claim"], name="delivery_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} · {self.event_id} · {self.kind}"
