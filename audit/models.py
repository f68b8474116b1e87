"""The audit trail: who changed what, when, with the old and new values.

Each tracked model is registered here with django-simple-history, so its
historical table lives in this app and ``events``, ``feedback`` and ``auth``
stay unaware of it (apart from the admin's "History" button). The request's
user is recorded by ``simple_history.middleware.HistoryRequestMiddleware``.
"""

import simple_history
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import (
    District,
    Event,
    Location,
    Material,
    MaterialHandout,
    Review,
    ReviewPhoto,
    ServiceOffering,
    TargetGroup,
)
from feedback.models import ReviewQuote
from jobcenters.models import Host, Jobcenter, Membership


class AuditTrail(models.Model):
    """No table: carries the permission to read the list of changes."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_changes", _("Can view the list of changes"))]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


def register(model, **options) -> None:
    simple_history.register(model, app="audit", **options)


# ``sequence`` is bumped in the database (an F() expression) on every save: a
# counter for calendar apps, not a change anyone made.
register(
    Event,
    excluded_fields=["sequence"],
    m2m_fields=["services", "target_groups", "responsible"],
)
register(Location)
register(ServiceOffering, m2m_fields=["target_groups"])
register(District)
register(TargetGroup)
register(Material)
register(MaterialHandout)
register(Review)
register(ReviewPhoto)
register(ReviewQuote)
# The texts in every language (django-parler keeps them in one table per model).
for translated in (Event, Location, ServiceOffering, Material, Review, ReviewPhoto):
    register(translated._parler_meta.root_model)
# Never the password hash, and no row per login: signals.py records a new
# password as the change reason and keeps logins out of the history.
register(
    get_user_model(),
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups"],
)
register(Group, m2m_fields=["permissions"])
# Who works for a Jobcenter in which role, its host names and its identity and
# legal details.
register(Jobcenter)
register(Host)
register(Membership)
