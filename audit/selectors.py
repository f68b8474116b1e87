"""Reads of the audit trail: the coordinators' list of changes.

Every tracked model has its own historical table; the list reads them as one
(``UNION ALL``), newest first, and fetches the details of one page with a fixed
number of queries: the page itself, then per kind of object on the page its
records with their predecessors, their many-to-many snapshots and the names
the values refer to.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import (
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_model_for_model, get_m2m_reverse_field_name

from audit.apps import TRACKED_MODELS
from audit.history import history_of
from audit.reasons import label as reason_label

ACTIONS = {
    "+": _("created"),
    "~": _("changed"),
    "-": _("deleted"),
}
# The names of related rows, fetched with what their __str__ reads.
RELATED_SELECT = {
    "auth.permission": ("content_type",),
    "feedback.feedback": ("event",),
}
RELATED_PREFETCH = {
    "feedback.feedback": ("event__translations",),
}
VALUE_LENGTH = 80
ROW_FIELDS = ("history_id", "history_date", "history_type", "history_user_id", "id")


def tracked_models() -> dict[str, type[models.Model]]:
    """The tracked models by kind (their model name), in the order of the filter."""
    return {name: apps.get_model(app_label, name) for app_label, name in TRACKED_MODELS}


@dataclass(frozen=True)
class ChangeFilters:
    kind: str = ""
    user: int | None = None
    start: date | None = None
    end: date | None = None
    action: str = ""
    object_id: int | None = None
    # The operator sees every staff account's changes, a Jobcenter its members'.
    every_account: bool = False


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class Change:
    kind: str
    kind_label: str
    object_id: int
    object_label: str
    action: str
    action_label: str
    date: datetime
    user: str
    reason: str
    fields: list[FieldChange] = field(default_factory=list)
    admin_history_url: str = ""
    language: str = ""  # of a text: its translation row's language code


def changes(filters: ChangeFilters) -> QuerySet:
    """One row per recorded change (plain values), newest first."""
    models_by_kind = tracked_models()
    if filters.kind:
        # An object's texts are part of it: its translations' changes come along.
        models_by_kind = {
            kind: model
            for kind, model in models_by_kind.items()
            if kind in (filters.kind, f"{filters.kind}translation")
        }
    conditions = {}
    if filters.user is not None:
        conditions["history_user_id"] = filters.user
    if filters.action:
        conditions["history_type"] = filters.action
    if filters.object_id is not None:
        conditions["id"] = filters.object_id
    if filters.start:
        conditions["history_date__gte"] = start_of(filters.start)
    if filters.end:
        conditions["history_date__lt"] = start_of(filters.end + timedelta(days=1))
    parts = [
        recorded(model, every_account=filters.every_account)
        .filter(**by_object(model, conditions))
        .order_by()
        .values(*ROW_FIELDS)
        .annotate(kind=Value(kind, output_field=CharField()))
        for kind, model in models_by_kind.items()
    ]
    first, *others = parts
    return first.union(*others, all=True).order_by(
        "-history_date", "-history_id", "kind"
    )


def master_of(model):
    """The model a translation model translates, or None."""
    field = next((f for f in model._meta.fields if f.name == "master"), None)
    return field.related_model if field is not None else None


def recorded(model, *, every_account: bool = False) -> QuerySet:
    """A model's historical rows worth a line of their own, of this Jobcenter.

    Deleting an object deletes its texts with it: that is one change, shown
    as the object's deletion, not once more per language.
    """
    rows = history_of(model, every_account=every_account)
    master = master_of(model)
    if master is None:
        return rows
    deleted_with = get_history_model_for_model(master).objects.filter(
        id=OuterRef("master_id"), history_type="-"
    )
    return rows.exclude(Q(history_type="-") & Exists(deleted_with))


def by_object(model, conditions: dict) -> dict:
    """The filter for one model: a translation is found by the object it translates."""
    if "id" in conditions and master_of(model) is not None:
        conditions = {**conditions, "master_id": conditions["id"]}
        del conditions["id"]
    return conditions


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def describe(rows: list[dict]) -> list[Change]:
    """The page's rows with labels and the fields changed, old and new."""
    models_by_kind = tracked_models()
    ids_by_kind = defaultdict(list)
    for row in rows:
        ids_by_kind[row["kind"]].append(row["history_id"])
    records, previous, m2m = {}, {}, {}
    names = Names()
    for kind, ids in ids_by_kind.items():
        history = get_history_model_for_model(models_by_kind[kind])
        earlier = history.objects.filter(
            id=OuterRef("id"), history_id__lt=OuterRef("history_id")
        ).order_by("-history_id")
        current = history.objects.filter(history_id__in=ids).annotate(
            previous_id=Subquery(earlier.values("history_id")[:1])
        )
        current = {record.history_id: record for record in current}
        before = history.objects.in_bulk(
            [r.previous_id for r in current.values() if r.previous_id]
        )
        m2m[kind] = m2m_snapshots(history, [*current, *before])
        for history_id, record in current.items():
            records[kind, history_id] = record
            previous[kind, history_id] = before.get(record.previous_id)
            names.want_record(record, m2m[kind].get(history_id, {}))
        for record in before.values():
            names.want_record(record, m2m[kind].get(record.history_id, {}))
    names.want_users(row["history_user_id"] for row in rows)
    names.fetch()
    result = []
    for row in rows:
        kind = row["kind"]
        record = records[kind, row["history_id"]]
        model = models_by_kind[kind]
        before = previous[kind, row["history_id"]]
        # A text in one language is shown as a change of the object it belongs to.
        master = master_of(model)
        shown = master or model
        result.append(
            Change(
                kind=shown._meta.model_name,
                kind_label=capfirst(shown._meta.verbose_name),
                object_id=record.master_id if master else row["id"],
                object_label=object_label(record, names),
                action=row["history_type"],
                action_label=ACTIONS[row["history_type"]],
                date=row["history_date"],
                user=names.user(row["history_user_id"]),
                reason=reason_label(record.history_change_reason),
                fields=(
                    field_changes(record, before, m2m[kind], names)
                    if row["history_type"] == "~" and before is not None
                    else []
                ),
                language=record.language_code if master else "",
            )
        )
    return result


def text_changes(model, object_id: int, *, limit: int) -> list[Change]:
    """The latest changes to one object's texts (its translation rows), newest
    first, with the fields changed: a fixed number of queries."""
    if not is_translatable(model):
        return []
    texts = model._parler_meta.root_model
    kind = texts._meta.model_name
    if kind not in tracked_models():
        return []
    rows = (
        recorded(texts)
        .filter(master_id=object_id)
        .order_by("-history_date", "-history_id")
        .values(*ROW_FIELDS)
        .annotate(kind=Value(kind, output_field=CharField()))[:limit]
    )
    rows = list(rows)
    result = describe(rows)
    # A new text in a language: its first values are what changed.
    created = get_history_model_for_model(texts).objects.in_bulk(
        [row["history_id"] for row in rows if row["history_type"] == "+"]
    )
    names = Names()
    for change, row in zip(result, rows, strict=True):
        record = created.get(row["history_id"])
        if record is not None:
            change.fields = [
                FieldChange(
                    field=capfirst(model_field.verbose_name),
                    old="–",
                    new=names.value(model_field, getattr(record, model_field.attname)),
                )
                for model_field in shown_fields(record)
                if not refers_to_one(model_field)
                and model_field.name != "language_code"
                and getattr(record, model_field.attname) not in (None, "", False)
            ]
    return result


def m2m_snapshots(history, ids: list[int]) -> dict[int, dict[models.Field, set]]:
    """Per historical record, the related ids of each many-to-many field it keeps."""
    snapshots = defaultdict(dict)
    for m2m_field in history._history_m2m_fields:
        through = HistoricalRecords.m2m_models[m2m_field]
        target = get_m2m_reverse_field_name(m2m_field)
        for history_id in ids:
            snapshots[history_id][m2m_field] = set()
        pairs = through.objects.filter(history_id__in=ids).values_list(
            "history_id", f"{target}_id"
        )
        for history_id, related_id in pairs:
            snapshots[history_id][m2m_field].add(related_id)
    return snapshots


def shown_fields(record) -> list[models.Field]:
    """The fields a person changes: not the automatic ones (updated_at, sizes)."""
    return [f for f in record.tracked_fields if f.editable and not f.primary_key]


def field_changes(record, before, snapshots, names: "Names") -> list[FieldChange]:
    result = []
    for model_field in shown_fields(record):
        old = getattr(before, model_field.attname)
        new = getattr(record, model_field.attname)
        if old != new:
            result.append(
                FieldChange(
                    field=capfirst(model_field.verbose_name),
                    old=names.value(model_field, old),
                    new=names.value(model_field, new),
                )
            )
    old_sets = snapshots.get(before.history_id, {})
    for m2m_field, new in snapshots.get(record.history_id, {}).items():
        old = old_sets.get(m2m_field, set())
        if old != new:
            # Only what left and what came: a set of fifty permissions is no diff.
            target = m2m_field.related_model
            result.append(
                FieldChange(
                    field=gettext("%(field)s (removed → added)")
                    % {"field": capfirst(m2m_field.verbose_name)},
                    old=names.many(target, old - new),
                    new=names.many(target, new - old),
                )
            )
    return result


def is_translatable(model) -> bool:
    """Whether the model keeps its texts in translation rows (django-parler)."""
    return hasattr(model, "_parler_meta")


def refers_to_one(model_field: models.Field) -> bool:
    """A foreign key or a one-to-one field (a review quote's review): a row's id."""
    return model_field.many_to_one or model_field.one_to_one


def object_label(record, names: "Names") -> str:
    """What the changed row was, as its own __str__ says, without a query."""
    fks = {
        f.name: names.label(f.related_model, getattr(record, f.attname))
        for f in record.tracked_fields
        if refers_to_one(f)
    }
    model = record.instance_type
    if is_translatable(model):
        # Its names live in its translations, fetched with the others.
        return names.label(model, record.id)
    if "master" in fks:
        # A text in one language: named after the row it translates.
        return f"{fks['master']} ({record.language_code})"
    if model._meta.model_name == "materialhandout":
        return f"{fks['material']} – {fks['event']}"
    if model._meta.model_name == "reviewquote":
        return fks["review"]
    return str(record.instance)


class Names:
    """Names of the rows that values refer to, fetched once per model."""

    def __init__(self):
        self.wanted = defaultdict(set)
        self.found = {}

    def want_record(self, record, snapshot: dict) -> None:
        if is_translatable(record.instance_type):
            self.wanted[record.instance_type].add(record.id)
        for model_field in record.tracked_fields:
            value = getattr(record, model_field.attname)
            if refers_to_one(model_field) and value is not None:
                self.wanted[model_field.related_model].add(value)
        for m2m_field, ids in snapshot.items():
            self.wanted[m2m_field.related_model].update(ids)

    def want_users(self, ids) -> None:
        self.wanted[get_user_model()].update(pk for pk in ids if pk is not None)

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            if is_translatable(model):
                self.fetch_texts(model, ids)
                continue
            related = RELATED_SELECT.get(model._meta.label_lower, ())
            prefetch = RELATED_PREFETCH.get(model._meta.label_lower, ())
            if is_translatable(model):
                prefetch = (*prefetch, "translations")
            rows = (
                model._base_manager.select_related(*related)
                .prefetch_related(*prefetch)
                .in_bulk(ids)
            )
            for pk, obj in rows.items():
                self.found[model, pk] = str(obj)

    def fetch_texts(self, model, ids) -> None:
        """Names of translatable rows; a deleted one by its last German name."""
        rows = model._base_manager.prefetch_related("translations").in_bulk(ids)
        for pk, obj in rows.items():
            self.found[model, pk] = str(obj)
        gone = set(ids) - set(rows)
        if gone:
            texts = get_history_model_for_model(model._parler_meta.root_model)
            field = next(iter(model._parler_meta.get_translated_fields()))
            last = texts.objects.filter(
                master_id__in=gone, language_code=settings.LANGUAGE_CODE
            ).order_by("master_id", "-history_id")
            for pk, name in last.values_list("master_id", field):
                self.found.setdefault((model, pk), name)

    def label(self, model, pk) -> str:
        if pk is None:
            return "–"
        return self.found.get((model, pk), f"#{pk}")

    def user(self, pk) -> str:
        return self.label(get_user_model(), pk) if pk is not None else gettext("system")

    def many(self, model, ids: set) -> str:
        return ", ".join(sorted(self.label(model, pk) for pk in ids)) or "–"

    def value(self, model_field, value) -> str:
        if value is None or value == "":
            return "–"
        if refers_to_one(model_field):
            return self.label(model_field.related_model, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, datetime):
            return formats.localize(timezone.localtime(value))
        if isinstance(value, list):
            return ", ".join(str(item) for item in value) or "–"
        return Truncator(str(value)).chars(VALUE_LENGTH)
