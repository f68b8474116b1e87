"""Isolation: every Jobcenter's rows are read only inside that Jobcenter's scope.

Built on django-scopes (pretix uses it for its organisers). A model owned by a
Jobcenter gets a ``jobcenter`` column (``owner_field()``) and a scoped manager
(``scoped_manager()``): inside ``jobcenter_scope(jc)`` every query of it is
filtered to that Jobcenter, outside any scope it raises ``ScopeError`` instead
of returning everyone's rows. Requests enter the scope of the Jobcenter their
host names (``jobcenters.middleware``); commands and jobs name theirs, or say
``scopes_disabled()`` where they work across Jobcenters on purpose.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopeError, get_scope, scope, scopes_disabled

__all__ = [
    "ScopeError",
    "active_jobcenter",
    "current_jobcenter_id",
    "jobcenter_scope",
    "owner_field",
    "scoped_manager",
    "scopes_disabled",
]

DIMENSION = "jobcenter"
# The Jobcenter instance a scope was entered with (a request's), if it was.
_active = ContextVar("active_jobcenter", default=None)


@contextmanager
def jobcenter_scope(jobcenter):
    """Queries inside read and write only this Jobcenter's rows (or these)."""
    if isinstance(jobcenter, (list, tuple, set)):
        value = [getattr(item, "pk", item) for item in jobcenter]
    else:
        value = getattr(jobcenter, "pk", jobcenter)
    token = _active.set(jobcenter if hasattr(jobcenter, "pk") else None)
    try:
        with scope(**{DIMENSION: value}):
            yield
    finally:
        _active.reset(token)


def active_jobcenter():
    """The Jobcenter instance the innermost scope was entered with, or None."""
    return _active.get()


def current_jobcenter_id() -> int | None:
    """The Jobcenter of the active scope, if exactly one is active."""
    value = get_scope().get(DIMENSION)
    return value if isinstance(value, int) else None


def scoped_manager(queryset_class=models.QuerySet, path: str = DIMENSION):
    """A manager whose querysets keep to the active Jobcenter (through ``path``).

    As django-scopes' ScopedManager, with one difference: a queryset made
    outside any scope (a form field's choices, written at import time) is not
    refused at once but when it is run; it then takes the scope active at that
    moment, or raises ``ScopeError`` if there is none.
    """
    scoped_class = _scoped_querysets.get(queryset_class)
    if scoped_class is None:
        scoped_class = type(
            f"Scoped{queryset_class.__name__}",
            (ScopedQuerySetMixin, queryset_class),
            {},
        )
        _scoped_querysets[queryset_class] = scoped_class
    manager_class = type(
        f"Scoped{queryset_class.__name__}Manager",
        (ScopedManagerMixin, models.Manager.from_queryset(scoped_class)),
        {"scope_path": path},
    )
    return manager_class()


_scoped_querysets: dict[type, type] = {}
_PENDING = "_scope_pending"


def _scope_filter(path: str):
    """The filter of the active scope: a Q, None when scopes are off, or raise."""
    state = get_scope()
    if not state.get("_enabled", True):
        return None
    if DIMENSION not in state:
        raise ScopeError(
            "A Jobcenter's scope must be active for this query "
            "(jobcenters.scoping.jobcenter_scope)."
        )
    value = state[DIMENSION]
    if isinstance(value, (list, tuple)):
        return models.Q(**{f"{path}__in": value})
    return models.Q(**{path: value})


class ScopedManagerMixin:
    scope_path = DIMENSION

    def get_queryset(self):
        queryset = super().get_queryset()
        state = get_scope()
        if state.get("_enabled", True) and DIMENSION not in state:
            setattr(queryset, _PENDING, self.scope_path)
            return queryset
        condition = _scope_filter(self.scope_path)
        return queryset if condition is None else queryset.filter(condition)


class ScopedQuerySetMixin:
    """Applies a pending scope before the query runs (see scoped_manager)."""

    def _clone(self):
        clone = super()._clone()
        setattr(clone, _PENDING, getattr(self, _PENDING, None))
        return clone

    def _settle_scope(self):
        path = getattr(self, _PENDING, None)
        if path is None:
            return
        condition = _scope_filter(path)
        if condition is not None:
            self.query.add_q(condition)
        setattr(self, _PENDING, None)

    def _fetch_all(self):
        if self._result_cache is None:
            self._settle_scope()
        super()._fetch_all()

    def resolve_expression(self, *args, **kwargs):
        self._settle_scope()
        return super().resolve_expression(*args, **kwargs)


def _settling(name):
    def method(self, *args, **kwargs):
        self._settle_scope()
        return getattr(super(ScopedQuerySetMixin, self), name)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in (
    "count",
    "exists",
    "contains",
    "aggregate",
    "iterator",
    "update",
    "_update",
    "delete",
    "_raw_delete",
    "explain",
    "in_bulk",
):
    setattr(ScopedQuerySetMixin, _name, _settling(_name))
ScopedQuerySetMixin.delete.queryset_only = True
ScopedQuerySetMixin._update.queryset_only = False


def owner_field(**kwargs):
    """The owning Jobcenter: set from the active scope when a row is made."""
    return models.ForeignKey(
        "jobcenters.Jobcenter",
        on_delete=models.PROTECT,
        default=current_jobcenter_id,
        editable=False,
        related_name="+",
        verbose_name=_("Jobcenter"),
        **kwargs,
    )
