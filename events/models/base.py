"""What several models share: archiving, short codes, stand languages."""

import secrets
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.languages import STAND_LANGUAGE_CODES

# Without look-alikes (0/O, 1/l/I), so a code read off a poster is typed right.
SHORT_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SHORT_CODE_LENGTH = 6


def new_short_code() -> str:
    return "".join(
        secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH)
    )


def validate_language_codes(value) -> None:
    if not isinstance(value, list) or any(
        code not in STAND_LANGUAGE_CODES for code in value
    ):
        raise ValidationError(
            _("Choose languages from the list."), code="invalid_language"
        )


class ArchivableQuerySet(models.QuerySet):
    def active(self) -> Self:
        """Rows offered for new choices: everything not archived."""
        return self.filter(archived=False)

    def active_or(self, pks) -> Self:
        """Active rows, and those given by pk (already chosen: a form keeps them)."""
        return self.filter(Q(archived=False) | Q(pk__in=pks))


def archived_field():
    return models.BooleanField(
        _("archived"),
        default=False,
        help_text=_(
            "Archived entries are no longer offered for new events, feedback or "
            "counts; what refers to them keeps them, in history and summaries."
        ),
    )
