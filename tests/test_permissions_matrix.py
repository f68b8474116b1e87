"""Who may open which page: every URL pattern, four kinds of visitor.

The patterns come from the URL resolver itself (the admin's and the
language-prefixed ones included), so a new page fails this test until its
expectation is written down here: one line in EXPECTED, or one line per
admin model in ADMIN_MODELS.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone, translation
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from alerts.models import Delivery, Notification, Subscription
from events.models import EventSlugRedirect, PostcodeCentre, Review
from feedback.models import Feedback
from planning.models import PassersByCount, PastDate, SchoolHoliday
from tests.accounts import force_login_verified
from tests.factories import (
    ContactCountFactory,
    FeedbackFactory,
    MaterialFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
    open_for_feedback,
)
from translations.models import MachineTranslationUsage

pytestmark = pytest.mark.django_db

LOGIN = "login"  # 302 to the admin's login page
VISITORS = ("anonymous", "staff", "coordinator", "superuser")
PUBLIC = (200, 200, 200, 200)
STAFF_ONLY = (LOGIN, 200, 403, 200)  # Mitarbeitende (and superusers)
COORDINATORS = (LOGIN, 403, 200, 200)  # Koordination (and superusers)
LOGGED_IN = (LOGIN, 200, 200, 200)

# Expected status per pattern, for (anonymous, staff, coordinator, superuser).
# Keyed by the pattern's name (with namespace), or by its route if unnamed.
EXPECTED = {
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "set_language": (302, 302, 302, 302),
    "choose_language": (302, 302, 302, 302),
    # Public pages (German without prefix, and under /en/).
    "imprint": PUBLIC,
    "privacy": PUBLIC,
    "accessibility": PUBLIC,
    "easy_read": PUBLIC,
    "events:upcoming": PUBLIC,
    "events:archive": PUBLIC,
    "events:embed": PUBLIC,
    "events:detail": PUBLIC,
    "events:event_ics": PUBLIC,
    "events:poster": PUBLIC,
    "events:share_card": PUBLIC,
    "events:calendar": PUBLIC,
    "events:calendar_district": PUBLIC,
    "events:calendar_category": PUBLIC,
    "events:atom": PUBLIC,
    "events:reviews_atom": PUBLIC,
    "feedback:form": PUBLIC,
    "feedback:thanks": PUBLIC,
    "feedback:questionnaire": PUBLIC,
    # E-mail alerts: the matrix's made-up token is a link that does not work.
    "alerts:subscribe": PUBLIC,
    "alerts:sent": PUBLIC,
    "alerts:confirm": (400, 400, 400, 400),
    "alerts:unsubscribe": (400, 400, 400, 400),
    # Staff on site and coordinators.
    "feedback:team": STAFF_ONLY,
    # Counting passers-by on site: staff and coordinators.
    "planning:passers_by": STAFF_ONLY,
    "feedback:overview": COORDINATORS,
    "feedback:event_report": COORDINATORS,
    "feedback:locations": COORDINATORS,
    "feedback:channels": COORDINATORS,
    "feedback:region": COORDINATORS,
    "audit:changes": COORDINATORS,
    "planning:overview": COORDINATORS,
    "planning:channels": COORDINATORS,
    # Translations for staff who may change events (the export without its
    # parameters shows the page with the form's errors).
    "translation_exchange:missing": STAFF_ONLY,
    "translation_exchange:export": STAFF_ONLY,
    "brand_css": PUBLIC,
    "robots_txt": PUBLIC,
    "sitemap": PUBLIC,
    "sitemap_section": PUBLIC,
    # The open data API (/api/v1/): public, read-only; an unknown address
    # under it is a JSON 404.
    "api:index": PUBLIC,
    "api:openapi": PUBLIC,
    "api:events": PUBLIC,
    "api:event": PUBLIC,
    "api:locations": PUBLIC,
    "api:districts": PUBLIC,
    "api:services": PUBLIC,
    "api:target_groups": PUBLIC,
    "api:not_found": (404, 404, 404, 404),
    # The second factor: anyone logged in may set up an app; the code page and
    # the recovery codes send those who have nothing to enter or see onwards.
    "staffauth:enrol": LOGGED_IN,
    "staffauth:verify": (LOGIN, 302, 302, 302),
    "staffauth:recovery_codes": (LOGIN, 302, 302, 302),
    "staffauth:new_recovery_codes": (LOGIN, 405, 405, 405),  # POST only
    "switch_jobcenter": (LOGIN, 405, 405, 405),  # POST only
    # The planning panel's fragment for the event form: for those who may add
    # or change events (400 without its place and time).
    "admin:events_event_planning_panel": (LOGIN, 400, 403, 400),
    # The admin's own pages.
    "admin:index": LOGGED_IN,
    "admin:login": (200, 302, 302, 302),
    # Logging out takes a POST; a visitor who is not logged in goes to the index.
    "admin:logout": (302, 405, 405, 405),
    "admin:password_change": LOGGED_IN,
    "admin:password_change_done": LOGGED_IN,
    "admin:autocomplete": (LOGIN, 403, 403, 403),  # 403 without its parameters
    "admin:jsi18n": LOGGED_IN,
    "admin:view_on_site": (LOGIN, 302, 302, 302),
    "admin:app_list": LOGGED_IN,
    "admin/(?P<url>.*)$": (LOGIN, 404, 404, 404),
    "admin:auth_user_password_change": (LOGIN, 403, 403, 200),
}

# What each role may do with a model in the admin: (Mitarbeitende, Koordination).
# Superusers may do everything.
NOTHING = frozenset()
VIEW = frozenset({"view"})
EVERYTHING = frozenset({"view", "add", "change", "delete"})
ADMIN_MODELS = {
    "auth.group": (NOTHING, NOTHING),
    "auth.user": (NOTHING, NOTHING),
    "events.district": (VIEW, VIEW),
    "events.targetgroup": (VIEW, VIEW),
    "events.serviceoffering": (VIEW, VIEW),
    "events.location": (EVERYTHING, VIEW),
    "events.material": (EVERYTHING, VIEW),
    "events.event": (EVERYTHING, VIEW),
    "events.eventslugredirect": (VIEW, VIEW),
    "events.review": (EVERYTHING, VIEW),
    # The installation's postcode centres (?plz=): corrected by superusers or
    # accounts given the permission itself, looked up by the roles.
    "events.postcodecentre": (VIEW, VIEW),
    # Staff type in and correct paper questionnaires; nobody deletes answers.
    "feedback.feedback": (frozenset({"view", "add", "change"}), VIEW),
    "feedback.contactcount": (EVERYTHING, VIEW),
    # Passers-by: staff correct counts; coordinators count on site, never edit.
    "planning.passersbycount": (EVERYTHING, VIEW),
    # Login records and second-factor devices: superusers only.
    "axes.accessattempt": (NOTHING, NOTHING),
    "axes.accesslog": (NOTHING, NOTHING),
    "axes.accessfailurelog": (NOTHING, NOTHING),
    "otp_totp.totpdevice": (NOTHING, NOTHING),
    "otp_static.staticdevice": (NOTHING, NOTHING),
    "translations.machinetranslationusage": (VIEW, VIEW),
    # Koordination keeps its own Jobcenter's details; the operator adds Jobcenters.
    "jobcenters.jobcenter": (NOTHING, frozenset({"view", "change"})),
    # Who works where: the operator decides, whatever permissions staff hold.
    "jobcenters.membership": (NOTHING, NOTHING),
    # E-mail alerts: the outbox and the dead-letter list, read-only; the task
    # queue itself for the operator only.
    "alerts.notification": (NOTHING, VIEW),
    "alerts.delivery": (NOTHING, VIEW),
    "django_tasks_database.dbtaskresult": (NOTHING, NOTHING),
    # Planning: what happened before; both roles import and correct it.
    "planning.pastdate": (EVERYTHING, VIEW),
    # The shipped school holidays: every staff member looks; editing needs the
    # model's permissions (superusers, or whom the operator gives them).
    "planning.schoolholiday": (VIEW, VIEW),
}
# Where a model's admin differs from the rule above.
ADMIN_EXCEPTIONS = {
    # Login records are written by logging in, never by hand.
    "admin:axes_accessattempt_add": (LOGIN, 403, 403, 403),
    "admin:axes_accesslog_add": (LOGIN, 403, 403, 403),
    "admin:axes_accessfailurelog_add": (LOGIN, 403, 403, 403),
    # Characters sent for machine translation are counted, never typed in.
    "admin:translations_machinetranslationusage_add": (LOGIN, 403, 403, 403),
    "admin:translations_machinetranslationusage_delete": (LOGIN, 403, 403, 403),
    # django-otp's pages to set up an app from the admin.
    # Hidden from everyone (OTP_ADMIN_HIDE_SENSITIVE_DATA): a key is its owner's.
    "admin:otp_totp_totpdevice_config": (LOGIN, 403, 403, 403),
    "admin:otp_totp_totpdevice_qrcode": (LOGIN, 403, 403, 403),
    # Written by publishing and by the workers, never by hand.
    **{
        f"admin:{model}_{view}": (LOGIN, 403, 403, 403)
        for model in (
            "alerts_notification",
            "alerts_delivery",
            "django_tasks_database_dbtaskresult",
        )
        for view in ("add", "delete")
    },
}
# Which right each admin view of a model needs.
ADMIN_VIEWS = {
    "changelist": {"view", "add", "change", "delete"},
    "add": {"add"},
    "change": {"view", "change"},
    "history": {"view", "change"},
    "delete": {"delete"},
    "simple_history": {"view", "change"},  # one recorded version (audit trail)
    "import": {"add"},  # a spreadsheet import (planning/admin_imports.py)
}
# django-parler's page to delete one language's texts of an object.
TRANSLATABLE = {"location", "serviceoffering", "material", "event", "review"}


def admin_model_expectations() -> dict[str, tuple]:
    expected = {}
    for label, rights in ADMIN_MODELS.items():
        app, model = label.split(".")
        for view, needs in ADMIN_VIEWS.items():
            by_role = tuple(200 if needs & right else 403 for right in rights)
            expected[f"admin:{app}_{model}_{view}"] = (LOGIN, *by_role, 200)
        if model in TRANSLATABLE:
            # The matrix's made-up language code is no translation: 404 for all
            # (parler looks the translation up before it checks the right).
            by_role = tuple(404 for _right in rights)
            expected[f"admin:{app}_{model}_delete_translation"] = (LOGIN, *by_role, 404)
        # The bare object address redirects to its change page.
        expected[f"admin/{app}/{model}/<path:object_id>/"] = (LOGIN, 302, 302, 302)
    return expected


@dataclass
class Pattern:
    key: str  # name, or route if unnamed
    route: str  # the full route, with the language prefix
    admin_model: str | None  # "events.event" for a model's admin pages


def walk(resolver, prefix="", namespaces=(), language=None):
    """Every URLPattern below resolver, with its full route and qualified name."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if isinstance(entry.pattern, LocalePrefixPattern):
                with translation.override(language or "de"):
                    part = entry.pattern.language_prefix
            else:
                part = str(entry.pattern)
            names = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry, prefix + part, names, language)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            key = ":".join((*namespaces, entry.name)) if entry.name else route[1:]
            match = re.match(r"/admin/(\w+)/(\w+)/", route)
            model = ".".join(match.groups()) if match else None
            yield Pattern(key=key, route=route, admin_model=model)


def all_patterns() -> list[Pattern]:
    patterns = list(walk(get_resolver(), "/"))
    seen = {p.route for p in patterns}
    # The language-prefixed pages once more, in English.
    patterns += [
        p for p in walk(get_resolver(), "/", language="en") if p.route not in seen
    ]
    return patterns


@pytest.fixture
def objects(staff_user, coordinator, jobcenter):
    """One object of every kind, for the path parameters."""
    event = open_for_feedback(services=[ServiceOfferingFactory()])
    event.target_groups.add(TargetGroupFactory())
    review = Review.objects.create(
        event=event, headline="Rückblick", lead="Kurz", body="<p>Text</p>"
    )
    # Not the staff user's: whoever has a device must give its code.
    device_owner = UserFactory(username="mit-geraet")
    subscription = Subscription.objects.create(email="a@example.org", language="de")
    return {
        "alerts.subscription": subscription,
        "alerts.notification": Notification.objects.create(event=event, kind="new"),
        "alerts.delivery": Delivery.objects.create(
            subscription=subscription, event=event, kind="new", claim="x"
        ),
        "django_tasks_database.dbtaskresult": DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="alerts.tasks.sweep",
            backend_name="default",
            run_after=timezone.now(),
        ),
        "auth.group": Group.objects.first(),
        "auth.user": staff_user,
        "events.district": event.location.district,
        "events.targetgroup": event.target_groups.first(),
        "events.serviceoffering": event.services.first(),
        "events.location": event.location,
        "events.material": MaterialFactory(),
        "events.event": event,
        "events.eventslugredirect": EventSlugRedirect.objects.create(
            event=event, old_slug="alter-name"
        ),
        "events.review": review,
        "events.postcodecentre": PostcodeCentre.objects.get_or_create(
            postcode="75175",
            defaults={"place": "Pforzheim", "latitude": 48.8915, "longitude": 8.7156},
        )[0],
        "feedback.feedback": FeedbackFactory(event=event, source=Feedback.Source.PAPER),
        "feedback.contactcount": ContactCountFactory(event=event),
        "planning.passersbycount": PassersByCount.objects.create(
            location=event.location, date=date(2026, 5, 4), hour=10, count=40
        ),
        # Staff security: login records and second-factor devices.
        "axes.accessattempt": AccessAttempt.objects.create(
            username="jemand", ip_address="192.0.2.1", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(
            username="jemand", ip_address="192.0.2.1"
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            username="jemand", ip_address="192.0.2.1", locked_out=False
        ),
        "otp_totp.totpdevice": TOTPDevice.objects.create(
            user=device_owner, name="Telefon"
        ),
        "otp_static.staticdevice": StaticDevice.objects.create(
            user=device_owner, name="Wiederherstellungscodes"
        ),
        "jobcenters.jobcenter": jobcenter,
        "jobcenters.membership": staff_user.memberships.first(),
        "planning.pastdate": PastDate.objects.create(
            location=event.location,
            start=event.start - timedelta(days=400),
            end=event.start - timedelta(days=400) + timedelta(hours=2),
            contacts=5,
        ),
        "planning.schoolholiday": SchoolHoliday.objects.first(),
        "translations.machinetranslationusage": MachineTranslationUsage.objects.create(
            month=date(2026, 1, 1), backend="deepl", characters=1200
        ),
    }


def path_values(pattern: Pattern, objects: dict) -> dict[str, str]:
    event = objects["events.event"]
    values = {
        "slug": event.slug,
        "code": event.short_code,
        "category": "berufliche-entwicklung",
        "pk": str(event.pk),
        "app_label": "events",
        "url": "unbekannt/",
        "content_type_id": str(ContentType.objects.get_for_model(event).pk),
        "object_id": str(event.pk),
        "id": str(objects["auth.user"].pk),
        "section": "termine",
        "token": "x",
    }
    if pattern.key.startswith("alerts:"):
        values["pk"] = str(objects["alerts.subscription"].pk)
    if pattern.key == "events:calendar_district":
        values["slug"] = event.location.district.slug
    if pattern.key == "choose_language":
        values["code"] = "ar"
    if pattern.admin_model in objects:
        obj = objects[pattern.admin_model]
        values["object_id"] = values["pk"] = str(obj.pk)
        if hasattr(obj, "history"):  # the audit trail's records of this object
            values["history_id"] = str(obj.history.latest().history_id)
    return values


def concrete_path(pattern: Pattern, objects: dict) -> str:
    values = path_values(pattern, objects)
    # The audit trail's view of one recorded version has unnamed groups.
    history = "([^/]+)/history/([^/]+)/"
    if history in pattern.route:
        pattern = Pattern(
            key=pattern.key,
            route=pattern.route.replace(history, "<object_id>/history/<history_id>/"),
            admin_model=pattern.admin_model,
        )
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], pattern.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], path)
    return path.replace("^", "").replace("$", "")


def outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        return LOGIN
    return response.status_code


def test_every_page_answers_each_role_as_expected(objects, staff_user, coordinator):
    expected = {**EXPECTED, **admin_model_expectations(), **ADMIN_EXCEPTIONS}
    clients = dict.fromkeys(VISITORS)
    for visitor, user in [
        ("anonymous", None),
        ("staff", staff_user),
        ("coordinator", coordinator),
        ("superuser", UserFactory(username="root", is_superuser=True)),
    ]:
        clients[visitor] = Client()
        if visitor in ("coordinator", "superuser"):
            # Both must use a second factor: log in as after giving the code.
            force_login_verified(clients[visitor], user)
        elif user is not None:
            clients[visitor].force_login(user)

    patterns = all_patterns()
    missing = sorted({p.key for p in patterns if p.key not in expected})
    assert not missing, (
        "No expectation for these URL patterns; add a line to EXPECTED or "
        f"ADMIN_MODELS in {__name__}: {missing}"
    )
    wrong = []
    for pattern in patterns:
        path = concrete_path(pattern, objects)
        for visitor, want in zip(VISITORS, expected[pattern.key], strict=True):
            got = outcome(clients[visitor].get(path))
            if got != want:
                wrong.append(f"{path} ({pattern.key}) as {visitor}: {got}, not {want}")
    assert not wrong, "\n".join(wrong)
