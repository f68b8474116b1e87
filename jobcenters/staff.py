"""Staff areas per Jobcenter: who may enter, and which Jobcenter one works in.

Public pages always belong to the Jobcenter of the host. In the staff areas
(the admin, /team/, /auswertung/) a user who works for several Jobcenters
chooses one; the choice is kept in the session and checked against their
memberships on every request (``jobcenters.middleware.StaffJobcenterMiddleware``).
"""

from django.db.models import Exists, OuterRef, Value
from django.utils.translation import get_language_from_path

from jobcenters.models import Jobcenter, Membership

# The session key of the chosen Jobcenter (its id).
SESSION_KEY = "_quartier_jobcenter"
# Staff areas: the admin (not translated) and the staff pages (with or
# without a language prefix).
ADMIN_PREFIX = "/admin/"
STAFF_PAGE_PREFIXES = ("/team/", "/auswertung/")


def without_language(path: str) -> str:
    """The path without a leading language prefix (/en/team/ → /team/)."""
    language = get_language_from_path(path)
    if language and path.startswith(f"/{language}/"):
        return path[len(language) + 1 :]
    return path


def is_staff_page(path: str) -> bool:
    """/team/ and /auswertung/ (in any language)."""
    return without_language(path).startswith(STAFF_PAGE_PREFIXES)


def is_staff_path(path: str) -> bool:
    return path.startswith(ADMIN_PREFIX) or is_staff_page(path)


def landing_path(path: str) -> str:
    """Where switching leads: the start of the area (an object of the other
    Jobcenter would not be found)."""
    if path.startswith(ADMIN_PREFIX):
        return ADMIN_PREFIX
    rest = without_language(path)
    prefix = path[: len(path) - len(rest)]
    area = next((area for area in STAFF_PAGE_PREFIXES if rest.startswith(area)), "/")
    return prefix + area


def jobcenters_for(user) -> list[Jobcenter]:
    """The Jobcenters a user may work in: their memberships (all for superusers).

    One query; each carries ``coordinates``: whether the user holds the role
    Koordination there (always for superusers).
    """
    if not user.is_authenticated or not user.is_active:
        return []
    coordinates = (
        Value(True)
        if user.is_superuser
        else Exists(
            Membership.objects.filter(
                user=user,
                jobcenter=OuterRef("pk"),
                role=Membership.Role.COORDINATION,
            )
        )
    )
    return list(
        Jobcenter.objects.for_user(user)
        .annotate(coordinates=coordinates)
        .order_by("name", "pk")
    )


def coordinates_several(request) -> bool:
    """Whether the user coordinates two or more Jobcenters (the regional view)."""
    available = getattr(request, "staff_jobcenters", None) or []
    return sum(1 for jobcenter in available if jobcenter.coordinates) >= 2


def working_jobcenter(request, host_jobcenter, available: list[Jobcenter]):
    """The Jobcenter the request works in: the session's choice, if still allowed.

    Without a valid choice it is the host's Jobcenter; a choice that is no
    longer allowed (membership removed) is forgotten.
    """
    chosen_id = request.session.get(SESSION_KEY)
    if chosen_id is not None:
        chosen = next((jc for jc in available if jc.pk == chosen_id), None)
        if chosen is not None:
            return host_jobcenter if chosen.pk == host_jobcenter.pk else chosen
        del request.session[SESSION_KEY]
    return host_jobcenter


def is_member(request) -> bool:
    """Whether the request's user works for the request's Jobcenter (or is superuser)."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    jobcenter = getattr(request, "jobcenter", None)
    available = getattr(request, "staff_jobcenters", None)
    if jobcenter is None:
        return False
    if available is None:
        return user.memberships.filter(jobcenter=jobcenter).exists()
    return any(jc.pk == jobcenter.pk for jc in available)


def choose(request, jobcenter: Jobcenter) -> None:
    request.session[SESSION_KEY] = jobcenter.pk
