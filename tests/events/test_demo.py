from io import StringIO

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
    TargetGroup,
)
from jobcenters.models import Host, Jobcenter, Membership
from jobcenters.scoping import jobcenter_scope

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


def test_seed_demo_creates_one_account_per_role_with_debug_on(settings, jobcenter):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(users) == {
        "mitarbeit",
        "koordination",
        "mitarbeit-musterstadt",
        "koordination-musterstadt",
    }
    assert users["mitarbeit"].groups.get().name == "Mitarbeitende"
    assert users["koordination"].groups.get().name == "Koordination"
    assert users["mitarbeit"].check_password("quartier-mitarbeit")
    assert not any(u.is_superuser for u in users.values())
    second = Jobcenter.objects.get(slug="jobcenter-musterstadt")
    roles = set(Membership.objects.values_list("user__username", "jobcenter", "role"))
    assert roles == {
        ("mitarbeit", jobcenter.pk, "mitarbeitende"),
        ("koordination", jobcenter.pk, "koordination"),
        ("mitarbeit-musterstadt", second.pk, "mitarbeitende"),
        ("koordination-musterstadt", second.pk, "koordination"),
    }
    # What make run prints: each Jobcenter's address and its accounts.
    printed = out.getvalue()
    assert "Jobcenter Pforzheim at http://127.0.0.1:8000/" in printed
    assert "Jobcenter Musterstadt at http://localhost:8000/" in printed
    assert "koordination-musterstadt / quartier-koordination" in printed
    call_command("seed_demo", verbosity=0)
    assert Membership.objects.count() == 4


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


def second_jobcenter() -> Jobcenter:
    return Jobcenter.objects.get(slug="jobcenter-musterstadt")


def test_seed_demo_makes_two_jobcenters_on_their_hosts(jobcenter):
    seed()
    second = second_jobcenter()
    assert Jobcenter.objects.count() == 2
    assert Host.objects.get(name="127.0.0.1").jobcenter == jobcenter
    host = Host.objects.get(name="localhost")
    assert (host.jobcenter, host.is_primary) == (second, True)
    assert second.name == "Jobcenter Musterstadt"
    assert second.brand_color != jobcenter.brand_color
    second.full_clean()  # the colour reads against white


def test_each_demo_jobcenter_has_its_own_events(jobcenter):
    seed(events=20)
    first_slugs = set(Event.objects.values_list("slug", flat=True))
    with jobcenter_scope(second_jobcenter()):
        second_events = list(Event.objects.all())
        second_slugs = {event.slug for event in second_events}
        assert Event.objects.public().upcoming().count() == 6
        assert set(TargetGroup.objects.values_list("slug", flat=True)) == {
            "arbeitsuchende",
            "migration",
            "familien",
        }
        assert District.objects.count() == 3
        for event in second_events:
            event.full_clean()
            assert event.location.city == "Musterstadt"
    assert second_slugs and not first_slugs & second_slugs
    # The volume (--events) goes to the first Jobcenter only.
    assert sum(slug.startswith("volume-") for slug in first_slugs) == 20
    assert not any(slug.startswith("volume-") for slug in second_slugs)


def test_seed_demo_twice_duplicates_nothing_in_the_second_jobcenter():
    seed()
    with jobcenter_scope(second_jobcenter()):
        before = [*counts(), ServiceOffering.objects.count()]
    seed()
    assert Jobcenter.objects.count() == 2
    with jobcenter_scope(second_jobcenter()):
        assert [*counts(), ServiceOffering.objects.count()] == before


def test_each_host_shows_its_jobcenter_s_name_and_dates_only(client):
    seed()
    second = client.get("/", HTTP_HOST="localhost")
    first = client.get("/", HTTP_HOST="127.0.0.1")
    assert second.status_code == first.status_code == 200
    second_html, first_html = second.content.decode(), first.content.decode()
    assert "Jobcenter Musterstadt" in second_html
    assert "Jobcenter Pforzheim" not in second_html
    assert "Jobcenter Pforzheim" in first_html
    assert "Jobcenter Musterstadt" not in first_html
    for district in ("Altstadt", "Hafenviertel", "Lindenhof"):
        assert f"Jobcenter im Quartier {district}" in second_html
        assert f"Jobcenter im Quartier {district}" not in first_html
    for district in ("Weststadt", "Nordstadt", "Haidach"):
        assert f"Jobcenter im Quartier {district}" in first_html
        assert f"Jobcenter im Quartier {district}" not in second_html


def test_seed_demo_first_only_makes_one_jobcenter(jobcenter):
    call_command("seed_demo", verbosity=0, first_only=True)
    assert list(Jobcenter.objects.all()) == [jobcenter]
    assert Event.objects.filter(slug=FIRST_EVENT_SLUG).exists()


def test_both_demo_jobcenters_have_example_legal_details(jobcenter):
    seed()
    for demo in (jobcenter, second_jobcenter()):
        demo.refresh_from_db()
        assert "Beispiel" in demo.legal_body
        assert demo.email == "quartier@example.org"
    assert second_jobcenter().city == "Musterstadt"
