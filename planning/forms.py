"""Forms of the planning app that staff fill in outside the admin."""

from datetime import timedelta

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Location
from planning.models import PassersByCount

# A count on site covers a quarter hour; typed in by hand it may cover up to
# the whole hour the model allows.
COUNT_MINUTES = 15
MAX_MINUTES = 60
# More than three people a second past one person tapping is a typo.
MAX_PER_MINUTE = 200
# A count forgotten on the phone may be saved a few days later, not later.
MAX_DAYS_BACK = 7


class PassersByForm(forms.ModelForm):
    """One count of passers-by at a place: tapped on the phone or typed in."""

    location = forms.ModelChoiceField(
        queryset=Location.objects.none(), label=_("Location")
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hour = forms.TypedChoiceField(
        label=_("Hour the count began"),
        coerce=int,
        choices=[(hour, f"{hour:02d}:00–{hour:02d}:59") for hour in range(24)],
    )
    minutes = forms.IntegerField(
        label=_("Minutes counted"),
        initial=COUNT_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    count = forms.IntegerField(
        label=_("Passers-by counted"),
        validators=[MinValueValidator(0)],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = PassersByCount
        fields = ["location", "date", "hour", "minutes", "count"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = (
            Location.objects.active().by_name().prefetch_related("translations")
        )
        for name, field in self.fields.items():
            css = "form-select" if name in ("location", "hour") else "form-control"
            field.widget.attrs["class"] = css

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("The count cannot be in the future."))
        if day < today - timedelta(days=MAX_DAYS_BACK):
            raise forms.ValidationError(
                _("Counts older than %(days)d days are typed in in the admin.")
                % {"days": MAX_DAYS_BACK}
            )
        return day

    def clean(self):
        data = super().clean()
        count, minutes = data.get("count"), data.get("minutes")
        if count is not None and minutes and count > MAX_PER_MINUTE * minutes:
            self.add_error(
                "count",
                _(
                    "That is more than %(most)d people a minute: please check the number."
                )
                % {"most": MAX_PER_MINUTE},
            )
        return data
