"""The outbox and the dead-letter list, read-only, addresses masked."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alerts.models import Delivery, Notification, masked


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["event", "kind", "status", "created_at", "fanned_out_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["event"]
    ordering = ["-created_at"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Filter by "given up" for the dead letters: mails that failed every try."""

    list_display = [
        "recipient",
        "event",
        "kind",
        "status",
        "attempts",
        "last_error",
        "updated_at",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["subscription", "event"]
    ordering = ["-updated_at"]
    fields = [
        "recipient",
        "event",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return masked(obj.subscription.email)
