"""The filter form of the coordinator pages (GET parameters von, bis, bezirk, ort, angebot)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.forms import DateInput, DateRangeMixin
from events.models import District, Location, ServiceOffering
from feedback.summaries import Filters


class ReportFilterForm(DateRangeMixin, forms.Form):
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
        queryset=Location.objects.by_name().prefetch_related("translations"),
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
