"""The query parameters: how they are documented and how they are checked.

The filters are the list page's own (``events.forms.EventFilterForm``): the
same names, the same meaning and the same checks, so ``?bezirk=oststadt``
means one thing on the site and in the API. The API is stricter in one way:
a value the page would show a note about is an error here (400), since a
program should learn that it asked for something that does not exist.

The OpenAPI descriptions of the parameters are written here by hand, next to
the code that checks them; the contract test (schemathesis) sends values the
document calls valid and invalid and fails when the two disagree.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from events.forms import EventFilterForm
from events.models import ServiceOffering

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Past dates can be asked for as well; the default is what is still to come.
UPCOMING, PAST = "kommend", "vergangen"
PERIODS = (UPCOMING, PAST)
LANGUAGE_PARAMETER = "sprache"
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)
# A slug as SlugField takes it; empty means "all", as the list page's form sends it.
SLUG_OR_EMPTY = "^[-a-zA-Z0-9_]*$"


class ParameterError(Exception):
    """One or more query parameters are wrong: answered with 400."""

    def __init__(self, errors: list[tuple[str | None, str]]):
        super().__init__(errors)
        self.errors = errors


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def query(name: str, description: str, schema: dict) -> dict:
    return {
        "in": "query",
        "name": name,
        "required": False,
        "description": str(description),
        "schema": schema,
    }


def language_parameter() -> dict:
    return query(
        LANGUAGE_PARAMETER,
        "Language of texts and addresses. Without it, the best match of the "
        "Accept-Language header; German when nothing matches.",
        {"type": "string", "enum": language_codes()},
    )


def paging_parameters() -> list[dict]:
    return [
        query(
            "seite",
            "Page number, from 1.",
            {"type": "integer", "minimum": 1, "maximum": 999_999_999, "default": 1},
        ),
        query(
            "pro_seite",
            f"Rows per page, at most {MAX_PAGE_SIZE}.",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            },
        ),
    ]


def _date_schema() -> dict:
    # Empty means "no limit", as the list page's date fields send it.
    return {"type": "string", "anyOf": [{"format": "date"}, {"maxLength": 0}]}


def filter_parameters() -> list[dict]:
    return [
        query(
            "bezirk",
            "District slug (see /districts); empty: all.",
            {"type": "string", "maxLength": 100, "pattern": SLUG_OR_EMPTY},
        ),
        query(
            "angebot",
            "Service category; empty: all.",
            {"type": "string", "enum": ["", *ServiceOffering.Category.values]},
        ),
        query(
            "zielgruppe",
            "Target group slug (see /target-groups); empty: all.",
            {"type": "string", "maxLength": 100, "pattern": SLUG_OR_EMPTY},
        ),
        query(
            "von",
            "Events still running on or after this day (YYYY-MM-DD, 2000–2100).",
            _date_schema(),
        ),
        query(
            "bis",
            "Events starting on or before this day (YYYY-MM-DD, 2000–2100, "
            "not before `von`).",
            _date_schema(),
        ),
        query(
            "plz",
            "A German postcode (five digits): the nearest events first, then by "
            "start, each with `distance_km` from the postcode's centre (GeoNames, "
            "CC BY 4.0). An unknown postcode is an error. Empty: sorted by time.",
            {"type": "string", "anyOf": [{"pattern": "^[0-9]{5}$"}, {"maxLength": 0}]},
        ),
        query(
            "zeitraum",
            f"`{UPCOMING}`: not yet over, soonest first (default); "
            f"`{PAST}`: over, the most recent first; empty: the default.",
            {"type": "string", "enum": ["", *PERIODS], "default": UPCOMING},
        ),
    ]


def _single(request, name: str) -> str | None:
    """The parameter's value (the last one if repeated), as Django's forms read it."""
    return request.GET.get(name)


@dataclass(frozen=True)
class Paging:
    number: int
    size: int


def paging(request) -> Paging:
    errors = []
    values = {}
    for name, default, highest in (
        ("seite", 1, 999_999_999),
        ("pro_seite", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    ):
        raw = _single(request, name)
        if raw is None:
            values[name] = default
        elif not WHOLE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= highest:
            errors.append(
                (
                    name,
                    _("Enter a whole number from 1 to %(highest)s.")
                    % {"highest": highest},
                )
            )
        else:
            values[name] = int(raw)
    if errors:
        raise ParameterError(errors)
    return Paging(values["seite"], values["pro_seite"])


def period(request) -> str:
    value = _single(request, "zeitraum")
    if value is None or value == "":
        return UPCOMING
    if value not in PERIODS:
        raise ParameterError(
            [
                (
                    "zeitraum",
                    _("Choose “%(upcoming)s” or “%(past)s”.")
                    % {"upcoming": UPCOMING, "past": PAST},
                )
            ]
        )
    return value


def event_filters(request) -> dict:
    """The list page's filters, checked by its own form: keyword arguments for
    the selectors, or ParameterError with the form's messages."""
    names = EventFilterForm.base_fields
    data = {name: request.GET[name] for name in names if name in request.GET}
    form = EventFilterForm(data)
    if not form.is_valid():
        raise ParameterError(
            [
                (None if name == "__all__" else name, str(message))
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    return form.filters()


def check_language(request) -> None:
    value = _single(request, LANGUAGE_PARAMETER)
    if value is not None and value not in language_codes():
        raise ParameterError(
            [
                (
                    LANGUAGE_PARAMETER,
                    _("Choose one of these languages: %(codes)s.")
                    % {"codes": ", ".join(language_codes())},
                )
            ]
        )


# Every parameter an operation reads (the server-side cache key holds these).
READ = (
    LANGUAGE_PARAMETER,
    "seite",
    "pro_seite",
    "zeitraum",
    *EventFilterForm.base_fields,
)
