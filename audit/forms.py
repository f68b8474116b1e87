"""The filters of the list of changes (GET parameters art, person, aktion, von, bis)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.selectors import ChangeFilters, tracked_models
from events.forms import DateInput, DateRangeMixin
from jobcenters.models import Membership
from jobcenters.scoping import current_jobcenter_id

# The values of ?aktion= and the history types they stand for.
ACTIONS = {"neu": "+", "geaendert": "~", "geloescht": "-"}


def kind_choices():
    return [
        ("", _("All kinds")),
        *(
            (kind, capfirst(model._meta.verbose_name_plural))
            for kind, model in tracked_models().items()
        ),
    ]


class ChangeFilterForm(DateRangeMixin, forms.Form):
    art = forms.ChoiceField(
        label=_("Kind of object"), choices=kind_choices, required=False
    )
    person = forms.ModelChoiceField(
        label=_("Changed by"),
        queryset=get_user_model().objects.filter(is_staff=True).order_by("username"),
        required=False,
        empty_label=_("Everyone"),
    )
    aktion = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("", _("All actions")),
            ("neu", _("created")),
            ("geaendert", _("changed")),
            ("geloescht", _("deleted")),
        ],
        required=False,
    )
    von = forms.DateField(label=_("From"), required=False, widget=DateInput)
    bis = forms.DateField(label=_("To"), required=False, widget=DateInput)
    # Set by the "history" link of a row: the changes of one object.
    objekt = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The operator may pick anyone; a Jobcenter's coordinators its own staff.
        self.every_account = bool(user is not None and user.is_superuser)
        if not self.every_account:
            self.fields["person"].queryset = self.fields["person"].queryset.filter(
                pk__in=Membership.objects.filter(
                    jobcenter_id=current_jobcenter_id()
                ).values("user_id")
            )
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if select else "form-control"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("objekt") and not cleaned.get("art"):
            self.add_error("art", _("Choose the kind of object."))
        return cleaned

    def filters(self) -> ChangeFilters:
        """The valid choices as filters; no filter at all when anything is wrong."""
        if not self.is_valid():
            return ChangeFilters(every_account=self.every_account)
        data = self.cleaned_data
        return ChangeFilters(
            kind=data["art"],
            user=data["person"].pk if data["person"] else None,
            start=data["von"],
            end=data["bis"],
            action=ACTIONS.get(data["aktion"], ""),
            object_id=data["objekt"],
            every_account=self.every_account,
        )
