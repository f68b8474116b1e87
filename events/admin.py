from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Prefetch
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from parler.admin import TranslatableAdmin, TranslatableStackedInline
from parler.forms import TranslatableModelForm

from audit.history import JobcenterHistoryAdmin
from events import services
from events.dependents import dependents
from events.forms import storable_key
from events.languages import language_choices
from events.models import (
    District,
    Event,
    EventSlugRedirect,
    Location,
    Material,
    MaterialHandout,
    PostcodeCentre,
    Review,
    ReviewPhoto,
    ServiceOffering,
    TargetGroup,
)
from translation_exchange.admin import TranslationStatusMixin
from translations.admin import MachineTranslationMixin


def validation_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class ArchivableAdmin(JobcenterHistoryAdmin):
    """Archive rather than delete what answers, counts or events refer to.

    Deleting goes through the confirmation page only (no bulk delete), which
    names how many rows of other models it affects and offers archiving.
    """

    actions = ["archive", "restore"]
    delete_confirmation_template = "admin/events/archivable_delete_confirmation.html"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if request.path.endswith("/autocomplete/"):
            # Choosing for a new event: archived entries are not offered.
            queryset = queryset.active()
        return queryset, duplicates

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "dependents": dependents(obj) if obj is not None else [],
        }
        return super().delete_view(request, object_id, extra_context)

    def _set_archived(self, request, queryset, *, archived, reason, message):
        for obj in queryset:
            obj._change_reason = reason  # read by the audit trail
            services.set_archived(obj, archived=archived)
        self.message_user(request, message(queryset.count()), messages.SUCCESS)

    @admin.action(description=_("Archive selected entries"), permissions=["change"])
    def archive(self, request, queryset):
        self._set_archived(
            request,
            queryset,
            archived=True,
            reason=gettext_noop("Archived"),
            message=lambda n: (
                ngettext("%(n)d entry archived.", "%(n)d entries archived.", n)
                % {"n": n}
            ),
        )

    @admin.action(
        description=_("Restore selected entries from the archive"),
        permissions=["change"],
    )
    def restore(self, request, queryset):
        self._set_archived(
            request,
            queryset,
            archived=False,
            reason=gettext_noop("Restored from the archive"),
            message=lambda n: (
                ngettext("%(n)d entry restored.", "%(n)d entries restored.", n)
                % {"n": n}
            ),
        )


class CheckedInitialMixin:
    """Ignore values in an add page's address that a related field would refuse.

    ``add/?event=abc`` (or a number beyond the database's range) shows the
    empty form instead of crashing the autocomplete widget, which looks the
    value up in the database as it is.
    """

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if (field.many_to_one or field.one_to_one) and not storable_key(
                field.target_field, value
            ):
                del initial[name]
        return initial


@admin.register(District)
class DistrictAdmin(ArchivableAdmin):
    list_display = ["name", "slug", "archived"]
    list_filter = ["archived"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class TranslatedAdmin(
    MachineTranslationMixin, TranslationStatusMixin, TranslatableAdmin
):
    """Edits each language in a tab (django-parler); German, the source, first.

    The list loads every row's translations in one query, not one per row;
    the mixins add machine-translated drafts and their approval (app
    translations), the languages' status, the export for translators and the
    texts' changes in History (app translation_exchange).
    """

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")


@admin.register(Location)
class LocationAdmin(CheckedInitialMixin, TranslatedAdmin, ArchivableAdmin):
    def get_queryset(self, request):
        # By German name, e.g. in the event form's place search.
        return super().get_queryset(request).by_name()

    list_display = [
        "name",
        "street",
        "district",
        "foot_traffic",
        "step_free",
        "archived",
    ]
    list_filter = [
        "archived",
        "district",
        "foot_traffic",
        "step_free",
        "accessible_toilet",
    ]
    list_select_related = ["district"]
    search_fields = ["translations__name", "street", "postcode", "district__name"]
    fieldsets = [
        (None, {"fields": ["name", "district", "foot_traffic", "archived"]}),
        (
            _("Address"),
            {
                "fields": [
                    "street",
                    "postcode",
                    "city",
                    "directions",
                    "stop",
                    "latitude",
                    "longitude",
                ]
            },
        ),
        (
            _("Accessibility"),
            {"fields": ["step_free", "accessible_toilet", "accessibility_notes"]},
        ),
    ]


@admin.register(PostcodeCentre)
class PostcodeCentreAdmin(admin.ModelAdmin):
    """The postcode centres the list measures "near 75175" from (GeoNames data).

    The installation's, not a Jobcenter's: the roles may look them up, only a
    superuser or an account given the permission itself may correct them
    (each correction is in the admin's log of actions).
    """

    list_display = ["postcode", "place", "state", "latitude", "longitude"]
    list_filter = ["state"]
    search_fields = ["^postcode", "place"]
    ordering = ["postcode"]
    list_per_page = 50


@admin.register(TargetGroup)
class TargetGroupAdmin(ArchivableAdmin):
    list_display = ["name", "slug", "archived"]
    list_filter = ["archived"]
    prepopulated_fields = {"slug": ["name"]}


def offer_active(form, name, model, chosen) -> None:
    """Offer only active entries in a form field, and those already chosen."""
    if name in form.fields:
        form.fields[name].queryset = model.objects.active_or(chosen)


def chosen_pks(instance, name):
    return getattr(instance, name).values("pk") if instance.pk else []


class ServiceOfferingAdminForm(TranslatableModelForm):
    class Meta:
        model = ServiceOffering
        fields = ["category", "title", "description", "target_groups", "archived"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_active(
            self,
            "target_groups",
            TargetGroup,
            chosen_pks(self.instance, "target_groups"),
        )


class MaterialAdminForm(TranslatableModelForm):
    class Meta:
        model = Material
        fields = ["title", "kind", "language", "service"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_active(self, "service", ServiceOffering, [self.instance.service_id])


@admin.register(ServiceOffering)
class ServiceOfferingAdmin(TranslatedAdmin, ArchivableAdmin):
    form = ServiceOfferingAdminForm
    list_display = ["title", "category", "archived"]
    list_filter = ["archived", "category", "target_groups"]
    search_fields = ["translations__title", "translations__description"]
    filter_horizontal = ["target_groups"]


@admin.register(Material)
class MaterialAdmin(CheckedInitialMixin, TranslatedAdmin, JobcenterHistoryAdmin):
    form = MaterialAdminForm
    list_display = ["title", "kind", "language", "service"]
    list_filter = ["kind", "language", "service__category"]
    list_select_related = ["service"]
    search_fields = ["translations__title"]


class MaterialHandoutInline(admin.TabularInline):
    model = MaterialHandout
    extra = 1
    autocomplete_fields = ["material"]


class WhenFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("upcoming")), ("past", _("past"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


class ServiceCategoryFilter(admin.SimpleListFilter):
    title = _("service category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return ServiceOffering.Category.choices

    def queryset(self, request, queryset):
        if self.value() in ServiceOffering.Category.values:
            return queryset.filter(services__category=self.value()).distinct()
        return queryset


class EventAdminForm(TranslatableModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages spoken at the stand"),
        choices=language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        # The admin's fieldsets decide what is shown; this is the full list.
        fields = [
            "title",
            "motto",
            "status",
            "location",
            "start",
            "end",
            "description",
            "services",
            "target_groups",
            "languages",
            "photo",
            "photo_alt",
            "photo_credit",
            "responsible",
            "slug",
            "published_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Archived places, services and groups are not offered; an event that
        # already has one keeps it.
        event = self.instance
        offer_active(self, "location", Location, [event.location_id])
        offer_active(self, "services", ServiceOffering, chosen_pks(event, "services"))
        offer_active(
            self, "target_groups", TargetGroup, chosen_pks(event, "target_groups")
        )


class DuplicateForm(forms.Form):
    day = forms.DateField(
        label=_("new date"),
        help_text=_("The copies start at the same time of day as the originals."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise ValidationError(_("Choose today or a day in the future."))
        return day


class SidePanel:
    """A box another app shows in the event form, beside "When and where".

    The events app offers the place and knows nothing of what fills it: an app
    above it (planning) appends an instance to ``EventAdmin.side_panels`` from
    its ``admin.py``. ``render`` returns the box's HTML for the form (``obj``
    is None on the add page); ``get_urls`` adds the panel's own admin views
    (wrapped in ``admin_view``: staff only), placed before the event's
    ``<object_id>/`` patterns.
    """

    def render(self, request, obj, model_admin) -> str:
        raise NotImplementedError

    def get_urls(self, model_admin) -> list:
        return []


@admin.register(Event)
class EventAdmin(CheckedInitialMixin, TranslatedAdmin, JobcenterHistoryAdmin):
    form = EventAdminForm
    # Filled by other apps (see SidePanel); shown after the fieldset that holds
    # ``side_panels_after`` (a field's name).
    side_panels: list[SidePanel] = []
    side_panels_after = "start"
    list_display = [
        "title",
        "local_start",
        "location",
        "district",
        "status",
        "service_list",
        "preview_link",
    ]
    list_filter = [
        "status",
        WhenFilter,
        ("location__district", admin.RelatedOnlyFieldListFilter),
        ServiceCategoryFilter,
    ]
    list_select_related = ["location__district"]
    search_fields = [
        "translations__title",
        "translations__motto",
        "translations__description",
        "location__translations__name",
        "slug",
    ]
    date_hierarchy = "start"
    ordering = ["-start"]
    autocomplete_fields = ["location"]
    filter_horizontal = ["services", "target_groups", "responsible"]
    readonly_fields = ["preview_link", "short_code", "published_at", "sequence"]
    inlines = [MaterialHandoutInline]
    actions = ["publish", "cancel", "duplicate"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "motto", "status", "preview_link"]}),
        (_("When and where"), {"fields": ["location", "start", "end"]}),
        (
            _("What is offered"),
            {"fields": ["description", "services", "target_groups", "languages"]},
        ),
        (_("Photo"), {"fields": ["photo", "photo_alt", "photo_credit"]}),
        (_("Team"), {"fields": ["responsible"]}),
        (
            _("Address and codes"),
            {
                "classes": ["collapse"],
                "fields": ["slug", "short_code", "published_at", "sequence"],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "services",
                    queryset=ServiceOffering.objects.by_title().prefetch_related(
                        "translations"
                    ),
                ),
                "location__translations",
            )
        )

    def get_urls(self):
        own = [url for panel in self.side_panels for url in panel.get_urls(self)]
        return own + super().get_urls()

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if self.side_panels:
            context["side_panels"] = [
                panel.render(request, obj, self) for panel in self.side_panels
            ]
            context["side_panels_after"] = next(
                (
                    index
                    for index, (_name, options) in enumerate(
                        self.get_fieldsets(request, obj)
                    )
                    if self.side_panels_after in options["fields"]
                ),
                0,
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "responsible":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("start"), ordering="start")
    def local_start(self, event):
        if not event.start:
            return "–"
        return timezone.localtime(event.start).strftime("%d.%m.%Y %H:%M")

    @admin.display(description=_("district"), ordering="location__district__name")
    def district(self, event):
        return event.location.district if event.location else "–"

    @admin.display(description=_("services"))
    def service_list(self, event):
        return ", ".join(service.title for service in event.services.all()) or "–"

    @admin.display(description=_("public page"))
    def preview_link(self, event):
        if not event.pk or not event.slug:
            return "–"
        label = _("View") if event.is_public else _("Preview")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            event.get_absolute_url(),
            label,
        )

    def _apply(self, request, queryset, change, done_message, reason=""):
        done, failed = 0, []
        for event in queryset.select_related("location"):
            if reason:
                # Read by the audit trail (django-simple-history) for this save.
                event._change_reason = reason
            try:
                change(event)
            except ValidationError as error:
                failed.append(f"{event}: {validation_text(error)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description=_("Publish selected events"), permissions=["change"])
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.publish_event,
            lambda n: (
                ngettext("%(n)d event published.", "%(n)d events published.", n)
                % {"n": n}
            ),
            reason=gettext_noop("Published"),
        )

    @admin.action(description=_("Cancel selected events"), permissions=["change"])
    def cancel(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.cancel_event,
            lambda n: (
                ngettext("%(n)d event cancelled.", "%(n)d events cancelled.", n)
                % {"n": n}
            ),
            reason=gettext_noop("Cancelled"),
        )

    @admin.action(
        description=_("Duplicate selected events to a new date"), permissions=["add"]
    )
    def duplicate(self, request, queryset):
        queryset = queryset.exclude(start__isnull=True)
        form = DuplicateForm(request.POST if "day" in request.POST else None)
        if form.is_bound and form.is_valid():
            day = form.cleaned_data["day"]
            self._apply(
                request,
                queryset,
                lambda event: services.duplicate_event(
                    event, start=services.same_time_on(event, day)
                ),
                lambda n: (
                    ngettext(
                        "%(n)d event copied as a draft.",
                        "%(n)d events copied as drafts.",
                        n,
                    )
                    % {"n": n}
                ),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Duplicate events to a new date"),
            "opts": self.model._meta,
            "events": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/event/duplicate.html", context)


@admin.register(EventSlugRedirect)
class EventSlugRedirectAdmin(CheckedInitialMixin, admin.ModelAdmin):
    list_display = ["old_slug", "event"]
    search_fields = ["old_slug", "event__translations__title"]
    list_select_related = ["event"]


class ReviewPhotoInline(TranslatableStackedInline):
    model = ReviewPhoto
    extra = 1
    fields = ["image", "alt_text", "credit", "caption", "position"]


@admin.register(Review)
class ReviewAdmin(CheckedInitialMixin, TranslatedAdmin, JobcenterHistoryAdmin):
    list_display = ["headline", "event", "status", "published_at", "preview_link"]
    list_filter = [
        "status",
        ("event__location__district", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["event"]
    search_fields = [
        "translations__headline",
        "translations__lead",
        "translations__body",
        "event__translations__title",
    ]
    date_hierarchy = "published_at"
    autocomplete_fields = ["event"]
    inlines = [ReviewPhotoInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["event", "headline", "lead", "body"]}),
        (_("Publication"), {"fields": ["status", "published_at", "show_figures"]}),
    ]

    def get_queryset(self, request):
        # The list names each review's event (its title is a text).
        return super().get_queryset(request).prefetch_related("event__translations")

    @admin.display(description=_("public page"))
    def preview_link(self, review):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            review.event.get_absolute_url(),
            _("View"),
        )
