import re
from datetime import date
from hashlib import sha256
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events.models import ServiceOffering
from events.nearness import centre_of
from events.selectors import filter_choices

# Dates outside this range are typing errors, and the far ends of the
# calendar (year 1, year 9999) cannot be turned into times in Berlin.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
POSTCODE = re.compile(r"[0-9]{5}")
# A wrong postcode is shown again for correcting, but never more than this.
POSTCODE_ECHO = 20
FILTER_TEMPLATE = "events/includes/filter_form.html"
# Keys hold everything shown: an entry is never stale, only unused.
FILTER_HTML_SECONDS = 24 * 60 * 60


class DateInput(forms.DateInput):
    """The browser's date picker; it submits ISO dates (2024-07-23)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def format_value(self, value):
        # A wrong date from the address (?von=2024-13-45) is not echoed: a date
        # field cannot hold it (browsers show it empty anyway) and the page would
        # not be valid HTML. The error message above the form names it.
        if isinstance(value, str) and not is_iso_date(value):
            return None
        return super().format_value(value)


def is_iso_date(value: str) -> bool:
    """Whether ``value`` is a date as HTML writes it: 2024-07-23."""
    if not ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def storable_key(field, value) -> bool:
    """Whether value can be looked up in field (a key) without the database refusing it.

    An address or a form may carry "abc" or a 40-digit number where an id
    belongs; looked up as it is, SQLite raises OverflowError (a 500).
    """
    try:
        key = field.to_python(value)
    except ValidationError:
        return False
    if isinstance(key, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return low <= key <= high
    return True


class DateRangeMixin:
    """Checks the ``von``/``bis`` fields of a form: each in range, bis not before von."""

    def clean_von(self):
        return self._date_in_range(self.cleaned_data.get("von"))

    def clean_bis(self):
        return self._date_in_range(self.cleaned_data.get("bis"))

    @staticmethod
    def _date_in_range(value: date | None) -> date | None:
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
                code="out_of_range",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and end < start:
            self.add_error("bis", _("The end date must not be before the start date."))
        return cleaned


class PostcodeInput(forms.TextInput):
    """A postcode box: digits keyboard on phones, the browser may fill it in."""

    def __init__(self):
        super().__init__(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}
        )

    def format_value(self, value):
        # Whatever was typed comes back for correcting (escaped), cut short.
        value = super().format_value(value)
        return value[:POSTCODE_ECHO] if value else value


class RowChoiceField(forms.ChoiceField):
    """A choice among rows (``selectors.FilterChoice``) by slug.

    The form's options and the check of a value come from the rows the form
    read (``selectors.filter_choices``: one query for all such fields), so an
    unknown slug asks the database nothing. Cleans to the row (or None), as a
    ModelChoiceField cleans to an object.
    """

    def __init__(self, *, empty_label, **kwargs):
        self.empty_label = empty_label
        self.rows = {}
        super().__init__(required=False, **kwargs)

    def offer(self, rows) -> None:
        self.rows = {row.slug: row for row in rows}
        self.choices = [("", self.empty_label), *((row.slug, row.name) for row in rows)]

    def clean(self, value):
        slug = super().clean(value)
        return self.rows[slug] if slug else None


class EventFilterForm(DateRangeMixin, forms.Form):
    """The filters of the list of upcoming events, read from the address (GET).

    The field names are the published parameters (?bezirk=oststadt&angebot=…),
    so links on posters and partner sites keep working.
    """

    bezirk = RowChoiceField(
        label=_("District"),
        empty_label=_("All districts"),
        error_messages={"invalid_choice": _("There is no such district.")},
    )
    # Radio buttons, not a list box: each service shows its icon, and a phone
    # needs one tap instead of two.
    angebot = forms.ChoiceField(
        label=_("Service"),
        choices=[("", _("All services")), *ServiceOffering.Category.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("There is no such service.")},
    )
    zielgruppe = RowChoiceField(
        label=_("For"),
        empty_label=_("Everyone"),
        error_messages={"invalid_choice": _("There is no such target group.")},
    )
    von = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date such as 2025-07-23.")},
    )
    bis = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date such as 2025-07-31.")},
    )
    # Sorts rather than narrows: the nearest dates first (events.nearness).
    plz = forms.CharField(
        label=_("Your postcode (nearest first)"),
        required=False,
        strip=True,
        widget=PostcodeInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = filter_choices()
        for name, field in self.fields.items():
            if isinstance(field, RowChoiceField):
                field.offer(rows[name])
            if isinstance(field.widget, forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(field, forms.ChoiceField):
                css = "form-select"
            else:
                css = "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_plz(self):
        """The centre of the postcode typed (a PostcodeCentre), or None.

        Five digits, and one the table knows: anything else is a message
        above the form, and the list stays in its usual order.
        """
        value = self.cleaned_data.get("plz") or ""
        if not value:
            return None
        if not POSTCODE.fullmatch(value):
            raise forms.ValidationError(
                _("Enter a postcode of five digits, such as 75175."),
                code="invalid",
            )
        centre = centre_of(value)
        if centre is None:
            raise forms.ValidationError(
                _(
                    "We do not know the postcode %(postcode)s. Please check it, "
                    "or try the postcode of a place nearby."
                ),
                code="unknown_postcode",
                params={"postcode": value},
            )
        return centre

    def html(self) -> SafeString:
        """The filter section (events/includes/filter_form.html) as HTML.

        Kept in the cache when nothing went wrong and each filter has at most
        one value, under a key made of everything it shows: the language, the
        choices as read (slugs and names), the values given (valid dates
        included: a section is a few kB, a fraction of the cached page of the
        same address) and the deployment's static files. Any change of a
        choice is a new key, so a kept section is never stale; a form with
        errors is rendered each time.
        """
        key = self._html_key()
        if key is not None:
            found = cache.get(key)
            if found is not None:
                return mark_safe(found)
        html = render_to_string(FILTER_TEMPLATE, {"form": self})
        if key is not None:
            cache.set(key, str(html), FILTER_HTML_SECONDS)
        return mark_safe(html)

    def _html_key(self) -> str | None:
        values = []
        if self.is_bound:
            if self.errors:
                return None
            getlist = getattr(self.data, "getlist", lambda key: [self.data.get(key)])
            for name in self.fields:
                given = getlist(name)
                if len(given) > 1:
                    return None
                values.append(given[0] if given else None)
        choices = [
            (name, [(value, str(label)) for value, label in field.choices])
            for name, field in self.fields.items()
            if isinstance(field, RowChoiceField)
        ]
        # The chip of ?plz= names the place, which the admin may correct.
        near = str(getattr(self, "cleaned_data", {}).get("plz") or "")
        raw = repr(
            (
                get_language(),
                choices,
                self.is_bound,
                values,
                near,
                static("img/icons.svg"),
            )
        )
        return "filter-form:" + sha256(raw.encode()).hexdigest()

    def filters(self) -> dict:
        """Keyword arguments for selectors.upcoming_events (valid fields only)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "district": data.get("bezirk"),
            "category": data.get("angebot") or None,
            "target_group": data.get("zielgruppe"),
            "date_from": data.get("von"),
            "date_to": data.get("bis"),
            "near": data.get("plz"),
        }

    @property
    def is_filtered(self) -> bool:
        return any(value for value in self.filters().values())

    def active_filters(self) -> list[dict]:
        """The valid filters in use: label, value as shown, and the query without it.

        ``query`` keeps every other filter as typed and drops the page number,
        so "remove this filter" leads to page 1 of the wider list.
        """
        data = getattr(self, "cleaned_data", {})
        active = []
        for name, field in self.fields.items():
            value = data.get(name)
            if not value:
                continue
            if isinstance(value, date):
                shown = date_format(value, "SHORT_DATE_FORMAT")
            elif name == "angebot":
                shown = dict(field.choices).get(value, value)
            else:
                shown = str(value)
            active.append(
                {
                    "name": name,
                    "label": field.label,
                    "value": shown,
                    "category": value if name == "angebot" else "",
                    "query": self._query_without(name),
                }
            )
        return active

    def _query_without(self, name: str) -> str:
        getlist = getattr(self.data, "getlist", lambda key: [self.data.get(key)])
        return urlencode(
            [
                (key, value)
                for key in self.fields
                if key != name
                for value in getlist(key)
                if value
            ]
        )


class PageForm(forms.Form):
    """The page number of a list (?seite=2)."""

    seite = forms.IntegerField(
        min_value=1,
        required=False,
        error_messages={
            "invalid": _("The page number must be a whole number."),
            "min_value": _("The page number must be 1 or more."),
        },
    )

    def page_number(self) -> int:
        if self.is_valid():
            return self.cleaned_data["seite"] or 1
        return 1
