"""The announcement plan in the event admin, attached from the planning side.

``events`` must not import ``planning``, so nothing here is in events/admin.py:
``attach()`` (called once from planning/admin.py, which the admin's
autodiscovery imports after events/admin.py) adds to the registered
``EventAdmin`` instance

- an inline of the date's announcements (``AnnouncementInline``);
- a column "announcements due" in the list (``announcements_due``);
- a list filter "announcements" (overdue / due soon), whose ``queryset()``
  hook, which the change list calls on every visit, also prefetches the page's
  announcements: one query for the whole page, never one per row.

Only the instance's lists are replaced (new lists, the class is untouched), so
another extension (the planning panel) can add its own pieces alongside.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from planning import announcements
from planning.models import Announcement


class AnnouncementFormSet(BaseInlineFormSet):
    """Sets "done by" to the current user when "done on" is given without it."""

    user = None

    def _with_doer(self, form):
        instance = form.instance
        if instance.done_on and instance.done_by_id is None and self.user:
            instance.done_by = self.user

    def save_new(self, form, commit=True):
        self._with_doer(form)
        return super().save_new(form, commit=commit)

    def save_existing(self, form, obj, commit=True):
        self._with_doer(form)
        return super().save_existing(form, obj, commit=commit)


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["channel", "planned_for", "done_on", "quantity", "details", "done_by"]
        # Narrow enough for the inline's row to fit beside the admin's menu.
        widgets = {
            "details": forms.TextInput(attrs={"size": 18}),
            "quantity": forms.NumberInput(attrs={"class": "vIntegerField", "min": 0}),
        }


class AnnouncementInline(admin.TabularInline):
    model = Announcement
    form = AnnouncementForm
    formset = AnnouncementFormSet
    extra = 0
    fields = ["channel", "planned_for", "done_on", "quantity", "details", "done_by"]
    verbose_name = _("announcement")

    class Media:
        css = {"all": ["css/planning-announcements.css"]}

    verbose_name_plural = _(
        "Announcement plan (posters, partners, letters, social media, press …)"
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"user": request.user})

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("done_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "done_by":
            # As the event's "responsible": staff accounts only.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AnnouncementsDueFilter(admin.SimpleListFilter):
    title = _("announcements")
    parameter_name = "ankuendigungen"

    def lookups(self, request, model_admin):
        return [("ueberfaellig", _("overdue")), ("faellig", _("overdue or due soon"))]

    def queryset(self, request, queryset):
        # Called on every visit of the list: the page's announcements in one query.
        queryset = queryset.prefetch_related(
            Prefetch(
                "announcements",
                queryset=Announcement.objects.only(
                    "event_id", "channel", "planned_for", "done_on"
                ),
                to_attr="planned_announcements",
            )
        )
        today = timezone.localdate()
        if self.value() == "ueberfaellig":
            return queryset.filter(announcements.overdue_condition(today))
        if self.value() == "faellig":
            horizon = today + timedelta(days=announcements.due_soon_days())
            return queryset.filter(announcements.due_condition(horizon, today))
        return queryset


@admin.display(description=_("announcements due"))
def announcements_due(event: Event) -> str:
    planned = getattr(event, "planned_announcements", None)
    if planned is None:  # not from the list's query: read them (one query)
        planned = list(event.announcements.all())
    due = announcements.reminders(event, planned)
    return "; ".join(reminder.text for reminder in due) or "–"


def attach(site: admin.AdminSite = admin.site) -> None:
    """Add the inline, the column and the filter to the registered EventAdmin (once)."""
    model_admin = site._registry.get(Event)
    if model_admin is None or AnnouncementInline in model_admin.inlines:
        return
    model_admin.inlines = [*model_admin.inlines, AnnouncementInline]
    columns = list(model_admin.list_display)
    # Beside the status, where it is seen without scrolling sideways.
    at = columns.index("status") + 1 if "status" in columns else len(columns)
    model_admin.list_display = [*columns[:at], announcements_due, *columns[at:]]
    model_admin.list_filter = [*model_admin.list_filter, AnnouncementsDueFilter]
