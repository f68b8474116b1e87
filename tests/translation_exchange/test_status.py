"""Which languages an object's texts are complete in, in the admin lists and forms."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event, Location, Material, Review, ServiceOffering
from tests.events.test_reviews import past_event
from tests.factories import (
    EventFactory,
    LocationFactory,
    MaterialFactory,
    ServiceOfferingFactory,
)
from tests.translation_exchange.helpers import translate, translate_event_fully
from translation_exchange.selectors import language_status

pytestmark = pytest.mark.django_db


def fresh(obj):
    return type(obj).objects.prefetch_related("translations").get(pk=obj.pk)


def test_an_object_in_german_only_is_complete_in_german_alone():
    status = language_status(fresh(EventFactory()))
    assert status.complete == ["de"]
    assert status.missing == ["de-x-ls", "en", "tr", "ar", "uk", "ru", "fa"]


def test_a_language_is_complete_when_every_german_text_is_translated():
    event = EventFactory()
    translate_event_fully(event, "en")
    translate(event, "tr", title="Mahallede Jobcenter")  # motto, description missing
    status = language_status(fresh(event))
    assert "en" in status.complete
    assert "tr" in status.missing


def test_a_field_empty_in_german_is_not_needed_in_other_languages():
    event = EventFactory(motto="", description="")
    translate(event, "en", title="Jobcenter in the neighbourhood")
    assert "en" in language_status(fresh(event)).complete


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Event, EventFactory),
        (Location, LocationFactory),
        (ServiceOffering, ServiceOfferingFactory),
        (Material, MaterialFactory),
    ],
)
def test_each_translated_list_shows_the_languages(staff_client, model, make):
    obj = make()
    opts = model._meta
    response = staff_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert obj.pk
    assert '<span class="lang-complete">de</span>' in content
    assert '<span class="lang-missing">–en</span>' in content
    assert "Vollständig: Deutsch. Fehlt:" in content


def test_the_review_list_shows_the_languages_in_constant_queries(
    staff_client, django_assert_max_num_queries
):
    def review():
        return Review.objects.create(event=past_event(), headline="H", lead="L")

    review()
    url = reverse("admin:events_review_changelist")
    staff_client.get(url)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for _ in range(5):
        review()
    with django_assert_max_num_queries(len(one)):
        response = staff_client.get(url)
    assert response.content.decode().count('class="lang-status"') == 6


def test_the_event_list_shows_the_languages_in_constant_queries(
    staff_client, django_assert_max_num_queries
):
    for _ in range(10):
        translate_event_fully(EventFactory(), "en")
    with django_assert_max_num_queries(15):  # 14 + the announcements due (planning)
        response = staff_client.get(reverse("admin:events_event_changelist"))
    assert (
        response.content.decode().count('<span class="lang-complete">en</span>') == 10
    )


def test_the_change_form_sums_up_the_languages_above_the_tabs(staff_client):
    event = EventFactory()
    translate_event_fully(event, "en")
    response = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    summary = content.index('class="translation-summary"')
    assert summary < content.index("parler-language-tabs")
    assert "Texte vollständig in:" in content
    assert "Deutsch, Englisch" in content
    assert "Türkisch" in content[summary:]


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Location, LocationFactory),
        (ServiceOffering, ServiceOfferingFactory),
        (Material, MaterialFactory),
    ],
)
def test_the_other_lists_show_the_languages_in_constant_queries(
    staff_client, django_assert_max_num_queries, model, make
):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    make()
    staff_client.get(url)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for n, obj in enumerate(make.create_batch(8)):
        name = "name" if model is Location else "title"
        translate(obj, "en", **{name: f"English {n}"})
    with django_assert_max_num_queries(len(one)):
        response = staff_client.get(url)
    assert response.content.decode().count('class="lang-status"') == 9
