"""The visitors' feedback form: what a person types, checked and cleaned."""

import time
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef
from django.forms.models import ModelChoiceIterator
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from events.forms import storable_key
from events.models import Event, ServiceOffering, TargetGroup
from events.translation import render_shown, shown
from feedback.models import (
    COMMENT_MAX_LENGTH,
    QUESTION_FIELDS,
    RATING_FIELDS,
    SOMETHING_ELSE,
    Feedback,
)

# A form left open longer than this gets a fresh start (e.g. a tab from yesterday).
FILL_TOKEN_MAX_AGE = 24 * 3600
FILL_TOKEN_SALT = "feedback.fill-time"
KEEP_CONTROL_CHARACTERS = {"\n", "\t"}
RATING_TEMPLATE = "feedback/includes/rating.html"
# Other choices are buttons that wrap side by side, so the form stays short on a phone.
CHOICES_TEMPLATE = "feedback/includes/choices.html"
CHOICE_BUTTON = {"class": "btn-check"}
ONE_ROW_FIELDS = {"would_come_again"}
# Bidirectional embeddings, overrides and isolates: they can make a comment read
# differently on screen than it is stored ("Trojan Source"). Arabic and Persian
# text needs none of them; the letters carry their direction.
BIDI_CONTROL_CHARACTERS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

NO_ANSWER = ("", _("No answer"))
# What each point of a rating means: read out by screen readers with the number.
RATING_MEANINGS = {
    1: _("very poor"),
    2: _("poor"),
    3: _("fair"),
    4: _("good"),
    5: _("very good"),
}
RATING_CHOICES = [
    (str(value), format_lazy("{value} – {meaning}", value=value, meaning=meaning))
    for value, meaning in RATING_MEANINGS.items()
]


class FillTimeSigner(signing.TimestampSigner):
    """Signs the moment a form was shown; ``issued_at`` lets tests go back in time."""

    def __init__(self, *, issued_at: float | None = None):
        super().__init__(salt=FILL_TOKEN_SALT)
        self.issued_at = issued_at

    def timestamp(self) -> str:
        if self.issued_at is None:
            return super().timestamp()
        return signing.b62_encode(int(self.issued_at))

    def seconds_since_signed(self, token: str, *, value: str) -> float:
        """How long ago the token was made; raises BadSignature if it is not ours."""
        signed_value = self.unsign(token, max_age=FILL_TOKEN_MAX_AGE)
        if signed_value != value:
            raise signing.BadSignature("Token for another form.")
        stamp = signing.Signer.unsign(self, token).rsplit(self.sep, 1)[1]
        return time.time() - signing.b62_decode(stamp)


def fill_token(code: str, *, issued_at: float | None = None) -> str:
    """A signed timestamp for the hidden field of the form of event ``code``."""
    return FillTimeSigner(issued_at=issued_at).sign(code)


def strip_control_characters(text: str) -> str:
    """Remove control characters (keeping newline and tab) and unify line breaks.

    Bidirectional controls go too; joiners inside emoji (U+200D) stay.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char
        for char in text
        if char in KEEP_CONTROL_CHARACTERS
        or (unicodedata.category(char) != "Cc" and char not in BIDI_CONTROL_CHARACTERS)
    )


class CommentField(forms.CharField):
    """Free text, cleaned before its length is checked (as the browser counts it)."""

    def to_python(self, value):
        value = super().to_python(value)
        return strip_control_characters(value).strip() if value else value


class ServicesField(forms.ModelMultipleChoiceField):
    """Ids beyond the database's integer range are a form error, not a crash.

    Django looks each id up in one IN query; SQLite refuses a number it cannot
    store with an OverflowError.
    """

    def _check_values(self, value):
        key = self.queryset.model._meta.pk
        for pk in value:
            # Refused as Django refuses any id it cannot look up.
            if not storable_key(key, pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        # Checking the ids needs no titles: one query, not two.
        shown = self.queryset
        self.queryset = shown.prefetch_related(None)
        try:
            return super()._check_values(value)
        finally:
            self.queryset = shown

    def label_from_instance(self, obj):
        # A title not yet translated shows in German, marked as German.
        return render_shown(shown(obj, "title"))


class SelfDescriptionIterator(ModelChoiceIterator):
    """The target groups, then "something else", then "no answer" (as elsewhere).

    In a drop-down "no answer" comes first: it is what an untouched one sends.
    """

    def __iter__(self):
        choices = list(super().__iter__())
        no_answer = choices[:1] if self.field.empty_label is not None else []
        if not self.field.no_answer_last:
            yield from no_answer
        yield from choices[len(no_answer) :]
        yield (SOMETHING_ELSE, self.field.something_else_label)
        if self.field.no_answer_last:
            yield from no_answer

    def __len__(self):
        return super().__len__() + 1


class SelfDescriptionField(forms.ModelChoiceField):
    """One question kept in two columns: a target group, or "something else".

    Cleans to a TargetGroup, SOMETHING_ELSE or None (no answer);
    SelfDescriptionMixin stores the answer.
    """

    iterator = SelfDescriptionIterator

    def __init__(self, *, something_else_label, **kwargs):
        self.something_else_label = something_else_label
        kwargs.setdefault("widget", forms.RadioSelect)
        widget = kwargs["widget"]
        widget_class = widget if isinstance(widget, type) else type(widget)
        self.no_answer_last = not issubclass(widget_class, forms.Select)
        super().__init__(
            queryset=TargetGroup.objects.active(),
            required=False,
            blank=True,
            **kwargs,
        )

    def to_python(self, value):
        if value == SOMETHING_ELSE:
            return SOMETHING_ELSE
        return super().to_python(value)


class SelfDescriptionMixin:
    """For a Feedback ModelForm whose ``target_group`` is a SelfDescriptionField.

    "Something else" is stored as describes_self_otherwise, so it is told apart
    from no answer; cleaned_data and the instance carry both columns.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.describes_self_otherwise:
            self.initial["target_group"] = SOMETHING_ELSE
        # Archived groups and services are not offered, but a stored answer keeps them.
        if self.instance.target_group_id and "target_group" in self.fields:
            self.fields["target_group"].queryset = TargetGroup.objects.active_or(
                [self.instance.target_group_id]
            )
        services = self.fields.get("services_of_interest")
        if services is not None:
            chosen = (
                self.instance.services_of_interest.values("pk")
                if self.instance.pk
                else []
            )
            services.queryset = services.queryset.active_or(chosen)

    def clean(self):
        cleaned = super().clean()
        if "target_group" in cleaned:
            otherwise = cleaned["target_group"] == SOMETHING_ELSE
            if otherwise:
                cleaned["target_group"] = None
            cleaned["describes_self_otherwise"] = otherwise
            self.instance.describes_self_otherwise = otherwise
        return cleaned


class OptionalSelect(forms.Select):
    """A drop-down for an optional question.

    Never required, so Django need not read the first choice to decide on the
    ``required`` attribute: for a ModelChoiceField that would be a second query.
    """

    def use_required_attribute(self, initial) -> bool:
        return False


class RatingSelect(forms.RadioSelect):
    """Five choices in one row, drawn by templates/feedback/includes/rating.html.

    No "no answer" choice: a rating left untouched is sent as nothing and
    stored as no rating (None), as the summaries and the admin expect.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs={**CHOICE_BUTTON, **(attrs or {})})
        self.low_label = RATING_MEANINGS[1]
        self.high_label = RATING_MEANINGS[5]


def rating_field(label, *, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=RatingSelect,
        error_messages={
            "invalid_choice": _("Choose a rating from 1 to 5."),
            "required": _("Choose a rating from 1 to 5."),
        },
    )


class FeedbackForm(SelfDescriptionMixin, forms.ModelForm):
    rating_overall = rating_field(
        _("How did you like the event overall?"), required=True
    )
    rating_consultation = rating_field(_("How helpful was the personal consultation?"))
    rating_material = rating_field(_("How useful was the information material?"))
    rating_location = rating_field(_("How suitable was the location?"))
    # Drop-downs for the longer lists: as radio buttons they took a whole screen.
    # "No answer" comes first, so an untouched drop-down sends no answer.
    heard_via = forms.TypedChoiceField(
        label=_("How did you hear about the event?"),
        choices=[
            NO_ANSWER,
            *((value, capfirst(label)) for value, label in Feedback.Channel.choices),
        ],
        required=False,
        widget=OptionalSelect,
    )
    services_of_interest = ServicesField(
        label=_("Which services are you interested in?"),
        queryset=ServiceOffering.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=CHOICE_BUTTON),
        help_text=_("Tick as many as you like."),
    )
    would_come_again = forms.TypedChoiceField(
        label=_("Would you come to such an event again?"),
        choices=[("yes", _("Yes")), ("no", _("No")), NO_ANSWER],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs=CHOICE_BUTTON),
    )
    target_group = SelfDescriptionField(
        label=_("Would you like to tell us who you are?"),
        something_else_label=_("Something else"),
        empty_label=NO_ANSWER[1],
        widget=OptionalSelect,
        help_text=_("Optional. It helps us to reach more people like you."),
    )
    comment = CommentField(
        label=_("Anything else you would like to tell us?"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "At most 1000 characters. Please do not write your name or other "
            "personal details."
        ),
    )
    may_publish = forms.BooleanField(
        label=_("My comment may be published without my name."),
        required=False,
    )
    # Bots fill in every field; people never see this one.
    reference = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Feedback
        fields = QUESTION_FIELDS

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["services_of_interest"].queryset = self.service_choices(event)
        self.fields["started"].initial = fill_token(event.short_code)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(self.layout_field(name) for name in self.Meta.fields),
            Div(Field("reference"), css_class="feedback-hp"),
            "started",
            Submit("send", _("Send feedback"), css_class="btn-lg w-100"),
        )

    def layout_field(self, name: str) -> Field | str:
        """Ratings as a row of five, other choices as buttons side by side."""
        if name in RATING_FIELDS:
            return Field(name, template=RATING_TEMPLATE)
        if isinstance(self.fields[name].widget, forms.RadioSelect):
            one_row = name in ONE_ROW_FIELDS
            return Field(
                name,
                template=CHOICES_TEMPLATE,
                wrapper_class="choices--one-row" if one_row else "",
            )
        return name

    @staticmethod
    def service_choices(event: Event):
        """The event's services, or every service if the event names none.

        One lazy query: a submission checks the chosen ids with it in one round
        trip, and a form shown from a stored piece never runs it.
        """
        offers = Event.services.through.objects.filter(event=event)
        active = ServiceOffering.objects.active()
        offered = Exists(offers.filter(serviceoffering=OuterRef("pk")))
        names_any = Exists(offers.filter(serviceoffering__in=active))
        return active.filter(offered | ~names_any).prefetch_related("translations")

    def _get_validation_exclusions(self):
        """Leave to the form and the database what would cost a query each.

        The target group was just read from the form's (scoped, active)
        choices, so the model need not look it up again; the ratings' choices
        are 1–5, and the database enforces the check constraints on saving.
        """
        return super()._get_validation_exclusions() | {"target_group", *RATING_FIELDS}

    @property
    def is_bot(self) -> bool:
        """Whether the hidden field was filled in (only bots see it)."""
        return bool(self.data.get(self.add_prefix("reference"), "").strip())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("comment"):
            cleaned["may_publish"] = False
        self.check_fill_time(cleaned.get("started", ""))
        return cleaned

    def check_fill_time(self, token: str) -> None:
        """Refuse a form sent too fast, or with a start time we did not sign."""
        try:
            seconds = FillTimeSigner().seconds_since_signed(
                token, value=self.event.short_code
            )
        except signing.BadSignature:
            self.add_error(
                None,
                forms.ValidationError(
                    _("Sorry, something went wrong. Please send the form again."),
                    code="bad_token",
                ),
            )
            return
        if seconds < settings.FEEDBACK_MIN_FILL_SECONDS:
            self.add_error(
                None,
                forms.ValidationError(
                    _("That was very fast. Please check your answers and send again."),
                    code="too_fast",
                ),
            )

    def renew_fill_token(self) -> None:
        """Give a form shown again with errors a fresh start time."""
        self.data = self.data.copy()
        self.data[self.add_prefix("started")] = fill_token(self.event.short_code)
