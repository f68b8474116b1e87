"""Jobcenters for the legal-page and admin tests: a second one on its own host."""

from django.core.files.base import ContentFile

from jobcenters.models import Host, Jobcenter

SECOND_HOST = "zwei.testserver"

FILLED = {
    "legal_body": "Jobcenter Zwei ist eine gemeinsame Einrichtung der Agentur für "
    "Arbeit Zweistadt und der Stadt Zweistadt.",
    "street": "Zweiweg 2",
    "postcode": "22222",
    "city": "Zweistadt",
    "represented_by": "den Geschäftsführer Zacharias Zwei",
    "phone": "0222 22222",
    "email": "kontakt@zwei.example.org",
    "supervisory_authority": "Aufsichtsamt Zwei",
    "data_protection_officer": "Datenschutz Zwei, datenschutz@zwei.example.org",
    "accessibility_contact": "barrieren@zwei.example.org",
}

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBVTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHallo.\n"


def with_host(jobcenter: Jobcenter, name: str) -> Jobcenter:
    Host.objects.get_or_create(name=name, defaults={"jobcenter": jobcenter})
    return jobcenter


def second_jobcenter(**fields) -> Jobcenter:
    """Jobcenter Zwei, served under zwei.testserver, with every detail filled in."""
    values = {"name": "Jobcenter Zwei", "slug": "jobcenter-zwei", **FILLED, **fields}
    jobcenter = Jobcenter.objects.create(**values)
    return with_host(jobcenter, SECOND_HOST)


def add_sign_language_video(jobcenter: Jobcenter, *, captions: bool = True) -> None:
    jobcenter.dgs_video.save("erklaerung.mp4", ContentFile(MP4), save=False)
    if captions:
        jobcenter.dgs_captions.save("erklaerung.vtt", ContentFile(WEBVTT), save=False)
    jobcenter.save()
