"""A mail with its subject encoded beforehand is the mail Django would write."""

from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from django.core.mail import EmailMultiAlternatives

from alerts.mail import AlertMessage, encoded_subject

SUBJECTS = [
    "New date: Open day",
    "Neuer Termin: Sprechstunde für Familien – Straßenfest",
    "Morgen: " + "Beratung über Ausbildung und Förderung in der Südstadt " * 4,
    "موعد جديد: يوم مفتوح في مركز الحي",
    "Новий термін: День відкритих дверей",
    "Yeni tarih: Açık gün " + "x" * 300,
]


def pair(subject: str):
    values = {
        "subject": subject,
        "body": "Text",
        "from_email": "quartier@example.org",
        "to": ["citizen@example.org"],
        "headers": {"Message-ID": "<1@example.org>", "Date": "Sun, 6 Dec 2026"},
    }
    plain = EmailMultiAlternatives(**values)
    prepared = AlertMessage(**values)
    prepared.encoded = encoded_subject(subject)
    for message in (plain, prepared):
        message.attach_alternative("<p>Text</p>", "text/html")
    return plain, prepared


@pytest.mark.parametrize("subject", SUBJECTS)
def test_the_prepared_subject_gives_the_same_bytes(subject):
    plain, prepared = pair(subject)
    plain_bytes = plain.message().as_bytes()
    prepared_bytes = prepared.message().as_bytes()
    # Only the MIME boundaries differ (random per message).
    boundary = message_from_bytes(plain_bytes).get_boundary().encode()
    other = message_from_bytes(prepared_bytes).get_boundary().encode()
    assert prepared_bytes.replace(other, boundary) == plain_bytes
    # The subject reads as written, and stays readable on the object.
    header = message_from_bytes(prepared_bytes)["Subject"]
    assert str(make_header(decode_header(header))) == subject
    assert prepared.subject == subject


def test_a_subject_with_a_line_break_is_still_refused():
    from django.core.mail import BadHeaderError

    with pytest.raises(BadHeaderError):
        encoded_subject("Neuer Termin\nBcc: victim@example.org")


def test_without_a_prepared_subject_it_is_a_plain_mail():
    plain, prepared = pair("Neuer Termin: Straßenfest")
    prepared.encoded = None
    assert prepared.message()["Subject"] == plain.message()["Subject"]
