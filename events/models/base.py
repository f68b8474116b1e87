"""What several models share: archiving, short codes, stand languages."""

import secrets
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from parler.managers import TranslatableQuerySet
from parler.models import TranslatableModel, TranslatedFields

from events.languages import STAND_LANGUAGE_CODES

# The language all content is written in first; translations may be missing.
SOURCE_LANGUAGE = settings.LANGUAGE_CODE

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


def translated_fields(**fields) -> TranslatedFields:
    """A model's translatable fields (django-parler): one row per language.

    German is the source; every other language may be missing and then falls
    back to German. Each row also says whether a machine drafted it and no
    person has approved it yet: the public page marks such text.
    """
    meta = fields.pop("meta", None)
    return TranslatedFields(
        **fields,
        machine_translated=models.BooleanField(
            _("machine-translated draft"),
            default=False,
            help_text=_(
                "Drafted by machine translation and not yet checked by a person. "
                "Untick it once you have read and corrected the text."
            ),
        ),
        meta=meta,
    )


def in_source_language(model, field: str, *, master: str = "pk") -> Subquery:
    """A translated field's German (source) value, for ordering and grouping.

    `master` names the outer query's column that holds the translated model's
    key, e.g. "material_id" when ordering handouts by their material's title.
    """
    translations = model._parler_meta.root_model
    return Subquery(
        translations.objects.filter(
            master=OuterRef(master), language_code=SOURCE_LANGUAGE
        ).values(field)[:1]
    )


class TranslatableArchivableQuerySet(TranslatableQuerySet, ArchivableQuerySet):
    pass


class TranslatedModel(TranslatableModel):
    """A model whose texts are translated (django-parler), audited as one."""

    class Meta:
        abstract = True

    def save_translation(self, translation, *args, **kwargs):
        # A text's change is recorded with the same person and reason as the
        # change of the object it belongs to (django-simple-history).
        for attribute in ("_history_user", "_change_reason"):
            if hasattr(self, attribute):
                setattr(translation, attribute, getattr(self, attribute))
        super().save_translation(translation, *args, **kwargs)
