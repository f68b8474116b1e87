"""The planning panel's admin parts: the event form's panel, the school holidays.

Imported by ``planning/admin.py`` (admin autodiscovery runs after
``events/admin.py``, planning coming later in INSTALLED_APPS), so the events
app offers a place for panels and never imports planning.
"""

from django.contrib import admin

from events.models import Event
from planning.models import SchoolHoliday
from planning.panel import PlanningSidePanel


def attach_panel(site=admin.site) -> None:
    """Add the planning panel to the registered event admin (once)."""
    model_admin = site._registry.get(Event)
    if model_admin is None:
        return
    panels = list(getattr(model_admin, "side_panels", []))
    if not any(isinstance(panel, PlanningSidePanel) for panel in panels):
        model_admin.side_panels = [*panels, PlanningSidePanel()]


attach_panel()


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(admin.ModelAdmin):
    """The shipped school holidays: every staff member may look, few may edit.

    Editing needs the model's permissions (superusers, or whom the operator
    gives them): the dates are the state's, the same for every Jobcenter.
    """

    list_display = ["name", "state", "first_day", "last_day"]
    list_filter = ["state"]
    search_fields = ["name"]
    date_hierarchy = "first_day"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return (
            request.user.is_active and request.user.is_staff
        ) or super().has_view_permission(request, obj)
