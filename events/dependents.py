"""What refers to a row, counted generically over the model's relations.

Deleting a target group, a service, a location or a district changes the rows
that point at it: feedback answers become "no answer" (SET_NULL), events lose a
service (many-to-many), or the deletion is refused (PROTECT). The admin's
confirmation page names these numbers. The relations are read from
``Model._meta.related_objects``, so ``events`` counts the feedback app's rows
without importing it.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dependent:
    relation: str  # "feedback.feedback.target_group": model and field
    label: str
    count: int
    effect: str


def effect(relation) -> str:
    if relation.many_to_many:
        return _("the link is removed")
    on_delete = relation.on_delete
    if on_delete is models.PROTECT or on_delete is models.RESTRICT:
        return _("prevents deleting")
    if on_delete is models.SET_NULL:
        return _("becomes “no answer”")
    if on_delete is models.CASCADE:
        return _("is deleted too")
    return _("is changed")


def dependents(obj: models.Model) -> list[Dependent]:
    """Rows of other models that refer to obj, one count per relation (none if 0)."""
    result = []
    for relation in obj._meta.related_objects:
        model = relation.related_model
        count = model._base_manager.filter(**{relation.field.name: obj}).count()
        if count:
            result.append(
                Dependent(
                    relation=f"{model._meta.label_lower}.{relation.field.name}",
                    label=capfirst(
                        f"{model._meta.verbose_name_plural} "
                        f"({relation.field.verbose_name})"
                    ),
                    count=count,
                    effect=str(effect(relation)),
                )
            )
    return result
