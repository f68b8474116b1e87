"""The go-live checklist: what a Jobcenter's legal pages still lack."""

from datetime import date

import pytest

from jobcenters.checklist import missing_items
from jobcenters.models import Jobcenter
from tests.jobcenters.helpers import FILLED, add_sign_language_video

pytestmark = pytest.mark.django_db


def fields(jobcenter) -> list[str]:
    return [item.field for item in missing_items(jobcenter)]


def complete(**changes) -> Jobcenter:
    number = Jobcenter.objects.count()
    jobcenter = Jobcenter.objects.create(
        name="Jobcenter Fertig",
        slug=f"fertig-{number}",
        accessibility_reviewed_on=date(2026, 1, 1),
        **{**FILLED, **changes},
    )
    add_sign_language_video(jobcenter)
    return jobcenter


def test_a_jobcenter_without_details_lacks_every_one_of_them():
    empty = Jobcenter(name="Leer", slug="leer")
    assert fields(empty) == [
        "legal_body",
        "street",
        "represented_by",
        "email",
        "supervisory_authority",
        "data_protection_officer",
        "accessibility_contact",
        "accessibility_reviewed_on",
        "dgs_video",
    ]


def test_a_complete_joint_institution_lacks_nothing():
    assert missing_items(complete()) == []


def test_each_item_says_what_why_and_where():
    item = next(i for i in missing_items(Jobcenter()) if i.field == "dgs_video")
    assert str(item.what) == "Video in Deutscher Gebärdensprache"
    assert "§ 4" in str(item.why)
    assert [str(page) for page in item.pages] == [
        "Erklärung zur Barrierefreiheit",
        "Leichte Sprache",
    ]


@pytest.mark.parametrize("missing", ["street", "postcode", "city"])
def test_part_of_the_address_missing_is_the_address_missing(missing):
    assert fields(complete(**{missing: ""})) == ["street"]


def test_phone_alone_is_a_way_to_get_in_touch():
    assert fields(complete(email="")) == []
    assert fields(complete(email="", phone="")) == ["email"]


def test_a_municipal_jobcenter_needs_its_states_enforcement_body():
    jobcenter = complete(kind=Jobcenter.Kind.MUNICIPAL, state=Jobcenter.State.HE)
    assert fields(jobcenter) == ["enforcement_body"]
    jobcenter.enforcement_body = "Durchsetzungsstelle Hessen"
    assert fields(jobcenter) == []


def test_a_municipal_jobcenter_needs_its_state_for_the_privacy_authority():
    jobcenter = complete(
        kind=Jobcenter.Kind.MUNICIPAL, enforcement_body="Durchsetzungsstelle"
    )
    assert fields(jobcenter) == ["state"]


def test_a_joint_institution_needs_no_enforcement_body_of_its_own():
    assert "enforcement_body" not in fields(complete(enforcement_body=""))


def test_a_video_without_captions_asks_for_captions():
    jobcenter = complete()
    jobcenter.dgs_captions = ""
    assert fields(jobcenter) == ["dgs_captions"]


def test_blank_text_counts_as_missing():
    assert "legal_body" in fields(complete(legal_body="   \n"))
