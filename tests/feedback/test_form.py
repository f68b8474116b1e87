import re
from datetime import timedelta

import pytest
from crispy_forms.utils import render_crispy_form
from django.core import signing
from django.utils import timezone

from feedback.forms import FeedbackForm, fill_token, strip_control_characters
from feedback.models import RATING_FIELDS, Feedback
from tests.factories import (
    ServiceOfferingFactory,
    TargetGroupFactory,
    feedback_form_data,
    open_for_feedback,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return open_for_feedback()


def form_for(event, **answers):
    return FeedbackForm(feedback_form_data(event, **answers), event=event)


def test_only_the_overall_rating_is_required(event):
    form = form_for(event)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["rating_overall"] == 4
    assert form.cleaned_data["rating_consultation"] is None
    assert form.cleaned_data["heard_via"] == ""
    assert form.cleaned_data["would_come_again"] is None
    assert form.cleaned_data["target_group"] is None


def test_without_the_overall_rating_the_form_is_invalid(event):
    form = form_for(event, rating_overall="")
    assert not form.is_valid()
    assert "rating_overall" in form.errors


@pytest.mark.parametrize("value", ["0", "6", "abc", "4.5", "-1", "1; DROP TABLE"])
@pytest.mark.parametrize("field", ["rating_overall", "rating_location"])
def test_ratings_outside_1_to_5_are_refused(event, field, value):
    form = form_for(event, **{field: value})
    assert not form.is_valid()
    assert form.errors[field] == ["Wählen Sie eine Bewertung von 1 bis 5."]


def test_all_answers_are_cleaned_to_their_types(event):
    service = ServiceOfferingFactory()
    event.services.add(service)
    group = TargetGroupFactory(name="Familien", slug="familien")
    form = form_for(
        event,
        rating_overall="5",
        rating_consultation="1",
        rating_material="3",
        rating_location="2",
        heard_via="poster",
        services_of_interest=[str(service.pk)],
        would_come_again="yes",
        target_group=str(group.pk),
        comment="Sehr gut!",
        may_publish="on",
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert (data["rating_consultation"], data["rating_material"]) == (1, 3)
    assert data["heard_via"] == "poster"
    assert list(data["services_of_interest"]) == [service]
    assert data["would_come_again"] is True
    assert data["target_group"] == group
    assert data["may_publish"] is True


@pytest.mark.parametrize(
    ("sent", "cleaned"), [("yes", True), ("no", False), ("", None)]
)
def test_would_come_again_is_yes_no_or_no_answer(event, sent, cleaned):
    form = form_for(event, would_come_again=sent)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["would_come_again"] is cleaned


def test_an_unknown_channel_is_refused(event):
    form = form_for(event, heard_via="carrier_pigeon")
    assert not form.is_valid()
    assert "heard_via" in form.errors


def test_every_channel_can_be_chosen(event):
    for channel in Feedback.Channel.values:
        assert form_for(event, heard_via=channel).is_valid()


def test_only_the_events_services_are_offered(event):
    offered, elsewhere = ServiceOfferingFactory(), ServiceOfferingFactory()
    event.services.add(offered)
    form = form_for(event, services_of_interest=[str(elsewhere.pk)])
    assert list(form.fields["services_of_interest"].queryset) == [offered]
    assert not form.is_valid()
    assert "services_of_interest" in form.errors


@pytest.mark.parametrize("value", ["999999", "abc", "-1"])
def test_unknown_service_ids_are_refused(event, value):
    form = form_for(event, services_of_interest=[value])
    assert not form.is_valid()
    assert "services_of_interest" in form.errors


def test_an_event_without_services_offers_all_services(event):
    services = ServiceOfferingFactory.create_batch(3)
    form = FeedbackForm(event=event)
    assert set(form.fields["services_of_interest"].queryset) == set(services)


def test_an_unknown_target_group_is_refused(event):
    form = form_for(event, target_group="999999")
    assert not form.is_valid()
    assert "target_group" in form.errors


def test_a_comment_of_1000_characters_is_accepted(event):
    form = form_for(event, comment="a" * 1000)
    assert form.is_valid(), form.errors


def test_a_comment_of_1001_characters_is_refused(event):
    form = form_for(event, comment="a" * 1001)
    assert not form.is_valid()
    assert "comment" in form.errors


def test_line_breaks_from_the_browser_count_as_one_character(event):
    form = form_for(event, comment="a\r\n" * 333 + "a")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == "a\n" * 333 + "a"


def test_control_characters_are_stripped_from_the_comment(event):
    form = form_for(event, comment="Gut\x00\x07\x1b[31m\x7f\tsehr\x0bgut\nDanke\x85")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["comment"] == "Gut[31m\tsehrgut\nDanke"


def test_strip_control_characters_keeps_umlauts_emoji_and_scripts():
    text = "Schön 👍 مرحبا Привет\tok\n"
    assert strip_control_characters(text) == text


def test_html_in_the_comment_stays_text(event):
    form = form_for(event, comment="<script>alert('x')</script>")
    assert form.is_valid()
    assert form.cleaned_data["comment"] == "<script>alert('x')</script>"


def test_may_publish_is_unticked_by_default(event):
    form = FeedbackForm(event=event)
    assert not form["may_publish"].value()
    assert "checked" not in str(form["may_publish"])


def test_may_publish_is_cleared_without_a_comment(event):
    form = form_for(event, may_publish="on", comment="   ")
    assert form.is_valid()
    assert form.cleaned_data["may_publish"] is False


def test_the_honeypot_is_hidden_from_sight_and_keyboard(event):
    html = str(FeedbackForm(event=event)["reference"])
    assert 'tabindex="-1"' in html
    assert 'autocomplete="off"' in html
    assert (
        FeedbackForm(event=event)["reference"].label == "Dieses Feld bitte leer lassen"
    )


def test_a_filled_honeypot_marks_a_bot(event):
    assert form_for(event, reference="http://spam.example").is_bot
    assert not form_for(event, reference="").is_bot


def test_a_form_sent_too_fast_is_refused(event, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 3
    form = form_for(event, started=fill_token(event.short_code))
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "too_fast"


def test_the_minimum_fill_time_is_a_setting(event, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    assert form_for(event, started=fill_token(event.short_code)).is_valid()


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "abc:1xWADi:forged-signature",
    ],
)
def test_a_broken_start_time_is_refused(event, token):
    form = form_for(event, started=token)
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "bad_token"


def test_a_start_time_moved_back_by_hand_is_refused(event, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 3
    value, _stamp, signature = fill_token(event.short_code).split(":")
    a_minute_ago = int((timezone.now() - timedelta(minutes=1)).timestamp())
    backdated = f"{value}:{signing.b62_encode(a_minute_ago)}:{signature}"
    form = form_for(event, started=backdated)
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "bad_token"


def test_a_start_time_for_another_event_is_refused(event):
    other = open_for_feedback()
    an_hour_ago = (timezone.now() - timedelta(hours=1)).timestamp()
    form = form_for(event, started=fill_token(other.short_code, issued_at=an_hour_ago))
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "bad_token"


def test_a_form_left_open_for_days_is_refused(event):
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    form = form_for(event, started=fill_token(event.short_code, issued_at=two_days_ago))
    assert not form.is_valid()
    assert form.non_field_errors().as_data()[0].code == "bad_token"


def test_renewing_the_start_time_replaces_the_sent_one(event):
    form = form_for(event, started="garbage")
    assert not form.is_valid()
    form.renew_fill_token()
    assert form.data["started"] != "garbage"
    assert form.data["started"].startswith(event.short_code + ":")


def test_every_rating_point_is_labelled_with_its_meaning(event):
    labels = [
        label
        for _value, label in FeedbackForm(event=event).fields["rating_overall"].choices
    ]
    assert labels == [
        "1 – sehr schlecht",
        "2 – schlecht",
        "3 – mittel",
        "4 – gut",
        "5 – sehr gut",
    ]


@pytest.mark.parametrize("name", RATING_FIELDS)
def test_a_rating_has_five_choices_and_no_answer_is_leaving_it_untouched(event, name):
    form = FeedbackForm(event=event)
    assert [str(c.data["value"]) for c in form[name].subwidgets] == list("12345")
    sent = form_for(event, **{name: ""})
    assert sent.is_valid() == (name != "rating_overall")
    if name != "rating_overall":
        assert sent.cleaned_data[name] is None


def test_an_untouched_form_sends_no_answer_for_the_optional_questions(event):
    data = feedback_form_data(event)  # what a browser sends: ratings left out
    data.update(heard_via="", target_group="", would_come_again="")
    form = FeedbackForm(data, event=event)
    assert form.is_valid(), form.errors
    for name in (
        "rating_consultation",
        "heard_via",
        "target_group",
        "would_come_again",
    ):
        assert form.cleaned_data[name] in (None, ""), name
    assert form.cleaned_data["describes_self_otherwise"] is False


def test_drop_downs_offer_no_answer_first_so_an_untouched_one_sends_it(event):
    TargetGroupFactory(name="Familien", slug="familien")
    form = FeedbackForm(event=event)
    assert [c.data["label"] for c in form["target_group"].subwidgets] == [
        "Keine Angabe",
        "Familien",
        "Etwas anderes",
    ]
    heard_via = [str(c.data["value"]) for c in form["heard_via"].subwidgets]
    assert heard_via[0] == "" and len(heard_via) == 9


def test_would_come_again_offers_no_answer_last(event):
    form = FeedbackForm(event=event)
    labels = [c.data["label"] for c in form["would_come_again"].subwidgets]
    assert labels == ["Ja", "Nein", "Keine Angabe"]


def rendered(form) -> str:
    return render_crispy_form(form)


def test_the_required_question_comes_first(event):
    html = rendered(FeedbackForm(event=event))
    first_question = re.search(r"<legend[^>]*>\s*([^<]+)", html).group(1).strip()
    assert first_question == "Wie hat Ihnen die Veranstaltung insgesamt gefallen?"


def test_a_rating_is_a_row_of_five_numbers_named_for_screen_readers(event):
    html = rendered(FeedbackForm(event=event))
    row = html[html.index('id="div_id_rating_location"') :]
    row = row[: row.index("</fieldset>")]
    assert row.count('type="radio"') == 5
    assert 'value=""' not in row
    assert (
        '<span aria-hidden="true">1</span>'
        '<span class="visually-hidden">1 – sehr schlecht</span>'
    ) in row
    assert '<p class="rating-ends" aria-hidden="true"><span>sehr schlecht</span>' in row


def test_a_rating_shown_again_keeps_its_answer(event):
    form = form_for(event, rating_overall="", rating_location="4")
    assert not form.is_valid()
    html = rendered(form)
    assert re.search(r'value="4"[^>]*id="id_rating_location_3"[^>]*checked', html)
    assert 'aria-describedby="id_rating_overall_error"' in html


@pytest.mark.parametrize(
    ("sent", "otherwise"), [("other", True), ("", False), ("group", False)]
)
def test_something_else_is_told_apart_from_no_answer(event, sent, otherwise):
    group = TargetGroupFactory()
    form = form_for(event, target_group=str(group.pk) if sent == "group" else sent)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["describes_self_otherwise"] is otherwise
    expected_group = group if sent == "group" else None
    assert form.cleaned_data["target_group"] == expected_group


@pytest.mark.parametrize("value", ["others", "Other", "<script>", "1 OR 1=1"])
def test_an_unknown_self_description_is_refused(event, value):
    form = form_for(event, target_group=value)
    assert not form.is_valid()
    assert "target_group" in form.errors


def test_channels_are_capitalised_as_answers(event):
    labels = dict(FeedbackForm(event=event).fields["heard_via"].choices)
    assert labels["social_media"] == "Soziale Medien"


def test_bidirectional_controls_are_stripped_but_emoji_joiners_stay():
    text = "gut \u202eworden\u202c \u2067x\u2069 👩\u200d👧"
    assert strip_control_characters(text) == "gut worden x 👩\u200d👧"
