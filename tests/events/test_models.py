from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import (
    Event,
    EventSlugRedirect,
    Location,
    Material,
    ServiceOffering,
)
from jobcenters.models import Jobcenter
from jobcenters.scoping import jobcenter_scope
from tests.factories import (
    EventFactory,
    LocationFactory,
    MaterialFactory,
    MaterialHandoutFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db


def test_end_before_start_is_refused_with_a_german_message():
    event = EventFactory.build(location=LocationFactory())
    event.end = event.start - timedelta(hours=1)
    with pytest.raises(ValidationError, match="Das Ende muss nach dem Beginn liegen"):
        event.full_clean()


def test_end_equal_to_start_is_refused_by_the_database():
    event = EventFactory()
    event.end = event.start
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_overlapping_events_at_one_location_are_refused():
    first = EventFactory(title="Sprechstunde")
    clash = EventFactory.build(
        location=first.location,
        start=first.start + timedelta(hours=1),
        end=first.end + timedelta(hours=1),
    )
    with pytest.raises(ValidationError, match=r"bereits belegt.*Sprechstunde"):
        clash.full_clean()


def test_back_to_back_events_at_one_location_are_fine():
    first = EventFactory()
    after = EventFactory.build(
        location=first.location, start=first.end, end=first.end + timedelta(hours=2)
    )
    after.full_clean()


def test_a_cancelled_event_does_not_block_its_slot():
    cancelled = EventFactory(cancelled=True)
    replacement = EventFactory.build(
        location=cancelled.location, start=cancelled.start, end=cancelled.end
    )
    replacement.full_clean()


def test_events_at_the_same_time_elsewhere_are_fine():
    first = EventFactory()
    EventFactory.build(start=first.start, end=first.end).full_clean()


def test_a_published_event_needs_a_location_and_a_start():
    event = Event(title="Ohne Ort", status=Event.Status.PUBLISHED)
    with pytest.raises(ValidationError, match="braucht einen Ort, einen Beginn"):
        event.full_clean()


def test_a_published_event_without_place_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(title="Ohne Ort", status=Event.Status.PUBLISHED)


def test_a_draft_may_lack_place_and_time():
    event = Event(title="Idee für den Herbst")
    event.full_clean()
    event.save()
    assert event.status == Event.Status.DRAFT


def test_slug_is_made_from_title_and_date():
    event = EventFactory(title="Sommerfest Oststadt")
    assert event.slug == f"sommerfest-oststadt-{event.start:%Y-%m-%d}"


def test_slugs_stay_unique_for_equal_titles():
    first = EventFactory(title="Beratung")
    second = EventFactory(title="Beratung", start=first.start, end=first.end)
    assert first.slug != second.slug
    assert second.slug == f"{first.slug}-2"


def test_slug_is_stable_when_the_title_changes():
    event = EventFactory(title="Beratung")
    slug = event.slug
    event.title = "Beratung und Kaffee"
    event.save()
    event.refresh_from_db()
    assert event.slug == slug


def test_changing_the_slug_keeps_the_old_one_as_a_redirect():
    event = EventFactory(slug="alt")
    event.slug = "neu"
    event.save()
    assert EventSlugRedirect.objects.get(old_slug="alt").event == event


def test_a_new_slug_does_not_take_a_former_address():
    event = EventFactory(title="Beratung", slug="beratung")
    event.slug = "beratung-neu"
    event.save()
    other = EventFactory(title="Beratung", slug="")
    other.slug = ""
    other.save()
    assert other.slug != "beratung"


def test_duplicate_slugs_are_refused():
    EventFactory(slug="gleich")
    with pytest.raises(ValidationError, match="schon eine Veranstaltung"):
        EventFactory.build(slug="gleich", location=LocationFactory()).full_clean()


def test_sequence_grows_with_every_change():
    event = EventFactory()
    assert event.sequence == 0
    event.motto = "Neu"
    event.save()
    assert event.sequence == 1


def test_publishing_records_when_it_first_happened():
    event = EventFactory()
    assert event.published_at is None
    event.status = Event.Status.PUBLISHED
    event.save()
    assert event.published_at is not None


def test_unknown_languages_are_refused():
    event = EventFactory.build(location=LocationFactory(), languages=["de", "xx"])
    with pytest.raises(ValidationError, match="Sprachen aus der Liste"):
        event.full_clean()


def test_short_codes_are_unique_and_easy_to_read():
    codes = {EventFactory().short_code for _ in range(20)}
    assert len(codes) == 20
    assert all(len(code) == 6 and not set(code) & set("0O1lI") for code in codes)


def test_more_handed_out_than_brought_is_refused():
    handout = MaterialHandoutFactory.build(
        event=EventFactory(),
        material=MaterialHandoutFactory().material,
        brought=10,
        handed_out=11,
    )
    with pytest.raises(ValidationError, match="Mehr ausgegeben als mitgebracht"):
        handout.full_clean()


def test_more_handed_out_than_brought_is_refused_by_the_database():
    handout = MaterialHandoutFactory(brought=10, handed_out=10)
    handout.handed_out = 11
    with pytest.raises(IntegrityError), transaction.atomic():
        handout.save()


def test_published_queryset_hides_drafts_and_cancelled_events():
    published = EventFactory(published=True)
    EventFactory()
    cancelled = EventFactory(cancelled=True)
    assert list(Event.objects.published()) == [published]
    assert set(Event.objects.public()) == {published, cancelled}


def test_upcoming_and_past_split_at_the_end_of_an_event():
    event = EventFactory(published=True)
    assert list(Event.objects.upcoming(now=event.end)) == [event]
    assert list(Event.objects.past(now=event.end + timedelta(seconds=1))) == [event]


def test_feedback_opens_at_the_start_and_closes_days_after_the_end(settings):
    settings.FEEDBACK_OPEN_DAYS = 14
    event = EventFactory(published=True)
    assert not event.feedback_open(now=event.start - timedelta(minutes=1))
    assert event.feedback_open(now=event.start)
    assert event.feedback_open(now=event.end + timedelta(days=14))
    assert not event.feedback_open(now=event.end + timedelta(days=14, seconds=1))
    assert list(Event.objects.feedback_open(now=event.start)) == [event]


def test_feedback_is_closed_for_drafts_and_cancelled_events():
    for event in (EventFactory(), EventFactory(cancelled=True)):
        assert not event.feedback_open(now=event.start)


def test_postcode_must_have_five_digits():
    location = LocationFactory.build(
        postcode="7517", district=LocationFactory().district
    )
    with pytest.raises(ValidationError, match="fünf Ziffern"):
        location.full_clean()


def test_map_link_is_a_plain_openstreetmap_link():
    location = LocationFactory(latitude="48.894400", longitude="8.718600")
    assert location.map_url.startswith("https://www.openstreetmap.org/?mlat=48.894400")
    without = LocationFactory()
    assert "search?query=Hauptstra%C3%9Fe" in without.map_url


def test_a_second_place_of_the_same_german_name_and_address_is_refused():
    first = LocationFactory(name="Quartierswerkstatt")
    twin = Location(
        name="Quartierswerkstatt",
        street=first.street,
        postcode=first.postcode,
        district=first.district,
    )
    with pytest.raises(ValidationError, match="schon einen Ort mit diesem Namen"):
        twin.full_clean()
    twin.name = "Quartierswerkstatt Hof"
    twin.full_clean()


def test_a_material_is_unique_per_german_title_and_language_only():
    MaterialFactory(title="Bürgergeld kurz erklärt", language="de")
    same = Material(title="Bürgergeld kurz erklärt", language="de", kind="flyer")
    with pytest.raises(ValidationError, match="in dieser Sprache schon"):
        same.full_clean()
    Material(title="Bürgergeld kurz erklärt", language="tr", kind="flyer").full_clean()


def test_service_titles_are_unique_in_each_language():
    ServiceOfferingFactory(title="Kinderbetreuung finden")
    same = ServiceOffering(category="kinderbetreuung", title="Kinderbetreuung finden")
    with pytest.raises(ValidationError) as refused:
        same.full_clean()
    assert "title" in refused.value.message_dict
    # Another Jobcenter names its services as it likes.
    other = Jobcenter.objects.create(name="Jobcenter Zwei", slug="zwei")
    with jobcenter_scope(other):
        ServiceOffering(
            category="kinderbetreuung", title="Kinderbetreuung finden"
        ).full_clean()


def test_slugs_are_unique_per_jobcenter_only():
    EventFactory(slug="gleich")
    other = Jobcenter.objects.create(name="Jobcenter Zwei", slug="zwei")
    with jobcenter_scope(other):
        location = LocationFactory()
        EventFactory.build(slug="gleich", location=location).full_clean()
