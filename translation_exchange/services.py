"""Writes: a translated file's texts into the translation rows."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from events.models import SOURCE_LANGUAGE
from translation_exchange.exchange import Unit, parse_id
from translation_exchange.selectors import (
    TRANSLATED_MODELS,
    rows_by_language,
    target_languages,
    text_fields,
)

# Stored in the audit trail as written, translated when shown (audit/reasons.py).
IMPORT_REASON = gettext_noop("Imported from a translation file")


@dataclass
class ImportReport:
    language: str
    imported: int = 0  # fields written
    objects: int = 0
    untranslated: int = 0  # units without a target, left alone
    problems: list[str] = field(default_factory=list)  # skipped, with the reason
    source_changed: list[str] = field(default_factory=list)  # imported; check them


@transaction.atomic
def import_translations(*, units: list[Unit], language: str, user) -> ImportReport:
    """Write the targets of a translator's file in one language, all or nothing.

    Units naming an unknown object or field, a model the user may not change,
    or a text the field refuses are reported and skipped; the rest is saved
    as checked by a person (not machine-translated), recorded in the audit
    trail with the user and a reason.
    """
    if language not in dict(target_languages()):
        raise ValueError(f"Not a target language: {language}")
    report = ImportReport(language=language)
    wanted = defaultdict(lambda: defaultdict(dict))  # model -> pk -> {field: unit}
    for unit in units:
        parsed = parse_id(unit.id)
        model = TRANSLATED_MODELS.get(parsed[0]) if parsed else None
        if model is None or parsed[2] not in text_fields(model):
            report.problems.append(_("Unknown id “%(id)s”.") % {"id": unit.id[:200]})
            continue
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            report.problems.append(
                _("“%(id)s”: you may not change %(kind)s.")
                % {"id": unit.id, "kind": opts.verbose_name_plural}
            )
            continue
        if not unit.target.strip():
            report.untranslated += 1
            continue
        wanted[model][parsed[1]][parsed[2]] = unit
    for model, by_pk in wanted.items():
        # The default manager keeps to the Jobcenter: an id of another one is
        # reported as unknown, never written to.
        found = model.objects.prefetch_related("translations").in_bulk(list(by_pk))
        for pk, fields in by_pk.items():
            obj = found.get(pk)
            if obj is None:
                for unit in fields.values():
                    report.problems.append(
                        _("“%(id)s”: no such object (deleted?).") % {"id": unit.id}
                    )
                continue
            write_texts(obj, fields, language=language, user=user, report=report)
    return report


def write_texts(obj, fields: dict[str, Unit], *, language, user, report) -> None:
    """One object's texts in one language, validated as the admin would."""
    source = rows_by_language(obj).get(SOURCE_LANGUAGE)
    label = f"{obj._meta.verbose_name} “{obj}”"
    obj.set_current_language(language)
    for name, unit in fields.items():
        setattr(obj, name, unit.target)
    obj.machine_translated = False
    translation = obj._get_translated_model(language, auto_create=True)
    try:
        translation.full_clean(exclude=["master"])
    except ValidationError as error:
        report.problems.append(
            _("%(object)s: %(errors)s")
            % {
                "object": label,
                "errors": " ".join(
                    f"{field_label(translation, name)}{' '.join(messages)}"
                    for name, messages in error.message_dict.items()
                ),
            }
        )
        return
    # Read by the audit trail (TranslatedModel.save_translation passes them on).
    obj._history_user = user
    obj._change_reason = IMPORT_REASON
    obj.save_translation(translation)
    report.imported += len(fields)
    report.objects += 1
    report.source_changed.extend(
        unit.id
        for name, unit in fields.items()
        if source is not None and (getattr(source, name) or "") != unit.source
    )


def field_label(translation, name: str) -> str:
    """ "Title: " before a field's messages; nothing before the whole row's."""
    if name == NON_FIELD_ERRORS:
        return ""
    return f"{capfirst(translation._meta.get_field(name).verbose_name)}: "
