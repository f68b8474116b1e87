import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from events.demo import FIRST_EVENT_SLUG
from events.models import (
    District,
    Event,
    Location,
    Material,
    MaterialHandout,
    ServiceOffering,
)

pytestmark = pytest.mark.django_db


def seed(**kwargs):
    call_command("seed_demo", verbosity=0, **kwargs)


def counts():
    return [
        model.objects.count()
        for model in (District, Location, Event, Material, MaterialHandout)
    ]


def test_seed_demo_fills_pforzheim_and_the_first_event():
    seed()
    assert set(District.objects.values_list("name", flat=True)) >= {
        "Oststadt",
        "Weststadt",
        "Nordstadt",
        "Südoststadt",
        "Innenstadt",
        "Brötzingen",
    }
    first = Event.objects.get(slug=FIRST_EVENT_SLUG)
    assert first.motto == "Wir für Sie"
    assert first.location.name == "Quartierswerkstatt, ehemalige Stadtgärtnerei"
    assert first.location.district.name == "Oststadt"
    assert first.start.date().isoformat() == "2024-07-23"
    assert Event.objects.public().upcoming().count() >= 12


def test_seed_demo_twice_duplicates_nothing():
    seed()
    before = counts()
    seed()
    assert counts() == before


def test_seed_demo_generates_volume_once():
    seed(events=50)
    assert Event.objects.filter(slug__startswith="volume-").count() == 50
    seed(events=50)
    assert Event.objects.filter(slug__startswith="volume-").count() == 50


def test_seeded_events_pass_validation():
    seed(events=30)
    for event in Event.objects.all():
        event.full_clean()


def test_seed_demo_creates_no_accounts_with_debug_off(settings):
    settings.DEBUG = False
    seed()
    assert not get_user_model().objects.exists()


def test_seed_demo_creates_one_account_per_role_with_debug_on(settings):
    settings.DEBUG = True
    seed()
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {"mitarbeit", "koordination"}
    assert users["mitarbeit"].groups.get().name == "Mitarbeitende"
    assert users["koordination"].groups.get().name == "Koordination"
    assert users["mitarbeit"].check_password("quartier-mitarbeit")
    assert not any(u.is_superuser for u in users.values())


def test_seed_demo_writes_the_review_of_the_first_event():
    seed()
    review = Event.objects.get(slug=FIRST_EVENT_SLUG).review
    assert review.status == "published"
    assert "Ohne euch ging es ganz vielen Leuten schlecht" in review.headline
    assert "persönliche Beratung" in review.body_html
    photo = review.photos.get()
    assert photo.credit == "Jobcenter Pforzheim"
    assert photo.alt_text
    seed()
    assert review.photos.count() == 1


def test_demo_events_and_services_speak_every_language_places_stay_german():
    seed()
    first = Event.objects.get(slug=FIRST_EVENT_SLUG)
    uk = first.get_translation("uk")
    assert "Oststadt" in uk.title and uk.motto == "Ми поруч із вами"
    assert uk.description.startswith("Jobcenter приходить")
    assert first.get_translation("de-x-ls").motto == "Wir sind für Sie da."
    service = ServiceOffering.objects.by_title().first()
    assert set(service.get_available_languages()) == {
        "de",
        "de-x-ls",
        "en",
        "tr",
        "ar",
        "uk",
        "ru",
        "fa",
    }
    # Places keep their German texts: the demo shows the marked fallback too.
    assert list(first.location.get_available_languages()) == ["de"]


def test_volume_events_two_in_three_translated():
    seed(events=30)
    volume = Event.objects.filter(slug__startswith="volume-")
    arabic = volume.filter(translations__language_code="ar").count()
    assert arabic == 20
    sample = volume.filter(translations__language_code="ar").first()
    assert sample.get_translation("ar").title.startswith("مركز العمل")
    seed(events=30)
    assert volume.filter(translations__language_code="ar").count() == 20
