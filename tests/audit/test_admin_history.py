"""The admin's History of an object lists the changes to its texts too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def change_texts(event, user, language: str, **texts) -> None:
    event._history_user = user
    event.set_current_language(language)
    for name, value in texts.items():
        setattr(event, name, value)
    event.save_translations()


def test_the_history_lists_text_changes_with_language_field_and_user(
    staff_client, staff_user
):
    event = EventFactory(title="Alter Titel")
    change_texts(event, staff_user, "de", title="Neuer Titel")
    change_texts(event, staff_user, "tr", title="Mahallede Jobcenter")
    response = staff_client.get(reverse("admin:events_event_history", args=[event.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    texts = content[content.index('id="text-history"') :]
    assert "Änderungen an den Texten" in content
    assert "Alter Titel" in texts
    assert "Mahallede Jobcenter" in texts  # a new language: its first values
    assert "Neuer Titel" in texts
    assert "Türkisch (tr)" in texts
    assert "Deutsch (de)" in texts
    assert staff_user.username in texts


def test_the_history_shows_only_this_objects_texts(staff_client, staff_user):
    event = EventFactory()
    other = EventFactory(title="Anderes Thema")
    change_texts(other, staff_user, "de", title="Ganz anderes Thema")
    response = staff_client.get(reverse("admin:events_event_history", args=[event.pk]))
    assert "Ganz anderes Thema" not in response.content.decode()


def test_the_history_reads_text_changes_in_constant_queries(
    staff_client, staff_user, django_assert_max_num_queries
):
    event = EventFactory()
    url = reverse("admin:events_event_history", args=[event.pk])
    change_texts(event, staff_user, "en", title="One")
    change_texts(event, staff_user, "en", title="Two")
    staff_client.get(url)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url)
    for n, language in enumerate(["en", "tr", "ar", "uk", "ru", "fa"] * 3):
        change_texts(event, staff_user, language, title=f"Title {n}", motto=f"M {n}")
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(url)
    assert response.content.decode().count("Title ") >= 18


def test_a_history_address_with_a_bad_id_is_not_found(staff_client):
    response = staff_client.get("/admin/events/event/abc/history/")
    assert response.status_code == 404
