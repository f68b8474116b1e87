"""Public data for the API's tests: every kind of row the API shows, and some it must not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, ServiceOffering
from tests.factories import (
    DistrictFactory,
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    next_week_at,
)


def translate(obj, code, *, machine=False, **fields):
    obj.set_current_language(code)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.machine_translated = machine
    obj.save()
    obj.set_current_language("de")
    return obj


@pytest.fixture
def public_data(db):
    """Two districts, two target groups, a service per category, upcoming and
    past events (published and cancelled), a draft, an archived district."""
    oststadt = DistrictFactory(name="Oststadt", slug="oststadt")
    nordstadt = DistrictFactory(name="Nordstadt", slug="nordstadt")
    DistrictFactory(name="Altes Viertel", slug="altes-viertel", archived=True)
    families = TargetGroupFactory(name="Familien", slug="familien")
    youth = TargetGroupFactory(name="Junge Menschen", slug="junge-menschen")
    services = {
        category: ServiceOfferingFactory(category=category, title=f"Angebot {label}")
        for category, label in ServiceOffering.Category.choices
    }
    childcare = services[ServiceOffering.Category.CHILDCARE]
    childcare.target_groups.add(families)
    translate(childcare, "en", title="Childcare")
    werkstatt = LocationFactory(
        name="Quartierswerkstatt",
        district=oststadt,
        latitude="48.890000",
        longitude="8.710000",
        step_free=True,
    )
    markt = LocationFactory(name="Marktplatz", district=nordstadt)
    translate(werkstatt, "en", name="Neighbourhood workshop")

    upcoming = EventFactory(
        published=True,
        title="Sommerfest",
        location=werkstatt,
        services=[childcare, services[ServiceOffering.Category.CAREER_DEVELOPMENT]],
        target_groups=[families],
    )
    translate(upcoming, "en", title="Summer party", machine=True)
    cancelled = EventFactory(
        cancelled=True,
        title="Abgesagter Termin",
        location=markt,
        start=next_week_at(15),
        end=next_week_at(17),
        services=[services[ServiceOffering.Category.INTEGRATION_NETWORKS]],
        target_groups=[youth],
    )
    later = timezone.now() + timedelta(days=30)
    EventFactory(
        published=True,
        title="Später",
        location=markt,
        start=later,
        end=later + timedelta(hours=3),
    )
    past_start = timezone.now() - timedelta(days=20)
    past = EventFactory(
        published=True,
        title="Vorbei",
        location=werkstatt,
        start=past_start,
        end=past_start + timedelta(hours=4),
        services=[childcare],
    )
    draft = EventFactory(title="Entwurf GEHEIM", location=werkstatt)
    return {
        "oststadt": oststadt,
        "nordstadt": nordstadt,
        "families": families,
        "youth": youth,
        "services": services,
        "werkstatt": werkstatt,
        "markt": markt,
        "upcoming": upcoming,
        "cancelled": cancelled,
        "past": past,
        "draft": draft,
        "statuses": Event.Status,
    }
