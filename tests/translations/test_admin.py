"""The admin actions: draft missing translations by machine, approve them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import (
    Event,
    Location,
    Material,
    Review,
    ReviewPhoto,
    ServiceOffering,
)
from tests.factories import (
    EventFactory,
    LocationFactory,
    MaterialFactory,
    ServiceOfferingFactory,
)
from translations.models import MachineTranslationUsage
from translations.services import budget_status

pytestmark = pytest.mark.django_db

EVENTS = reverse("admin:events_event_changelist")
DRAFT = "draft_machine_translations"
APPROVE = "approve_machine_translations"
# The configured languages a machine drafts: not de, not de-x-ls.
MACHINE = ["en", "tr", "ar", "uk", "ru", "fa"]


def run(client, changelist, action, objects):
    response = client.post(
        changelist,
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )
    assert response.status_code == 200
    return response, [str(m) for m in response.context["messages"]]


def texts(obj) -> dict[str, object]:
    return {row.language_code: row for row in obj.translations.all()}


def add_translation(obj, language, **fields):
    obj.set_current_language(language)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    obj.set_current_language("de")


def test_drafts_fill_only_the_missing_languages(staff_client, libre_server):
    event = EventFactory(title="Beratung im Quartier", motto="Wir für Sie")
    add_translation(event, "en", title="Advice in the neighbourhood", motto="For you")

    _response, messages = run(staff_client, EVENTS, DRAFT, [event])

    rows = texts(event)
    assert set(rows) == {"de", *MACHINE}  # never de-x-ls
    assert rows["en"].title == "Advice in the neighbourhood"  # a person's text stays
    assert rows["en"].machine_translated is False
    for code in ("tr", "ar", "uk", "ru", "fa"):
        assert rows[code].title == f"[{code.upper()}] Beratung im Quartier"
        assert rows[code].motto == f"[{code.upper()}] Wir für Sie"
        assert rows[code].machine_translated is True
    assert rows["de"].title == "Beratung im Quartier"
    assert any(
        "Ukrainisch: 1 Übersetzung maschinell vorübersetzt" in m for m in messages
    )
    assert any("Leichte Sprache wird nie maschinell übersetzt" in m for m in messages)


def test_one_request_per_language_for_many_objects(staff_client, libre_server):
    events = EventFactory.create_batch(4)
    run(staff_client, EVENTS, DRAFT, events)
    # Five languages are missing (English too): one request each, not per field.
    assert sorted(r["body"]["target"] for r in libre_server.requests) == [
        "ar",
        "en",
        "fa",
        "ru",
        "tr",
        "uk",
    ]
    assert all(len(r["body"]["q"]) > 4 for r in libre_server.requests)


def test_drafts_are_recorded_with_the_person_and_the_reason(
    staff_client, staff_user, libre_server
):
    location = LocationFactory(name="Quartierswerkstatt")
    run(staff_client, reverse("admin:events_location_changelist"), DRAFT, [location])
    record = texts(location)["uk"].history.get()
    assert record.history_user == staff_user
    assert record.history_change_reason == "Machine translation draft"
    assert record.history_type == "+"


def test_empty_german_fields_stay_empty(staff_client, libre_server):
    location = LocationFactory(name="Quartierswerkstatt", directions="")
    run(staff_client, reverse("admin:events_location_changelist"), DRAFT, [location])
    assert texts(location)["tr"].directions == ""
    assert all("" not in r["body"]["q"] for r in libre_server.requests)


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Location, LocationFactory),
        (ServiceOffering, ServiceOfferingFactory),
        (Material, MaterialFactory),
    ],
)
def test_places_services_and_materials_have_the_action(
    model, factory, staff_client, superuser_client, libre_server
):
    obj = factory()
    changelist = reverse(f"admin:events_{model._meta.model_name}_changelist")
    # Staff may not change services; a superuser drafts them.
    client = superuser_client if model is ServiceOffering else staff_client
    _response, messages = run(client, changelist, DRAFT, [obj])
    assert texts(obj)["ru"].machine_translated is True
    assert any("Russisch: 1 Übersetzung maschinell vorübersetzt" in m for m in messages)


@pytest.fixture
def superuser_client(client, django_user_model):
    from tests.accounts import force_login_verified

    user = django_user_model.objects.create_superuser("root", password="x")
    force_login_verified(client, user)
    return client


def past_review(body: str) -> Review:
    start = timezone.now() - timedelta(days=3)
    event = EventFactory(published=True, start=start, end=start + timedelta(hours=4))
    review = Review.objects.create(
        event=event, headline="Ein guter Tag", lead="Viele Gespräche.", body=body
    )
    ReviewPhoto.objects.create(
        review=review,
        image="reviews/stand.jpg",
        width=1200,
        height=800,
        alt_text="Der Stand",
        credit="Jobcenter Pforzheim",
    )
    return review


def test_review_body_is_sent_as_html_and_sanitised(staff_client, deepl_server):
    deepl_server.mode = "script"
    review = past_review("<p>Die <em>Beratung</em> kam gut an.</p>")
    run(staff_client, reverse("admin:events_review_changelist"), DRAFT, [review])

    english = texts(review)["en"]
    assert "[EN-GB]" in english.body
    assert "<em>Beratung</em>" in english.body
    assert "script" not in english.body
    assert "alert" not in english.body
    html = [r["body"] for r in deepl_server.requests if r["body"].get("tag_handling")]
    assert {body["target_lang"] for body in html} == {"EN-GB", "TR", "AR", "UK", "RU"}
    assert all(body["text"] == [review.body] for body in html)
    # The photos are translated with their review.
    photo = review.photos.get()
    assert texts(photo)["uk"].alt_text.startswith("[UK] Der Stand")
    assert texts(photo)["uk"].machine_translated is True


def test_deepl_explains_that_it_has_no_farsi(staff_client, deepl_server):
    event = EventFactory()
    _response, messages = run(staff_client, EVENTS, DRAFT, [event])
    assert "fa" not in texts(event)
    assert any(
        "DeepL kann nicht ins Persisch übersetzen: Diese Texte bleiben deutsch" in m
        for m in messages
    )


def test_characters_sent_are_counted(staff_client, libre_server):
    event = EventFactory(title="Beratung", motto="Wir für Sie", description="")
    run(staff_client, EVENTS, DRAFT, [event])
    per_language = len("Beratung") + len("Wir für Sie") + len(event.photo_alt or "")
    usage = MachineTranslationUsage.objects.get()
    assert usage.backend == "libretranslate"
    assert usage.month == timezone.localdate().replace(day=1)
    assert usage.characters == per_language * len(MACHINE)
    assert budget_status().used == usage.characters


def test_the_budget_stops_the_action_before_anything_is_sent(
    staff_client, libre_server, settings
):
    settings.QUARTIER_MT_MONTHLY_CHARACTERS = 1000
    MachineTranslationUsage.objects.create(
        month=timezone.localdate().replace(day=1), backend="deepl", characters=990
    )
    event = EventFactory()
    _response, messages = run(staff_client, EVENTS, DRAFT, [event])
    assert libre_server.requests == []
    assert set(texts(event)) == {"de"}
    assert any(
        "Nichts wurde gesendet" in m and "(1000) sind aber nur noch 10 übrig" in m
        for m in messages
    )


def test_the_action_message_shows_the_budget(staff_client, libre_server, settings):
    settings.QUARTIER_MT_MONTHLY_CHARACTERS = 100_000
    _response, messages = run(staff_client, EVENTS, DRAFT, [EventFactory()])
    used = budget_status().used
    assert any(
        f"{used} von 100000 Zeichen verbraucht, {100_000 - used} übrig" in m
        for m in messages
    )


@pytest.mark.parametrize("mode", [403, 456, 500, "garbage", "wrong-count", "slow"])
def test_a_failing_service_leaves_the_german_text(staff_client, deepl_server, mode):
    deepl_server.mode = mode
    event = EventFactory(title="Beratung")
    _response, messages = run(staff_client, EVENTS, DRAFT, [event])
    assert set(texts(event)) == {"de"}
    assert any(
        "nichts wurde gespeichert, es werden weiter die deutschen Texte gezeigt" in m
        for m in messages
    )
    # Nothing was translated, so nothing counts against the budget.
    assert budget_status().used == 0


def test_a_wrong_deepl_key_is_named(staff_client, deepl_server):
    deepl_server.mode = 403
    _response, messages = run(staff_client, EVENTS, DRAFT, [EventFactory()])
    assert any("DEEPL_AUTH_KEY" in m for m in messages)


def test_a_used_up_deepl_quota_is_named(staff_client, deepl_server):
    deepl_server.mode = 456
    _response, messages = run(staff_client, EVENTS, DRAFT, [EventFactory()])
    assert any("Kontingent des DeepL-Kontos" in m for m in messages)


def test_an_unreachable_service_is_reported(staff_client, settings):
    from tests.translations.test_backends import closed_port

    settings.QUARTIER_MT_BACKEND = "libretranslate"
    settings.LIBRETRANSLATE_URL = f"http://127.0.0.1:{closed_port()}"
    event = EventFactory()
    _response, messages = run(staff_client, EVENTS, DRAFT, [event])
    assert set(texts(event)) == {"de"}
    assert any("nicht erreichbar" in m for m in messages)


def test_without_a_backend_the_action_explains_how_to_configure(staff_client, settings):
    settings.QUARTIER_MT_BACKEND = "none"
    event = EventFactory()
    _response, messages = run(staff_client, EVENTS, DRAFT, [event])
    assert set(texts(event)) == {"de"}
    assert any("QUARTIER_MT_BACKEND" in m for m in messages)


def test_nothing_missing_is_said_and_nothing_sent(staff_client, libre_server):
    event = EventFactory()
    run(staff_client, EVENTS, DRAFT, [event])
    libre_server.requests.clear()
    _response, messages = run(staff_client, EVENTS, DRAFT, [event])
    assert libre_server.requests == []
    assert any("fehlt keine Übersetzung" in m for m in messages)


def test_approval_clears_the_flag_and_is_recorded(
    staff_client, staff_user, libre_server
):
    event = EventFactory()
    add_translation(event, "en", title="By a person")
    run(staff_client, EVENTS, DRAFT, [event])
    _response, messages = run(staff_client, EVENTS, APPROVE, [event])
    rows = texts(event)
    assert not any(row.machine_translated for row in rows.values())
    assert any("5 maschinelle Übersetzungen freigegeben" in m for m in messages)
    latest = rows["tr"].history.first()
    assert latest.history_user == staff_user
    assert latest.history_change_reason == "Machine translation approved"
    assert rows["en"].history.count() == 1  # the person's text: untouched


def test_viewers_do_not_get_the_actions(coordinator_client):
    EventFactory()
    response = coordinator_client.get(EVENTS)
    assert response.status_code == 200
    assert DRAFT not in response.content.decode()


def test_a_viewer_cannot_post_the_action(coordinator_client, libre_server):
    event = EventFactory()
    coordinator_client.post(
        EVENTS, {"action": DRAFT, "_selected_action": [event.pk]}, follow=True
    )
    assert set(texts(event)) == {"de"}
    assert libre_server.requests == []


def test_queries_of_the_action_do_not_grow_with_the_selection(
    staff_client, libre_server, django_assert_max_num_queries
):
    few = EventFactory.create_batch(2)
    many = EventFactory.create_batch(12)
    with django_assert_max_num_queries(70) as few_queries:
        run(staff_client, EVENTS, DRAFT, few)
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        run(staff_client, EVENTS, DRAFT, many)
    assert all(Event.objects.get(pk=e.pk).translations.count() == 7 for e in many)


def test_usage_list_shows_the_budget(staff_client, settings):
    settings.QUARTIER_MT_MONTHLY_CHARACTERS = 2000
    MachineTranslationUsage.objects.create(
        month=timezone.localdate().replace(day=1), backend="deepl", characters=500
    )
    response = staff_client.get(
        reverse("admin:translations_machinetranslationusage_changelist")
    )
    assert response.status_code == 200
    assert "500 von 2000 Zeichen verbraucht, 1500 übrig." in response.content.decode()


def test_a_language_tab_shows_the_draft_flag_to_untick(staff_client, libre_server):
    event = EventFactory()
    run(staff_client, EVENTS, DRAFT, [event])
    change = reverse("admin:events_event_change", args=[event.pk])
    german = staff_client.get(change)
    assert 'name="machine_translated"' not in german.content.decode()
    turkish = staff_client.get(f"{change}?language=tr")
    assert re.search(
        r'<input[^>]*name="machine_translated"[^>]*checked', turkish.content.decode()
    )


def test_unticking_the_flag_approves_the_text(staff_client, libre_server):
    location = LocationFactory(name="Quartierswerkstatt", street="Hauptstraße 1")
    changelist = reverse("admin:events_location_changelist")
    run(staff_client, changelist, DRAFT, [location])
    change = reverse("admin:events_location_change", args=[location.pk])
    form = staff_client.get(f"{change}?language=uk").context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name != "machine_translated"
    }
    data["name"] = "Майстерня кварталу"
    response = staff_client.post(f"{change}?language=uk", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    ukrainian = texts(location)["uk"]
    assert ukrainian.name == "Майстерня кварталу"
    assert ukrainian.machine_translated is False
    assert texts(location)["tr"].machine_translated is True


def test_a_popup_list_offers_no_actions(staff_client):
    EventFactory()
    response = staff_client.get(f"{EVENTS}?_popup=1&_to_field=id")
    assert response.status_code == 200
    assert DRAFT not in response.content.decode()
