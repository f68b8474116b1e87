"""Admin for typing in paper questionnaires and paper tally sheets.

Online feedback is what visitors wrote themselves: nobody edits it here. Staff
(„Mitarbeitende“) see only the paper questionnaires they and their colleagues
typed in; coordinators see everything, read-only, with the comments.
"""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from events.admin import ReviewAdmin
from events.models import Event, Review
from feedback.forms import SelfDescriptionField, SelfDescriptionMixin, ServicesField
from feedback.models import (
    QUESTION_FIELDS,
    RATING_FIELDS,
    ContactCount,
    Feedback,
    ReviewQuote,
)

# The paper questionnaire: its event and date, then the online form's questions.
PAPER_FORM_FIELDS = ["event", "submitted_at", *QUESTION_FIELDS]
NO_ANSWER = ("", _("no answer"))


class EventFilter(admin.RelatedOnlyFieldListFilter):
    """The events that have rows here, named with their titles in one query."""

    def field_choices(self, field, request, model_admin):
        used = model_admin.get_queryset(request).values("event")
        events = (
            Event.objects.filter(pk__in=used)
            .prefetch_related("translations")
            .order_by("-start", "-pk")
        )
        return [(event.pk, str(event)) for event in events]


def can_read_comments(user) -> bool:
    return user.has_perm("feedback.view_summaries")


def rating_choices(required: bool):
    scale = [(value, str(value)) for value in range(1, 6)]
    return scale if required else [*scale, NO_ANSWER]


class PaperFeedbackForm(SelfDescriptionMixin, forms.ModelForm):
    """Radio buttons and checkboxes, so a paper form is typed with few keystrokes."""

    target_group = SelfDescriptionField(
        label=capfirst(_("describes themselves as")),
        something_else_label=_("something else"),
        empty_label=NO_ANSWER[1],
        widget=forms.RadioSelect(attrs={"class": "radiolist"}),
    )

    # "True"/"False" as values, so a stored answer shows as checked when corrected.
    would_come_again = forms.TypedChoiceField(
        label=_("would come again"),
        choices=[("True", _("Yes")), ("False", _("No")), NO_ANSWER],
        coerce=lambda value: value == "True",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "radiolist inline"}),
    )

    class Meta:
        model = Feedback
        fields = PAPER_FORM_FIELDS
        field_classes = {"services_of_interest": ServicesField}
        widgets = {
            "heard_via": forms.RadioSelect(attrs={"class": "radiolist"}),
            "services_of_interest": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RATING_FIELDS:
            if name not in self.fields:
                continue
            field = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(
                label=field.label,
                choices=rating_choices(field.required),
                coerce=int,
                empty_value=None,
                required=field.required,
                widget=forms.RadioSelect(attrs={"class": "radiolist inline"}),
            )
        if "heard_via" in self.fields:
            self.fields["heard_via"].choices = [
                *Feedback.Channel.choices,
                NO_ANSWER,
            ]


class SameEventNextMixin:
    """Keep the event on "save and add another": the next sheet is likely from it."""

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST:
            opts = self.opts
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            return HttpResponseRedirect(f"{url}?event={obj.event_id}")
        return response


@admin.register(Feedback)
class FeedbackAdmin(SameEventNextMixin, admin.ModelAdmin):
    form = PaperFeedbackForm
    fields = PAPER_FORM_FIELDS
    list_display = [
        "event",
        "local_submitted_at",
        "source",
        "rating_overall",
        "would_come_again",
    ]
    list_filter = [
        "source",
        "rating_overall",
        "heard_via",
        ("event", EventFilter),
    ]
    list_select_related = ["event"]
    date_hierarchy = "submitted_at"
    search_fields = ["event__translations__title"]
    readonly_fields = ["source", "language", "comment_removed_at", "self_description"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("event__translations")
        if can_read_comments(request.user):
            return queryset
        return queryset.filter(source=Feedback.Source.PAPER)

    def get_list_display(self, request):
        if can_read_comments(request.user):
            return [*self.list_display, "comment_excerpt"]
        return self.list_display

    def get_search_fields(self, request):
        if can_read_comments(request.user):
            return [*self.search_fields, "comment"]
        return self.search_fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return PAPER_FORM_FIELDS
        fields = [
            *PAPER_FORM_FIELDS[:2],
            "source",
            "language",
            *PAPER_FORM_FIELDS[2:],
            "comment_removed_at",
        ]
        if not self.has_change_permission(request, obj):
            # Read only: the target group column alone would show "something else" as empty.
            fields[fields.index("target_group")] = "self_description"
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.source != Feedback.Source.PAPER:
            return False
        return super().has_change_permission(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        event = self._event_from_query(request)
        if event is None:
            initial.pop("event", None)
        else:
            initial["event"] = event.pk
            # A paper form is filled in at the stand: date it to the event.
            initial["submitted_at"] = min(event.end, timezone.now())
        return initial

    def _event_from_query(self, request) -> Event | None:
        value = request.GET.get("event", "")
        if not value.isdigit():
            return None
        return self.event_choices().filter(pk=value).first()

    @staticmethod
    def event_choices():
        """Published events that have started: only those hand out paper forms."""
        return (
            Event.objects.published()
            .filter(start__lte=timezone.now())
            .prefetch_related("translations")
            .order_by("-start")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = self.event_choices()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = Feedback.Source.PAPER
        super().save_model(request, obj, form, change)

    @admin.display(description=_("submitted at"), ordering="submitted_at")
    def local_submitted_at(self, feedback):
        return timezone.localtime(feedback.submitted_at).strftime("%d.%m.%Y %H:%M")

    @admin.display(description=_("describes themselves as"))
    def self_description(self, feedback):
        if feedback.describes_self_otherwise:
            return _("something else")
        return feedback.target_group or NO_ANSWER[1]

    @admin.display(description=_("comment"))
    def comment_excerpt(self, feedback):
        return Truncator(feedback.comment).chars(80) or "–"


@admin.register(ContactCount)
class ContactCountAdmin(SameEventNextMixin, admin.ModelAdmin):
    """Also for typing in a paper tally sheet: one row per line, quantity as counted."""

    fields = ["event", "target_group", "service", "quantity", "counted_at"]
    list_display = [
        "event",
        "local_counted_at",
        "target_group",
        "service",
        "quantity",
        "counted_by",
    ]
    list_filter = [
        ("event", EventFilter),
        "target_group",
        "service",
        "counted_at",
    ]
    list_select_related = ["event", "target_group", "service", "counted_by"]
    date_hierarchy = "counted_at"
    search_fields = ["event__translations__title"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("event__translations", "service__translations")
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        value = initial.get("event", "")
        if not str(value).isdigit():
            initial.pop("event", None)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event":
            kwargs["queryset"] = (
                Event.objects.published()
                .prefetch_related("translations")
                .order_by("-start")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.counted_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("counted at"), ordering="counted_at")
    def local_counted_at(self, count):
        return timezone.localtime(count.counted_at).strftime("%d.%m.%Y %H:%M")


class ReviewQuoteInline(admin.StackedInline):
    """Choose a visitor quote for a review: only consented comments of its event."""

    model = ReviewQuote
    extra = 0
    max_num = 1
    verbose_name = _("visitor quote")
    verbose_name_plural = _("visitor quote")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "feedback":
            quotable = Feedback.objects.quotable()
            review_id = request.resolver_match.kwargs.get("object_id")
            if review_id and str(review_id).isdigit():
                quotable = quotable.filter(event__review__pk=review_id)
            else:
                quotable = quotable.none()
            kwargs["queryset"] = quotable.order_by("-submitted_at")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda feedback: Truncator(
                feedback.comment
            ).chars(120)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReviewWithQuoteAdmin(ReviewAdmin):
    """The events app's review admin, plus the quote that lives on the feedback side."""

    inlines = [*ReviewAdmin.inlines, ReviewQuoteInline]


admin.site.unregister(Review)
admin.site.register(Review, ReviewWithQuoteAdmin)
