"""Isolation as a guarantee: nothing of Jobcenter B is read or written on A's site.

Two Jobcenters, each with a full set of data; every text of B carries a marker
(``B-GEHEIM-<n>``). The test finds what it checks by itself:

- the models: every model whose default manager is scoped, every subclass of
  ``JobcenterOwned``, and every model that refers to the Jobcenter or to a
  scoped model without a scoped manager of its own (which fails, unless it is
  allowed below with a reason);
- the pages: every URL pattern of the resolver (as tests/test_permissions_matrix
  walks them), filled with B's identifiers and with A's, with query parameters
  naming B's objects, as a visitor, Mitarbeitende and Koordination of A.

No response on A's host may contain a marker of B.
"""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.test.utils import isolate_apps
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from alerts.models import Delivery, Notification, Subscription
from alerts.tokens import unsubscribe_token
from events.models import (
    Event,
    EventSlugRedirect,
    Material,
    MaterialHandout,
    Review,
    ReviewPhoto,
    ServiceOffering,
)
from events.roles import COORDINATION, STAFF
from feedback.models import ContactCount, Feedback, ReviewQuote
from jobcenters.hosts import forget_all
from jobcenters.models import Host, Jobcenter, JobcenterOwned
from jobcenters.scoping import ScopeError, jobcenter_scope, scopes_disabled
from planning.models import Announcement, EstimatorFit, PassersByCount, PastDate
from tests.accounts import force_login_verified
from tests.factories import (
    ContactCountFactory,
    DistrictFactory,
    EventFactory,
    FeedbackFactory,
    LocationFactory,
    MaterialFactory,
    MaterialHandoutFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
)
from tests.test_permissions_matrix import Pattern, all_patterns

pytestmark = pytest.mark.django_db

MARKER = "B-GEHEIM"
MARKED = re.compile(rb"B-GEHEIM-\d+")
HOST_A = "a.testserver"
HOST_B = "b.testserver"

# Models that refer to a Jobcenter or a scoped model but need no scoped manager
# of their own, each with the reason.
NOT_SCOPED = {
    "jobcenters.host": "the Jobcenter's own host names, read to find the Jobcenter",
    "jobcenters.membership": "who works where; read by the permission backend",
}
# Pages that answer a missing object with a server error (none: django-otp's
# device pages, which looked the device up before the right, are hidden by
# OTP_ADMIN_HIDE_SENSITIVE_DATA).
KNOWN_ERRORS: dict[str, str] = {}
# Translation tables (django-parler) are read through their master, which is
# scoped; historical tables (django-simple-history) through audit.selectors,
# which filters them by the Jobcenter (tested below, through the pages).


def is_scoped(model) -> bool:
    return hasattr(type(model._default_manager), "scope_path")


def is_derived(model) -> bool:
    """A translation row or a historical record: read through something scoped."""
    if model._meta.app_label == "audit" and model.__name__.startswith("Historical"):
        return True
    master = next((f for f in model._meta.fields if f.name == "master"), None)
    return master is not None and is_scoped(master.related_model)


def scoped_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if is_scoped(model) or issubclass(model, JobcenterOwned)
    ]


# ---------------------------------------------------------------- the data


class Marker:
    def __init__(self):
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"{MARKER}-{self.count}"


def text_fields(obj):
    for field in obj._meta.concrete_fields:
        if (
            isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, models.SlugField)
            and field.editable
            and not field.choices
            and field.name not in ("language_code", "language", "image")
            and (field.max_length is None or field.max_length >= 16)
        ):
            yield field


def mark_everything(rows, marker):
    """Every text of every row (and of its translations) gets a marker."""
    for row in rows:
        for field in text_fields(row):
            setattr(row, field.attname, marker())
        row.save()
        if hasattr(row, "translations"):
            for text in row.translations.all():
                for field in text_fields(text):
                    setattr(text, field.attname, marker())
                text.save()


def full_set(jobcenter, *, marker=None, prefix="a"):
    """Districts to contact counts: one of each, inside the Jobcenter's scope."""
    now = timezone.now()
    with jobcenter_scope(jobcenter):
        district = DistrictFactory(slug=f"{prefix}-bezirk", name=f"{prefix} Bezirk")
        group = TargetGroupFactory(slug=f"{prefix}-gruppe", name=f"{prefix} Gruppe")
        service = ServiceOfferingFactory(title=f"{prefix} Angebot")
        service.target_groups.add(group)
        location = LocationFactory(district=district, name=f"{prefix} Ort")
        past = now - timedelta(days=2)
        events = {
            status: EventFactory(
                title=f"{prefix} Termin {status}",
                status=status,
                location=location,
                services=[service],
                target_groups=[group],
            )
            for status in Event.Status.values
        }
        held = EventFactory(
            title=f"{prefix} Termin vorbei",
            published=True,
            location=location,
            start=past,
            end=past + timedelta(hours=4),
            services=[service],
            target_groups=[group],
        )
        today = EventFactory(
            title=f"{prefix} Termin heute",
            published=True,
            location=location,
            start=now - timedelta(hours=1),
            end=now + timedelta(hours=3),
            services=[service],
            target_groups=[group],
        )
        held.set_current_language("en")
        held.title = f"{prefix} event in English"
        held.save()
        held.set_current_language("de")
        material = MaterialFactory(title=f"{prefix} Flyer", service=service)
        handout = MaterialHandoutFactory(event=held, material=material)
        feedback = FeedbackFactory(
            event=held,
            comment=f"{prefix} Kommentar",
            may_publish=True,
            target_group=group,
            services_of_interest=[service],
        )
        for rating in (5, 4, 4, 3):
            FeedbackFactory(event=held, rating_overall=rating, target_group=group)
        today_feedback = FeedbackFactory(event=today, comment=f"{prefix} heute")
        count = ContactCountFactory(event=held, target_group=group, service=service)
        review = Review.objects.create(
            event=held,
            headline=f"{prefix} Rückblick",
            lead=f"{prefix} kurz",
            body=f"<p>{prefix} Text</p>",
            status=Review.Status.PUBLISHED,
            published_at=now - timedelta(days=1),
            show_figures=True,
        )
        photo = ReviewPhoto.objects.create(
            review=review,
            image="reviews/stand.jpg",
            width=1200,
            height=800,
            alt_text=f"{prefix} Foto",
            credit=f"{prefix} Fotograf",
        )
        quote = ReviewQuote.objects.create(review=review, feedback=feedback)
        redirect = EventSlugRedirect.objects.create(
            event=held, old_slug=f"{prefix}-alter-name"
        )
        staff = UserFactory(username=f"{prefix}-mitarbeiterin", groups=[STAFF])
        coordinator = UserFactory(
            username=f"{prefix}-koordinatorin", groups=[COORDINATION]
        )
        subscription = Subscription.objects.create(
            email=f"{prefix}@example.org",
            language="de",
            district=district,
            target_group=group,
            category="kinderbetreuung",
            consented_at=now,
        )
        delivery = Delivery.objects.create(
            subscription=subscription, event=held, kind="new", claim=prefix
        )
        notification, _new = Notification.objects.get_or_create(event=held, kind="new")
        past_date = PastDate.objects.create(
            location=location,
            start=past - timedelta(days=30),
            end=past - timedelta(days=30) + timedelta(hours=3),
            contacts=12,
            title=f"{prefix} alter Termin",
        )
        passers_by = PassersByCount.objects.create(
            location=location, date=past.date(), hour=10, minutes=15, count=40
        )
        announcement = Announcement.objects.create(
            event=events[Event.Status.PUBLISHED],
            channel=Announcement.Channel.POSTER,
            planned_for=now.date(),
            quantity=5,
            details=f"{prefix} Supermarkt",
        )
        fit = EstimatorFit.objects.create(
            data_version=prefix, fitted_at=now, observations=1, params={}
        )
        if marker is not None:
            staff.first_name, staff.last_name = marker(), marker()
            staff.save()
            mark_everything(
                [
                    district,
                    group,
                    service,
                    location,
                    *events.values(),
                    held,
                    today,
                    material,
                    feedback,
                    today_feedback,
                    review,
                    photo,
                    subscription,
                    delivery,
                    past_date,
                    announcement,
                ],
                marker,
            )
        return {
            "jobcenter": jobcenter,
            "events.district": district,
            "events.targetgroup": group,
            "events.serviceoffering": service,
            "events.location": location,
            "events.event": held,
            "today": today,
            "draft": events[Event.Status.DRAFT],
            "events.material": material,
            "events.materialhandout": handout,
            "events.review": review,
            "events.reviewphoto": photo,
            "feedback.reviewquote": quote,
            "events.eventslugredirect": redirect,
            "feedback.feedback": feedback,
            "feedback.contactcount": count,
            "alerts.subscription": subscription,
            "alerts.delivery": delivery,
            "alerts.notification": notification,
            "planning.pastdate": past_date,
            "planning.passersbycount": passers_by,
            "planning.announcement": announcement,
            "planning.estimatorfit": fit,
            "auth.user": staff,
            "staff": staff,
            "coordinator": coordinator,
        }


@pytest.fixture
def two(jobcenter, roles):
    """Jobcenter A (the tests' first, on testserver and a.testserver) and B."""
    a = jobcenter
    for name in ("testserver", HOST_A):
        Host.objects.get_or_create(jobcenter=a, name=name)
    b = Jobcenter.objects.create(name="Jobcenter B", slug="jobcenter-b")
    Host.objects.create(jobcenter=b, name=HOST_B, is_primary=True)
    forget_all()
    world_a = full_set(a, prefix="a")
    world_b = full_set(b, marker=Marker(), prefix="b")
    return world_a, world_b


# ---------------------------------------------------------------- the models


def unscoped_references(all_models) -> list[str]:
    """Fields that refer to a Jobcenter's rows from a model that is not scoped."""
    unscoped = []
    for model in all_models:
        if is_scoped(model) or is_derived(model):
            continue
        if model._meta.label_lower in NOT_SCOPED:
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if not field.concrete or not field.is_relation or related is None:
                continue
            if related is Jobcenter or is_scoped(related):
                unscoped.append(f"{model._meta.label}.{field.name}")
    return unscoped


def test_a_model_that_refers_to_a_jobcenter_has_a_scoped_manager():
    unscoped = unscoped_references(apps.get_models())
    assert not unscoped, (
        "These models refer to a Jobcenter's rows but their default manager is "
        "not scoped (jobcenters.scoping.scoped_manager): " + ", ".join(unscoped)
    )


@isolate_apps("events")
def test_the_check_fails_for_a_new_model_without_a_scoped_manager():
    from jobcenters.scoping import scoped_manager

    def owner():
        return models.ForeignKey(Jobcenter, on_delete=models.CASCADE, related_name="+")

    class Leaky(models.Model):  # noqa: DJ008
        jobcenter = owner()

        class Meta:
            app_label = "events"

    class LeakyNote(models.Model):  # noqa: DJ008
        event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "events"

    class Tight(models.Model):  # noqa: DJ008
        jobcenter = owner()
        objects = scoped_manager()

        class Meta:
            app_label = "events"

    assert unscoped_references([Leaky, LeakyNote, Tight]) == [
        "events.Leaky.jobcenter",
        "events.LeakyNote.event",
    ]


def test_the_check_finds_the_scoped_models():
    found = {model._meta.label_lower for model in scoped_models()}
    assert {
        "events.event",
        "events.location",
        "events.district",
        "feedback.feedback",
        "feedback.reviewquote",
        "feedback.feedbacktotals",
    } <= found
    for model in scoped_models():
        assert is_scoped(model), f"{model._meta.label} has no scoped manager"


def test_every_scoped_model_shows_no_row_of_another_jobcenter(two):
    world_a, world_b = two
    b = world_b["jobcenter"]
    with scopes_disabled():
        rows_of_b = {}
        for model in scoped_models():
            path = type(model._default_manager).scope_path
            rows_of_b[model] = set(
                model._default_manager.filter(**{path: b}).values_list("pk", flat=True)
            )
    empty = [m._meta.label for m, rows in rows_of_b.items() if not rows]
    # Every scoped model has rows of B, so "none of B's rows" means something.
    assert not empty, f"No rows of B made for: {empty}"
    with jobcenter_scope(world_a["jobcenter"]):
        for model, pks in rows_of_b.items():
            seen = set(model.objects.values_list("pk", flat=True))
            assert seen, model
            assert not seen & pks, f"{model._meta.label} shows rows of B"
            assert not model.objects.filter(pk__in=pks).exists()
            assert model.objects.filter(pk__in=pks).count() == 0


def test_outside_any_scope_every_scoped_model_refuses_to_answer(two):
    from django_scopes.state import state

    token = state.set({})  # no Jobcenter active, as outside a request
    try:
        for model in scoped_models():
            with pytest.raises(ScopeError):
                list(model.objects.all())
            with pytest.raises(ScopeError):
                model.objects.count()
    finally:
        state.reset(token)


# ---------------------------------------------------------------- the pages


def identifiers(world) -> dict[str, str]:
    event = world["events.event"]
    return {
        "slug": event.slug,
        "code": event.short_code,
        "category": "berufliche-entwicklung",
        "pk": str(event.pk),
        "app_label": "events",
        "url": "unbekannt/",
        "content_type_id": str(ContentType.objects.get_for_model(event).pk),
        "object_id": str(event.pk),
        "id": str(world["auth.user"].pk),
        "section": "termine",
        "token": "x",
    }


def path_for(pattern: Pattern, world) -> str:
    values = identifiers(world)
    if pattern.key == "events:calendar_district":
        values["slug"] = world["events.district"].slug
    if pattern.key == "choose_language":
        values["code"] = "ar"
    if pattern.key.startswith("alerts:"):
        values["pk"] = str(world["alerts.subscription"].pk)
    obj = world.get(pattern.admin_model)
    if obj is not None:
        values["object_id"] = values["pk"] = str(obj.pk)
        if hasattr(obj, "history"):
            with scopes_disabled():
                values["history_id"] = str(
                    get_history_model_for_model(type(obj))
                    .objects.filter(id=obj.pk)
                    .latest()
                    .history_id
                )
    else:
        values.setdefault("history_id", "1")
    route = pattern.route.replace(
        "([^/]+)/history/([^/]+)/", "<object_id>/history/<history_id>/"
    )
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], path)
    return path.replace("^", "").replace("$", "")


def query_naming(world) -> str:
    """Query parameters that name the world's objects, on any page."""
    event = world["events.event"]
    return urlencode(
        {
            "bezirk": world["events.district"].slug,
            "zielgruppe": world["events.targetgroup"].slug,
            "ort": world["events.location"].pk,
            "event": event.pk,
            "veranstaltung": event.pk,
            "person": world["staff"].pk,
            "art": "event",
            "objekt": event.pk,
            "q": MARKER,  # admin search: echoed, but finds nothing of B
        }
    )


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def clients_of_a(world_a) -> dict[str, Client]:
    clients = {"anonymous": Client(HTTP_HOST=HOST_A, raise_request_exception=False)}
    clients["staff"] = Client(HTTP_HOST=HOST_A, raise_request_exception=False)
    clients["staff"].force_login(world_a["staff"])
    clients["coordinator"] = Client(HTTP_HOST=HOST_A, raise_request_exception=False)
    force_login_verified(clients["coordinator"], world_a["coordinator"])
    return clients


def leaks(clients, paths, tolerated=frozenset()) -> list[str]:
    found = []
    for path in paths:
        for visitor, client in clients.items():
            response = client.get(path)
            body = body_of(response)
            if response.status_code >= 500 and path.split("?")[0] not in tolerated:
                found.append(f"{path} as {visitor}: {response.status_code}")
            elif match := MARKED.search(body):
                found.append(f"{path} as {visitor}: shows {match.group().decode()}")
    return found


@pytest.fixture
def world_clients(two):
    world_a, world_b = two
    return world_a, world_b, clients_of_a(world_a)


def test_no_page_of_a_shows_anything_of_b(world_clients):
    world_a, world_b, clients = world_clients
    patterns = all_patterns()
    paths, tolerated = set(), set()
    for pattern in patterns:
        for world in (world_a, world_b):
            path = path_for(pattern, world)
            paths.add(path)
            paths.add(f"{path}?{query_naming(world_b)}")
            if pattern.key in KNOWN_ERRORS:
                tolerated.add(path)
    # Pages that only show data with parameters: reports as CSV, each table.
    paths |= {
        "/auswertung/?format=csv",
        "/auswertung/?format=csv&tabelle=veranstaltungen",
        "/auswertung/?druck=1",
        "/auswertung/aenderungen/?art=user",
        "/auswertung/aenderungen/?art=group",
        f"/team/?veranstaltung={world_a['today'].pk}",
        # The admin's search-as-you-type lists (their term is not echoed).
        *(
            f"/admin/autocomplete/?app_label=events&model_name={model}"
            f"&field_name={field}&term={term}"
            for model, field in (
                ("event", "location"),
                ("materialhandout", "material"),
                ("review", "event"),
            )
            for term in ("", MARKER)
        ),
    }
    wrong = leaks(clients, sorted(paths), tolerated)
    assert not wrong, "\n".join(wrong)


def test_pages_of_b_are_not_found_on_a(world_clients):
    _world_a, world_b, clients = world_clients
    event = world_b["events.event"]
    paths = [
        f"/veranstaltungen/{event.slug}/",
        f"/veranstaltungen/{event.slug}.ics",
        f"/veranstaltungen/{event.slug}/plakat/",
        f"/veranstaltungen/{world_b['events.eventslugredirect'].old_slug}/",
        f"/f/{event.short_code}/",
        f"/f/{world_b['today'].short_code}/",
        f"/kalender/bezirk/{world_b['events.district'].slug}.ics",
        f"/api/v1/events/{event.slug}",
        f"/api/v1/events/{world_b['events.eventslugredirect'].old_slug}",
        f"/team/?veranstaltung={world_b['today'].pk}",
        # B's subscriber's own unsubscribe link, valid, on A's host.
        "/benachrichtigungen/abmelden/{}/{}/".format(
            world_b["alerts.subscription"].pk,
            unsubscribe_token(world_b["alerts.subscription"]),
        ),
    ]
    for path in paths:
        response = clients["anonymous"].get(path)
        if path.startswith("/team/"):
            response = clients["staff"].get(path)
        assert response.status_code == 404, (
            path,
            re.sub(r"\s+", " ", response.content.decode())[-2500:],
        )
    # A's host deleted nothing of B.
    with scopes_disabled():
        assert Subscription.objects.filter(
            pk=world_b["alerts.subscription"].pk
        ).exists()
    response = clients["anonymous"].post(paths[-1])
    assert response.status_code == 404
    with scopes_disabled():
        assert Subscription.objects.filter(
            pk=world_b["alerts.subscription"].pk
        ).exists()
    for label in ("events.event", "events.location", "feedback.feedback"):
        app, model = label.split(".")
        pk = world_b[label].pk
        for view in ("change", "history", "delete"):
            response = clients["coordinator"].get(f"/admin/{app}/{model}/{pk}/{view}/")
            # The admin sends those asking for a missing object to its index.
            assert response.status_code in (302, 403, 404), (label, view)


def test_b_answers_on_its_own_host(two):
    """The counter-check: B's markers are found on B's host, so the search works."""
    _world_a, world_b = two
    client = Client(HTTP_HOST=HOST_B)
    response = client.get(world_b["events.event"].get_absolute_url())
    assert response.status_code == 200
    assert MARKED.search(response.content)
    client.force_login(world_b["coordinator"])
    force_login_verified(client, world_b["coordinator"])
    response = client.get("/auswertung/aenderungen/")
    assert MARKED.search(response.content)


# ---------------------------------------------------------------- the forms


def admin_post(client, path, data):
    response = client.post(path, data)
    assert response.status_code in (200, 302, 403)
    return response


def test_forms_refuse_objects_of_b(world_clients):
    world_a, world_b, clients = world_clients
    staff = clients["staff"]
    event_b, event_a = world_b["events.event"], world_a["events.event"]
    with scopes_disabled():
        before = {
            model: model._default_manager.count()
            for model in (Event, MaterialHandout, ContactCount, Feedback, Review)
        }
    admin_post(
        staff,
        "/admin/events/event/add/",
        {
            "title": "Neu",
            "location": world_b["events.location"].pk,
            "services": [world_b["events.serviceoffering"].pk],
            "target_groups": [world_b["events.targetgroup"].pk],
            "status": "draft",
            "handouts-TOTAL_FORMS": "1",
            "handouts-INITIAL_FORMS": "0",
            "handouts-0-material": world_b["events.material"].pk,
            "handouts-0-brought": "10",
        },
    )
    admin_post(
        staff,
        "/admin/feedback/contactcount/add/",
        {
            "event": event_b.pk,
            "target_group": world_b["events.targetgroup"].pk,
            "service": world_b["events.serviceoffering"].pk,
            "quantity": "1",
            "counted_at_0": "2026-01-01",
            "counted_at_1": "10:00",
        },
    )
    admin_post(
        staff,
        "/admin/feedback/contactcount/add/",
        {
            "event": event_a.pk,
            "target_group": world_b["events.targetgroup"].pk,
            "quantity": "1",
            "counted_at_0": "2026-01-01",
            "counted_at_1": "10:00",
        },
    )
    admin_post(
        staff,
        "/admin/feedback/feedback/add/",
        {
            "event": event_b.pk,
            "rating_overall": "4",
            "services_of_interest": [world_b["events.serviceoffering"].pk],
        },
    )
    admin_post(
        staff,
        "/admin/events/review/add/",
        {"event": event_b.pk, "headline": "x", "lead": "y", "status": "draft"},
    )
    # The counting page and the public form, with B's numbers.
    staff.post(
        "/team/",
        {
            "event": world_b["today"].pk,
            "action": "count",
            "target_group": world_b["events.targetgroup"].pk,
        },
    )
    staff.post(
        "/team/",
        {
            "event": world_a["today"].pk,
            "action": "count",
            "target_group": world_b["events.targetgroup"].pk,
            "service": world_b["events.serviceoffering"].pk,
        },
    )
    with scopes_disabled():
        after = {
            model: model._default_manager.count()
            for model in (Event, MaterialHandout, ContactCount, Feedback, Review)
        }
        assert after == before
        # Nothing of A refers to anything of B.
        b = world_b["jobcenter"]
        for model in scoped_models():
            if not issubclass(model, JobcenterOwned):
                continue
            for field in model._meta.concrete_fields:
                related = field.related_model
                if not field.is_relation or related is Jobcenter or related is None:
                    continue
                if not issubclass(related, JobcenterOwned):
                    continue
                crossing = model._default_manager.exclude(jobcenter=b).filter(
                    **{f"{field.name}__jobcenter": b}
                )
                assert not crossing.exists(), f"{model._meta.label}.{field.name}"


def test_public_feedback_form_refuses_b_services(world_clients):
    from tests.factories import feedback_form_data

    world_a, world_b, clients = world_clients
    today = world_a["today"]
    with jobcenter_scope(world_a["jobcenter"]):
        before = Feedback.objects.count()
    data = feedback_form_data(
        today,
        services_of_interest=[world_b["events.serviceoffering"].pk],
        target_group=world_b["events.targetgroup"].pk,
    )
    response = clients["anonymous"].post(f"/f/{today.short_code}/", data)
    assert response.status_code in (200, 400)
    with jobcenter_scope(world_a["jobcenter"]):
        assert Feedback.objects.count() == before


def test_model_check_refuses_references_across_jobcenters(two):
    from django.core.exceptions import ValidationError

    world_a, world_b = two
    with jobcenter_scope(world_a["jobcenter"]):
        for row in (
            MaterialHandout(
                event=world_a["events.event"],
                material=world_b["events.material"],
                brought=1,
            ),
            ContactCount(event=world_b["events.event"], quantity=1),
            Feedback(event=world_b["events.event"], rating_overall=3),
            Material(
                title="x", kind="flyer", service=world_b["events.serviceoffering"]
            ),
        ):
            with pytest.raises(ValidationError) as error:
                row.full_clean()
            assert "other_jobcenter" in str(error.value.error_dict) or any(
                e.code == "other_jobcenter"
                for errors in error.value.error_dict.values()
                for e in errors
            )


def test_user_model_is_not_scoped_but_members_only():
    """Users are installation-wide; who may appear is decided by Membership."""
    assert not is_scoped(get_user_model())


def test_admin_actions_do_not_reach_objects_of_b(world_clients):
    """Every action of every admin, posted with B's ids, changes nothing of B."""
    from django.contrib import admin

    _world_a, world_b, clients = world_clients
    with scopes_disabled():
        before = {
            model: list(model._default_manager.values())
            for model in (Event, Material, ServiceOffering, Review)
        }
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        # A draft, so "publish" would change it if it reached it.
        obj = world_b["draft"] if label == "events.event" else world_b.get(label)
        if obj is None:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for name in model_admin.actions or []:
            for visitor in ("staff", "coordinator"):
                response = clients[visitor].post(
                    url,
                    {"action": name, "_selected_action": [obj.pk], "post": "yes"},
                )
                assert response.status_code < 500, (url, name, visitor)
                assert not MARKED.search(body_of(response)), (url, name, visitor)
        for name in ("draft_machine_translations", "export_for_translation"):
            response = clients["staff"].post(
                url, {"action": name, "_selected_action": [obj.pk]}
            )
            assert response.status_code < 500, (url, name)
            assert not MARKED.search(body_of(response)), (url, name)
    with scopes_disabled():
        after = {
            model: list(model._default_manager.values())
            for model in (Event, Material, ServiceOffering, Review)
        }
    assert after == before


def test_the_admin_autocomplete_offers_only_a(world_clients):
    world_a, world_b, clients = world_clients
    response = clients["staff"].get(
        "/admin/autocomplete/",
        {"app_label": "events", "model_name": "event", "field_name": "location"},
    )
    assert response.status_code == 200
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert world_a["events.location"].pk in ids
    assert world_b["events.location"].pk not in ids
