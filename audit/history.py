"""The audit trail of one Jobcenter: historical rows kept to the active scope.

django-simple-history's tables are not scoped: a historical row of an event
keeps the event's ``jobcenter`` column, but nothing filters by it. Every read
of the audit trail (the list of changes, the admin's History pages, the texts'
history) goes through ``history_of()``, which keeps to the Jobcenter of the
active scope:

- a row of an owned model by its own ``jobcenter`` column;
- a text in one language (a translation row) through the history of the
  object it translates, so the texts of a deleted object stay findable;
- a row scoped through another (a review's visitor quote) through the
  history of that one;
- a staff account only if it holds a Membership in the Jobcenter (the
  operator, a superuser, sees every account);
- the roles (Django groups) are the installation's and shared by all;
- the Jobcenter's own record (name, legal details) is its own.

A tracked model that fits none of these is refused, so a new one needs a rule.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django_scopes import get_scope
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

from jobcenters.models import Jobcenter
from jobcenters.scoping import DIMENSION, ScopeError

# Installation-wide: the same for every Jobcenter.
SHARED = (Group,)


def active_jobcenters() -> list[int] | None:
    """The ids of the active scope; None when scopes are disabled."""
    state = get_scope()
    if not state.get("_enabled", True):
        return None
    if DIMENSION not in state:
        raise ScopeError("The audit trail is read inside a Jobcenter's scope.")
    value = state[DIMENSION]
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def history_of(model, *, every_account: bool = False) -> QuerySet:
    """The historical rows of ``model`` the active Jobcenter may read."""
    return visible(
        get_history_model_for_model(model).objects.all(),
        model,
        every_account=every_account,
    )


def visible(rows: QuerySet, model, *, every_account: bool = False) -> QuerySet:
    """Of these historical rows of ``model``, those the active Jobcenter may read."""
    ids = active_jobcenters()
    if ids is None:
        return rows
    return rows.filter(_condition(model, ids, every_account))


def _condition(model, ids, every_account):
    from jobcenters.models import Membership

    history = get_history_model_for_model(model)
    field_names = {f.name for f in history._meta.fields}
    if "jobcenter" in field_names:
        return Q(jobcenter_id__in=ids)
    master = next((f for f in model._meta.fields if f.name == "master"), None)
    if master is not None:
        return Exists(history_of(master.related_model).filter(id=OuterRef("master_id")))
    path = getattr(type(model._default_manager), "scope_path", None)
    if path and path.endswith("__jobcenter") and path.count("__") == 1:
        owner = model._meta.get_field(path.split("__")[0])
        return Exists(
            history_of(owner.related_model).filter(id=OuterRef(owner.attname))
        )
    if model is get_user_model():
        if every_account:
            return Q()
        return Exists(
            Membership.objects.filter(user_id=OuterRef("id"), jobcenter_id__in=ids)
        )
    if model in SHARED:
        return Q()
    if model is Jobcenter:
        return Q(id__in=ids)
    raise ImproperlyConfigured(
        f"audit.history has no rule for whose history of {model._meta.label} "
        "a Jobcenter may read."
    )


class JobcenterHistoryAdmin(SimpleHistoryAdmin):
    """The admin's History pages, showing only the active Jobcenter's records."""

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        rows = super().get_history_queryset(
            request, history_manager, pk_name, object_id
        )
        return visible(rows, self.model, every_account=request.user.is_superuser)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        records = history_of(self.model, every_account=request.user.is_superuser)
        try:
            found = records.filter(
                **{self.model._meta.pk.attname: object_id, "history_id": version_id}
            ).exists()
        except (ValueError, ValidationError):
            found = False
        if not found:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)
