"""The staff page of events soon public with translations missing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, ServiceOfferingFactory, UserFactory
from tests.translation_exchange.helpers import translate, translate_event_fully

pytestmark = pytest.mark.django_db

URL = "/admin/uebersetzungen/"
LANGUAGES = ["de-x-ls", "en", "tr", "ar", "uk", "ru", "fa"]


def in_days(days: int):
    start = timezone.now() + timedelta(days=days)
    return {"start": start, "end": start + timedelta(hours=3)}


def complete(event) -> None:
    """Every text of the event and of its place in every language."""
    for code in LANGUAGES:
        translate_event_fully(event, code)
        translate(event.location, code, name=f"{event.location.name} [{code}]")


def test_the_page_lists_published_events_soon_with_missing_languages(staff_client):
    soon = EventFactory(published=True, title="Bald", **in_days(3))
    complete(soon)
    translate(soon, "tr", title="Yakında", motto="", description="")  # incomplete
    EventFactory(title="Entwurf", **in_days(3))  # not public
    EventFactory(published=True, title="Später", **in_days(40))
    done = EventFactory(published=True, title="Fertig", **in_days(5))
    complete(done)
    response = staff_client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Bald" in content
    assert "Entwurf" not in content
    assert "Später" not in content
    assert "Fertig" not in content
    edit = reverse("admin:events_event_change", args=[soon.pk])
    assert f'href="{edit}?language=tr"' in content
    assert f'href="{edit}?language=en"' not in content


def test_a_scheduled_draft_and_a_service_without_translation_count(staff_client):
    event = EventFactory(**in_days(2), services=[ServiceOfferingFactory(title="Kita")])
    event.published_at = timezone.now() + timedelta(days=1)
    event.save()
    complete(event)
    content = staff_client.get(URL).content.decode()
    service = event.services.get()
    assert "Kita" in content
    edit = reverse("admin:events_serviceoffering_change", args=[service.pk])
    assert f'href="{edit}?language=fa"' in content


def test_the_window_is_chosen_in_the_address(staff_client):
    EventFactory(published=True, title="Später", **in_days(40))
    assert "Später" in staff_client.get(URL, {"tage": 60}).content.decode()


@pytest.mark.parametrize("days", ["abc", "0", "-3", "99999999999999999999", "1e5"])
def test_a_bad_window_is_a_form_error_not_a_crash(staff_client, days):
    response = staff_client.get(URL, {"tage": days})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_the_page_needs_the_permission_to_change_events(coordinator_client):
    """Koordination may read events but not change them."""
    assert coordinator_client.get(URL).status_code == 403


def test_staff_without_a_membership_here_are_sent_to_the_login(client, roles):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_page_sends_strangers_to_the_admin_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_index_links_to_the_page(staff_client):
    assert URL in staff_client.get("/admin/").content.decode()


def test_the_page_loads_in_constant_queries(
    staff_client, django_assert_max_num_queries
):
    service = ServiceOfferingFactory()
    for day in range(1, 4):
        EventFactory(published=True, services=[service], **in_days(day))

    with CaptureQueriesContext(connection) as few:
        staff_client.get(URL)
    for day in range(4, 20):
        EventFactory(
            published=True, services=[ServiceOfferingFactory()], **in_days(day)
        )
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(URL)
    assert response.content.decode().count('scope="rowgroup"') == 19
