"""Draft missing translations by machine, approve them, and keep to the budget.

A draft fills only a language an object has no text in yet: whatever a person
wrote (or a machine drafted earlier) stays as it is. Drafts are marked
``machine_translated`` until a person approves them. Every row is written
with the staff member and a change reason, for the audit trail.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from events.caching import invalidate_after_commit
from events.models import SOURCE_LANGUAGE, Review
from events.richtext import sanitize
from translations.backends import Backend, TranslationServiceError
from translations.models import MachineTranslationUsage

# Change reasons, stored in English and translated when shown (audit.reasons).
DRAFTED = gettext_noop("Machine translation draft")
APPROVED = gettext_noop("Machine translation approved")

# Written by people only: the source, and Easy-to-read German (Leichte
# Sprache), which follows rules no translation service knows.
EASY_READ = "de-x-ls"
NOT_MACHINE_TRANSLATED = {SOURCE_LANGUAGE, EASY_READ}

# Texts sent as HTML (tags kept, the answer sanitised like any review text).
HTML_FIELDS = {Review: {"body"}}
# Translated together with their object: a review's photos.
RELATED = {Review: "photos"}


class BudgetExceeded(Exception):
    def __init__(self, budget: "Budget", needed: int):
        super().__init__(needed)
        self.budget = budget
        self.needed = needed


@dataclass(frozen=True)
class Budget:
    used: int
    limit: int

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


def current_month() -> date:
    return MachineTranslationUsage.month_of(timezone.localdate())


def budget_status(month: date | None = None) -> Budget:
    """Characters sent this month, by every service, against the monthly limit."""
    used = MachineTranslationUsage.objects.filter(
        month=month or current_month()
    ).aggregate(total=Sum("characters"))["total"]
    return Budget(used=used or 0, limit=settings.QUARTIER_MT_MONTHLY_CHARACTERS)


@transaction.atomic
def reserve_characters(characters: int, *, backend: str) -> Budget:
    """Count characters before they are sent; refuse beyond the month's budget."""
    month = current_month()
    MachineTranslationUsage.objects.get_or_create(month=month, backend=backend)
    # Locked, so two staff members drafting at once cannot both pass the check.
    rows = list(MachineTranslationUsage.objects.select_for_update().filter(month=month))
    budget = Budget(
        used=sum(row.characters for row in rows),
        limit=settings.QUARTIER_MT_MONTHLY_CHARACTERS,
    )
    if characters > budget.remaining:
        raise BudgetExceeded(budget, characters)
    MachineTranslationUsage.objects.filter(month=month, backend=backend).update(
        characters=F("characters") + characters
    )
    return Budget(used=budget.used + characters, limit=budget.limit)


def refund_characters(characters: int, *, backend: str) -> None:
    """Give back characters reserved for requests that failed."""
    if characters:
        MachineTranslationUsage.objects.filter(
            month=current_month(), backend=backend, characters__gte=characters
        ).update(characters=F("characters") - characters)


def text_fields(model) -> list[str]:
    return [
        name
        for name in model._parler_meta.get_translated_fields()
        if name != "machine_translated"
    ]


def with_related(objects) -> list:
    """The objects and what is translated with them (a review's photos)."""
    result = []
    for obj in objects:
        result.append(obj)
        if type(obj) in RELATED:
            result += list(getattr(obj, RELATED[type(obj)]).all())
    return result


def prefetch(queryset):
    """What drafting and approving read, in a constant number of queries."""
    related = RELATED.get(queryset.model)
    if related:
        queryset = queryset.prefetch_related(related, f"{related}__translations")
    return queryset.prefetch_related("translations")


def machine_languages() -> list[str]:
    """The configured languages a machine may draft (not German, not Leichte Sprache)."""
    return [
        code for code, _name in settings.LANGUAGES if code not in NOT_MACHINE_TRANSLATED
    ]


@dataclass
class Missing:
    """One object's texts for a language it has no translation in."""

    obj: object
    source: dict[str, str]


@dataclass
class LanguagePlan:
    language: str
    missing: list[Missing] = field(default_factory=list)

    def texts(self, *, html: bool) -> list[tuple[int, str, str]]:
        """(row, field, German text) to send, plain or HTML ones."""
        return [
            (index, name, text)
            for index, item in enumerate(self.missing)
            for name, text in item.source.items()
            if text.strip() and (name in HTML_FIELDS.get(type(item.obj), ())) == html
        ]

    @property
    def characters(self) -> int:
        return sum(
            len(text)
            for html in (False, True)
            for _row, _name, text in self.texts(html=html)
        )


def plan(objects: list, languages: list[str]) -> list[LanguagePlan]:
    """Per language, the objects that have no text in it but a German one."""
    plans = []
    for language in languages:
        language_plan = LanguagePlan(language)
        for obj in objects:
            rows = {row.language_code: row for row in obj.translations.all()}
            german = rows.get(SOURCE_LANGUAGE)
            if german is None or language in rows:
                continue
            source = {name: getattr(german, name) or "" for name in text_fields(obj)}
            language_plan.missing.append(Missing(obj, source))
        if language_plan.missing:
            plans.append(language_plan)
    return plans


@dataclass
class DraftReport:
    drafted: dict[str, int] = field(default_factory=dict)  # language: rows
    unsupported: list[str] = field(default_factory=list)
    too_long: list[str] = field(default_factory=list)
    error: str = ""
    budget: Budget | None = None


def translate_plan(backend: Backend, language_plan: LanguagePlan) -> list[dict]:
    """Each missing object's texts in the plan's language: one call per kind."""
    values = [dict.fromkeys(item.source, "") for item in language_plan.missing]
    for html in (False, True):
        texts = language_plan.texts(html=html)
        if not texts:
            continue
        answers = backend.translate(
            [text for _row, _name, text in texts],
            target=language_plan.language,
            html=html,
        )
        for (row, name, _text), answer in zip(texts, answers, strict=True):
            values[row][name] = sanitize(answer) if html else answer.strip()
    return values


def fits(model, values: dict[str, str]) -> bool:
    """Whether every text fits its column (a translation may run longer)."""
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if limit and len(value) > limit:
            return False
    return True


@transaction.atomic
def save_drafts(language_plan: LanguagePlan, values: list[dict], *, user, report):
    """Write one language's drafts, each model's rows in one go, with history."""
    by_model = defaultdict(list)
    for item, texts in zip(language_plan.missing, values, strict=True):
        translation_model = item.obj._parler_meta.root_model
        if not fits(translation_model, texts):
            report.too_long.append(str(item.obj))
            continue
        by_model[translation_model].append(
            translation_model(
                master=item.obj,
                language_code=language_plan.language,
                machine_translated=True,
                **texts,
            )
        )
    saved = 0
    for translation_model, rows in by_model.items():
        # A person may have written this language meanwhile: theirs stays.
        taken = set(
            translation_model.objects.filter(
                language_code=language_plan.language,
                master__in=[row.master_id for row in rows],
            ).values_list("master_id", flat=True)
        )
        rows = [row for row in rows if row.master_id not in taken]
        bulk_create_with_history(
            rows, translation_model, default_user=user, default_change_reason=DRAFTED
        )
        saved += len(rows)
    if saved:
        # Bulk writes send no signals: the public pages are refreshed here.
        invalidate_after_commit()
    return saved


def draft_missing_translations(
    objects: list, *, backend: Backend, user, languages: list[str] | None = None
) -> DraftReport:
    """Machine-draft every missing translation of the objects (and their photos).

    Stops before sending anything if the month's budget would be exceeded;
    stops at the first failing request, keeping the languages finished before.
    """
    report = DraftReport()
    wanted = []
    for language in machine_languages() if languages is None else languages:
        if backend.target(language) is None:
            report.unsupported.append(language)
        else:
            wanted.append(language)
    plans = plan(with_related(objects), wanted)
    total = sum(language_plan.characters for language_plan in plans)
    if not plans:
        report.budget = budget_status()
        return report
    report.budget = reserve_characters(total, backend=backend.name)  # or raises
    sent = 0
    for language_plan in plans:
        try:
            values = translate_plan(backend, language_plan)
        except TranslationServiceError as error:
            report.error = str(error)
            break
        sent += language_plan.characters
        try:
            report.drafted[language_plan.language] = save_drafts(
                language_plan, values, user=user, report=report
            )
        except IntegrityError:
            report.error = _(
                "The texts changed while they were being translated; try again."
            )
            break
    if sent < total:
        refund_characters(total - sent, backend=backend.name)
        report.budget = budget_status()
    return report


@transaction.atomic
def approve_machine_translations(objects: list, *, user) -> int:
    """A person has read the drafts: clear the flag, in every language."""
    by_model = defaultdict(list)
    for obj in with_related(objects):
        for row in obj.translations.all():
            if row.machine_translated:
                row.machine_translated = False
                by_model[type(row)].append(row)
    for translation_model, rows in by_model.items():
        bulk_update_with_history(
            rows,
            translation_model,
            ["machine_translated"],
            default_user=user,
            default_change_reason=APPROVED,
        )
    if by_model:
        invalidate_after_commit()
    return sum(len(rows) for rows in by_model.values())
