"""The subscription form: the list page's filter names, an address, consent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import District, ServiceOffering, TargetGroup


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address such as name@example.org."),
        },
    )
    bezirk = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.active().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All districts"),
        error_messages={"invalid_choice": _("There is no such district.")},
    )
    angebot = forms.ChoiceField(
        label=_("Service"),
        choices=[("", _("All services")), *ServiceOffering.Category.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("There is no such service.")},
    )
    zielgruppe = forms.ModelChoiceField(
        label=_("For"),
        queryset=TargetGroup.objects.active().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Everyone"),
        error_messages={"invalid_choice": _("There is no such target group.")},
    )
    erinnerung = forms.BooleanField(
        label=_("Also remind me the day before each date"),
        required=False,
    )
    zustimmung = forms.BooleanField(
        label=_(
            "I agree that my e-mail address, these choices and my language are "
            "stored to send me these e-mails, until I unsubscribe."
        ),
        error_messages={"required": _("Please agree, or we cannot send e-mails.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = (
                    "form-select"
                    if isinstance(field.widget, forms.Select)
                    else "form-control"
                )
            if self.errors.get(name) if self.is_bound else False:
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = f"id_{name}_error"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def filters(self) -> dict:
        """What the confirmation link carries: ids, not names."""
        data = self.cleaned_data
        return {
            "district": data["bezirk"].pk if data.get("bezirk") else None,
            "category": data.get("angebot") or "",
            "target_group": data["zielgruppe"].pk if data.get("zielgruppe") else None,
            "reminder": bool(data.get("erinnerung")),
        }
