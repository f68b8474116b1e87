"""The planning models in the admin.

Passers-by counts: ``planning/admin_passersby.py`` (imported here so Django
registers it when it loads this module). The planning panel and the
announcement plan extend the registered EventAdmin:
``planning/admin_panel.py``, ``planning/admin_announcements.py``.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import events.admin  # noqa: F401  (EventAdmin is registered before it is extended)
from events.models import Location
from planning import (  # noqa: F401  (registered on import)
    admin_announcements,  # the announcement plan on the event admin
    admin_panel,  # the event form's planning panel, school holidays
    admin_passersby,  # passers-by counts
)
from planning.admin_imports import PastDateImportMixin
from planning.models import PastDate

# --- Past dates (history helper) -------------------------------------------


class PastDateLocationFilter(admin.SimpleListFilter):
    """The locations that have past dates, named in two queries."""

    title = _("location")
    parameter_name = "location"

    def lookups(self, request, model_admin):
        used = model_admin.get_queryset(request).values("location")
        locations = Location.objects.filter(pk__in=used).prefetch_related(
            "translations"
        )
        return sorted(
            ((location.pk, str(location)) for location in locations),
            key=lambda item: item[1].casefold(),
        )

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(location_id=int(self.value()))
        return queryset


class PastDateYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "jahr"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("start", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(start__year=int(self.value()))
        return queryset


@admin.register(PastDate)
class PastDateAdmin(PastDateImportMixin, admin.ModelAdmin):
    list_display = [
        "when",
        "location",
        "district",
        "contacts",
        "passers_by",
        "title",
        "source",
    ]
    list_filter = [
        PastDateYearFilter,
        ("location__district", admin.RelatedOnlyFieldListFilter),
        PastDateLocationFilter,
        "source",
    ]
    search_fields = [
        "location__translations__name",
        "location__street",
        "location__district__name",
        "title",
        "source",
    ]
    list_select_related = ["location__district"]
    autocomplete_fields = ["location"]
    ordering = ["-start"]
    readonly_fields = ["source", "imported_at"]
    fields = [
        "location",
        "start",
        "end",
        "contacts",
        "passers_by",
        "title",
        "source",
        "imported_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("location__translations")

    @admin.display(description=_("when"), ordering="start")
    def when(self, past: PastDate) -> str:
        start, end = timezone.localtime(past.start), timezone.localtime(past.end)
        return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"

    @admin.display(description=_("district"), ordering="location__district__name")
    def district(self, past: PastDate):
        return past.location.district


# --- The announcement plan in the event admin (announce helper) -------------

admin_announcements.attach()
