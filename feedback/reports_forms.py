"""The filter form of the coordinator pages (GET parameters von, bis, bezirk, ort, angebot)."""

from datetime import date

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.models import District, Location, ServiceOffering
from feedback.summaries import Filters

# Dates outside this range are typing mistakes; they would also overflow the
# conversion to aware datetimes at the edges of the calendar.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReportFilterForm(forms.Form):
    von = forms.DateField(label=_("From"), required=False, widget=DateInput)
    bis = forms.DateField(label=_("To"), required=False, widget=DateInput)
    bezirk = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All districts"),
    )
    ort = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.order_by("name", "pk"),
        required=False,
        empty_label=_("All locations"),
    )
    angebot = forms.ChoiceField(
        label=_("Service category"),
        choices=[
            ("", _("All service categories")),
            *(
                (value, capfirst(label))
                for value, label in ServiceOffering.Category.choices
            ),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def clean_von(self):
        return self._in_range(self.cleaned_data.get("von"))

    def clean_bis(self):
        return self._in_range(self.cleaned_data.get("bis"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and end < start:
            self.add_error("bis", _("The end date must not be before the start date."))
        return cleaned

    @staticmethod
    def _in_range(value: date | None) -> date | None:
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                _("Choose a date between the years %(earliest)s and %(latest)s."),
                code="out_of_range",
                params={"earliest": EARLIEST.year, "latest": LATEST.year},
            )
        return value

    def filters(self) -> Filters:
        """The valid choices as summary filters; no filter at all when anything is wrong."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            start=data["von"],
            end=data["bis"],
            district=data["bezirk"],
            location=data["ort"],
            category=data["angebot"] or "",
        )
