import re
from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import Feedback
from tests.browser.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    tab_to,
)
from tests.factories import (
    EventFactory,
    LocationFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    open_for_feedback,
)

# Tallest form the demo data gives: three target groups, five services.
DEMO_GROUPS = ["Arbeitsuchende", "Menschen mit Migrationsgeschichte", "Familien"]
DEMO_SERVICES = [
    "Beratung zu Arbeit und Ausbildung",
    "Bewerbungsmappen-Check",
    "Netzwerk Integration",
    "Kinderbetreuung und Vereinbarkeit",
    "Beauftragte für Chancengleichheit",
]
LONGEST_LOCATION = "Quartierswerkstatt auf dem Gelände der ehemaligen Stadtgärtnerei"
MAX_PHONE_HEIGHT = 1850  # 2.5 screens of 740 px


@pytest.fixture
def demo_event(settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    for name in DEMO_GROUPS:
        TargetGroupFactory(name=name)
    services = [ServiceOfferingFactory(title=title) for title in DEMO_SERVICES]
    return open_for_feedback(
        title="Jobcenter im Quartier Oststadt",
        location=LocationFactory(name=LONGEST_LOCATION),
        services=services,
    )


@pytest.fixture
def event(settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    TargetGroupFactory(name="Arbeitsuchende", slug="arbeitsuchende")
    TargetGroupFactory(name="Familien", slug="familien")
    services = [
        ServiceOfferingFactory(title="Berufliche Orientierung"),
        ServiceOfferingFactory(title="Kinderbetreuung"),
    ]
    return open_for_feedback(title="Jobcenter im Quartier Oststadt", services=services)


def test_a_visitor_sends_feedback_by_keyboard_on_a_phone(
    phone_page, live_server, event
):
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/")
    assert_no_horizontal_scroll(phone_page)

    tab_to(phone_page, "#id_rating_overall_0")
    phone_page.keyboard.press("Space")
    for _ in range(4):
        phone_page.keyboard.press("ArrowDown")
    assert phone_page.is_checked("#id_rating_overall_4")

    tab_to(phone_page, "#id_services_of_interest_1")
    phone_page.keyboard.press("Space")
    tab_to(phone_page, "#id_comment")
    phone_page.keyboard.type("Sehr freundlich, danke!")
    tab_to(phone_page, "#id_may_publish")
    phone_page.keyboard.press("Space")
    tab_to(phone_page, "#submit-id-send")
    phone_page.keyboard.press("Enter")

    phone_page.wait_for_url(f"**/f/{event.short_code}/danke/")
    assert phone_page.locator("h1").inner_text() == "Vielen Dank für Ihre Rückmeldung!"
    feedback = Feedback.objects.get()
    assert feedback.rating_overall == 5
    assert feedback.comment == "Sehr freundlich, danke!"
    assert feedback.may_publish is True
    assert [s.title for s in feedback.services_of_interest.all()] == ["Kinderbetreuung"]


def test_the_honeypot_is_skipped_by_the_keyboard(page, live_server, event):
    page.goto(f"{live_server.url}/f/{event.short_code}/")
    tab_to(page, "#id_may_publish")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "submit-id-send"
    assert not page.locator("#id_reference").is_visible() or page.evaluate(
        "document.querySelector('#id_reference').getBoundingClientRect().right <= 0"
    )


def test_the_form_is_accessible_on_a_phone(phone_page, live_server, demo_event):
    phone_page.goto(f"{live_server.url}/f/{demo_event.short_code}/")
    assert_accessible(phone_page)


def test_the_form_is_accessible_on_a_desktop(page, live_server, demo_event):
    page.goto(f"{live_server.url}/f/{demo_event.short_code}/")
    assert_accessible(page)


def test_the_form_with_errors_is_accessible(phone_page, live_server, event):
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/")
    phone_page.fill("#id_comment", "x" * 20)
    phone_page.click("#submit-id-send")
    phone_page.wait_for_selector("#form-errors")
    assert phone_page.locator(".invalid-feedback").first.is_visible()
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)
    assert Feedback.objects.count() == 0


def test_the_thanks_page_is_accessible(phone_page, live_server, event):
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/danke/")
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)


@pytest.mark.parametrize("kind", ["not_yet", "closed"])
def test_the_closed_page_is_accessible(phone_page, live_server, kind):
    if kind == "not_yet":
        event = EventFactory(published=True)
    else:
        start = timezone.now() - timedelta(days=40)
        event = EventFactory(
            published=True, start=start, end=start + timedelta(hours=3)
        )
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/")
    assert_accessible(phone_page)
    assert_no_horizontal_scroll(phone_page)


def test_the_form_is_at_most_two_and_a_half_phone_screens_tall(
    phone_page, live_server, demo_event
):
    phone_page.goto(f"{live_server.url}/f/{demo_event.short_code}/")
    height = phone_page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_PHONE_HEIGHT, f"the form is {height}px tall"
    assert_no_horizontal_scroll(phone_page)


RATINGS = [
    "rating_overall",
    "rating_consultation",
    "rating_material",
    "rating_location",
]
MEANINGS = ["sehr schlecht", "schlecht", "mittel", "gut", "sehr gut"]


def test_every_choice_is_at_least_44_px_square(phone_page, live_server, demo_event):
    phone_page.goto(f"{live_server.url}/f/{demo_event.short_code}/")
    targets = phone_page.locator(
        ".rating-option, .choice, select, textarea, #submit-id-send"
    )
    assert targets.count() == 4 * 5 + 5 + 3 + 2 + 1 + 1
    for n in range(targets.count()):
        box = targets.nth(n).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, targets.nth(n).inner_text()
    # The ratings: five in one row, each as wide as a thumb.
    row = phone_page.locator("#div_id_rating_overall .rating-option")
    tops = {round(row.nth(n).bounding_box()["y"]) for n in range(5)}
    assert len(tops) == 1
    ends = phone_page.locator("#div_id_rating_overall .rating-ends span")
    assert [ends.nth(0).inner_text(), ends.nth(1).inner_text()] == [
        "sehr schlecht",
        "sehr gut",
    ]
    first, last = row.nth(0).bounding_box(), row.nth(4).bounding_box()
    assert ends.nth(0).bounding_box()["x"] == pytest.approx(first["x"], abs=1)
    end = ends.nth(1).bounding_box()
    assert end["x"] + end["width"] == pytest.approx(last["x"] + last["width"], abs=1)


def test_a_visitor_answers_with_one_thumb(phone_page, live_server, demo_event):
    phone_page.goto(f"{live_server.url}/f/{demo_event.short_code}/")
    phone_page.tap("label[for=id_rating_overall_4]")
    phone_page.tap("label[for=id_rating_location_1]")
    phone_page.select_option("#id_heard_via", label="Plakat")
    phone_page.tap("label[for=id_services_of_interest_0]")
    phone_page.tap("label[for=id_would_come_again_0]")
    phone_page.select_option("#id_target_group", label="Familien")
    phone_page.tap("#submit-id-send")

    phone_page.wait_for_url(f"**/f/{demo_event.short_code}/danke/")
    feedback = Feedback.objects.get()
    assert (feedback.rating_overall, feedback.rating_location) == (5, 2)
    assert feedback.rating_consultation is None  # left untouched: no answer
    assert feedback.heard_via == Feedback.Channel.POSTER
    assert feedback.would_come_again is True
    assert feedback.target_group.name == "Familien"
    assert feedback.services_of_interest.count() == 1


def test_arrow_keys_move_within_a_rating_and_tab_goes_to_the_next_question(
    phone_page, live_server, event
):
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/")
    tab_to(phone_page, "#id_rating_overall_0")
    outline = phone_page.evaluate(
        "getComputedStyle(document.activeElement.labels[0]).outlineStyle"
    )
    assert outline == "solid"  # the focused choice is visible
    phone_page.keyboard.press("ArrowRight")
    phone_page.keyboard.press("ArrowRight")
    assert phone_page.is_checked("#id_rating_overall_2")
    phone_page.keyboard.press("ArrowLeft")
    assert phone_page.is_checked("#id_rating_overall_1")

    walk = []
    for _ in range(5):
        phone_page.keyboard.press("Tab")
        walk.append(phone_page.evaluate("document.activeElement.id"))
    assert walk == [
        "id_rating_consultation_0",
        "id_rating_material_0",
        "id_rating_location_0",
        "id_heard_via",
        "id_services_of_interest_0",
    ]
    phone_page.keyboard.press("Shift+Tab")
    phone_page.keyboard.press("Shift+Tab")
    phone_page.keyboard.press("ArrowLeft")  # from nothing chosen to the last point
    assert phone_page.is_checked("#id_rating_location_4")

    tab_to(phone_page, "#submit-id-send")
    phone_page.keyboard.press("Space")
    phone_page.wait_for_url(f"**/f/{event.short_code}/danke/")
    feedback = Feedback.objects.get()
    assert (feedback.rating_overall, feedback.rating_location) == (2, 5)


def test_a_screen_reader_hears_each_question_and_the_meaning_of_each_point(
    phone_page, live_server, demo_event
):
    phone_page.goto(f"{live_server.url}/f/{demo_event.short_code}/")
    overall = phone_page.get_by_role(
        "group", name=re.compile(r"^Wie hat Ihnen die Veranstaltung insgesamt")
    )
    for number, meaning in enumerate(MEANINGS, start=1):
        choice = overall.get_by_role("radio", name=f"{number} – {meaning}", exact=True)
        assert choice.count() == 1
    assert overall.get_by_role("radio").first.get_attribute("required") is not None
    location = phone_page.get_by_role("group", name="Wie gut war der Ort geeignet?")
    assert location.get_by_role("radio").count() == 5
    assert location.get_by_role("radio", name="Keine Angabe").count() == 0
    heard_via = phone_page.get_by_role(
        "combobox", name="Wie haben Sie von der Veranstaltung erfahren?"
    )
    assert heard_via.input_value() == ""  # untouched: no answer
    services = phone_page.get_by_role(
        "group", name="Welche Angebote interessieren Sie?"
    )
    assert services.get_by_role("checkbox").count() == len(DEMO_SERVICES)
    assert (
        phone_page.get_by_role("group", name=re.compile("wieder"))
        .get_by_role("radio", name="Keine Angabe")
        .is_checked()
    )


def test_the_answers_survive_a_failed_submit(phone_page, live_server, demo_event):
    phone_page.goto(f"{live_server.url}/f/{demo_event.short_code}/")
    phone_page.tap("label[for=id_rating_material_2]")
    phone_page.select_option("#id_heard_via", label="Internetseite")
    phone_page.tap("label[for=id_services_of_interest_3]")
    phone_page.select_option("#id_target_group", label="Etwas anderes")
    phone_page.fill("#id_comment", "Gut")
    phone_page.tap("#submit-id-send")  # without the required first rating

    phone_page.wait_for_selector("#form-errors")
    assert phone_page.locator("#div_id_rating_overall .invalid-feedback").is_visible()
    assert phone_page.is_checked("#id_rating_material_2")
    assert phone_page.input_value("#id_heard_via") == "website"
    assert phone_page.is_checked("#id_services_of_interest_3")
    assert phone_page.input_value("#id_target_group") == "other"
    assert phone_page.input_value("#id_comment") == "Gut"
    phone_page.click("#form-errors a")  # the summary leads to the question
    assert phone_page.evaluate("location.hash") == "#div_id_rating_overall"
    assert Feedback.objects.count() == 0


def test_the_answers_survive_a_lost_security_cookie(phone_page, live_server, event):
    phone_page.goto(f"{live_server.url}/f/{event.short_code}/")
    phone_page.tap("label[for=id_rating_overall_3]")
    phone_page.tap("label[for=id_rating_consultation_4]")
    phone_page.context.clear_cookies()
    phone_page.tap("#submit-id-send")

    phone_page.wait_for_selector("#send-again")
    assert phone_page.is_checked("#id_rating_overall_3")
    assert phone_page.is_checked("#id_rating_consultation_4")
    phone_page.tap("#submit-id-send")
    phone_page.wait_for_url(f"**/f/{event.short_code}/danke/")
    assert Feedback.objects.get().rating_consultation == 5
