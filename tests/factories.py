from datetime import datetime, time, timedelta

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.models import (
    District,
    Event,
    Location,
    Material,
    MaterialHandout,
    ServiceOffering,
    TargetGroup,
)
from feedback.models import ContactCount, Feedback
from jobcenters.models import ROLE_GROUPS, Jobcenter, Membership
from jobcenters.scoping import current_jobcenter_id

GROUP_ROLES = {group: role for role, group in ROLE_GROUPS.items()}


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Stadtteil {n}")
    slug = factory.Sequence(lambda n: f"stadtteil-{n}")


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Treffpunkt {n}")
    street = factory.Sequence(lambda n: f"Hauptstraße {n}")
    postcode = "75175"
    city = "Pforzheim"
    district = factory.SubFactory(DistrictFactory)


class TargetGroupFactory(DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Zielgruppe {n}")
    slug = factory.Sequence(lambda n: f"zielgruppe-{n}")


class ServiceOfferingFactory(DjangoModelFactory):
    class Meta:
        model = ServiceOffering

    category = ServiceOffering.Category.CAREER_DEVELOPMENT
    title = factory.Sequence(lambda n: f"Angebot {n}")
    description = "Beratung vor Ort."


def next_week_at(hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=7)
    return timezone.make_aware(datetime.combine(day, time(hour)))


class EventFactory(DjangoModelFactory):
    """An event a week from now, 10:00–14:00, at its own location."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(status=Event.Status.PUBLISHED)
        cancelled = factory.Trait(status=Event.Status.CANCELLED)

    title = factory.Sequence(lambda n: f"Jobcenter im Quartier {n}")
    motto = "Wir für Sie"
    location = factory.SubFactory(LocationFactory)
    start = factory.LazyFunction(lambda: next_week_at(10))
    end = factory.LazyAttribute(lambda e: e.start + timedelta(hours=4))
    description = "Persönliche Beratung ohne Termin."
    languages = factory.LazyFunction(lambda: ["de", "tr"])
    status = Event.Status.DRAFT

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_groups.set(extracted)


class MaterialFactory(DjangoModelFactory):
    class Meta:
        model = Material

    title = factory.Sequence(lambda n: f"Flyer {n}")
    kind = Material.Kind.FLYER
    language = "de"


class MaterialHandoutFactory(DjangoModelFactory):
    class Meta:
        model = MaterialHandout

    event = factory.SubFactory(EventFactory)
    material = factory.SubFactory(MaterialFactory)
    brought = 100
    handed_out = 40


class FeedbackFactory(DjangoModelFactory):
    class Meta:
        model = Feedback
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory, published=True)
    submitted_at = factory.LazyFunction(timezone.now)
    rating_overall = 4

    @factory.post_generation
    def services_of_interest(self, create, extracted, **kwargs):
        if create and extracted:
            self.services_of_interest.set(extracted)


class ContactCountFactory(DjangoModelFactory):
    class Meta:
        model = ContactCount

    event = factory.SubFactory(EventFactory, published=True)
    quantity = 1


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """Roles named as groups: held in the Jobcenter of the test's scope."""
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
            jobcenter_id = current_jobcenter_id()
            for group in extracted:
                role = GROUP_ROLES.get(group)
                if role and jobcenter_id:
                    Membership.objects.get_or_create(
                        user=self, jobcenter_id=jobcenter_id, role=role
                    )


def first_jobcenter() -> Jobcenter:
    """The installation's first Jobcenter (made again after a flushed test)."""
    first = Jobcenter.objects.order_by("pk").first()
    if first is None:
        first = Jobcenter.objects.create(
            name=settings.ORGANISATION_NAME, slug="jobcenter-pforzheim"
        )
    return first


def open_for_feedback(**kwargs) -> Event:
    """A published event that started an hour ago: its feedback form is open."""
    start = timezone.now() - timedelta(hours=1)
    return EventFactory(
        published=True, start=start, end=start + timedelta(hours=4), **kwargs
    )


def feedback_form_data(event: Event, **answers) -> dict:
    """What a visitor's browser sends: valid answers and a start time a minute ago."""
    from feedback.forms import fill_token

    a_minute_ago = (timezone.now() - timedelta(minutes=1)).timestamp()
    data = {
        "rating_overall": "4",
        "started": fill_token(event.short_code, issued_at=a_minute_ago),
    }
    data.update(answers)
    return data
