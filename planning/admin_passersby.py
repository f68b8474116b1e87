"""Admin for counted passers-by: on-site counts and a pedestrian counter's hours.

Kept apart from the past dates' admin (``planning/admin.py``), which imports
this module so Django registers it.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.models import Location
from planning.admin_imports import PassersByCountImportMixin
from planning.models import PassersByCount


class LocationFilter(admin.RelatedOnlyFieldListFilter):
    """The places that have counts, named in one query (their names are translated)."""

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).values("location")
        locations = (
            Location.objects.filter(pk__in=used)
            .prefetch_related("translations")
            .by_name()
        )
        return [(location.pk, str(location)) for location in locations]


class HourFilter(admin.SimpleListFilter):
    """Morning, midday, afternoon, evening: the hours outreach dates are held."""

    title = _("time of day")
    parameter_name = "tageszeit"
    RANGES = {
        "morning": (_("morning (before 11)"), 0, 10),
        "midday": (_("midday (11–13)"), 11, 13),
        "afternoon": (_("afternoon (14–17)"), 14, 17),
        "evening": (_("evening (from 18)"), 18, 23),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _low, _high) in self.RANGES.items()]

    def queryset(self, request, queryset):
        chosen = self.RANGES.get(self.value())
        if chosen is None:
            return queryset
        return queryset.filter(hour__gte=chosen[1], hour__lte=chosen[2])


@admin.register(PassersByCount)
class PassersByCountAdmin(PassersByCountImportMixin, admin.ModelAdmin):
    fields = ["location", "date", "hour", "minutes", "count", "source", "counted_by"]
    readonly_fields = ["counted_by"]
    list_display = [
        "location",
        "date",
        "hour_label",
        "minutes",
        "count",
        "rate_per_hour",
        "source",
        "counted_by",
    ]
    list_filter = [("location", LocationFilter), "source", HourFilter, "date"]
    list_select_related = ["location", "counted_by"]
    date_hierarchy = "date"
    search_fields = ["location__translations__name"]
    ordering = ["-date", "-hour", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("location__translations")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "location":
            kwargs["queryset"] = Location.objects.prefetch_related(
                "translations"
            ).by_name()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and obj.source == PassersByCount.Source.ON_SITE:
            obj.counted_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("hour"), ordering="hour")
    def hour_label(self, count: PassersByCount) -> str:
        return f"{count.hour:02d}:00"

    @admin.display(description=_("per hour"))
    def rate_per_hour(self, count: PassersByCount) -> int:
        return round(count.per_hour)
