"""The mails: plain text and accessible HTML, in the subscriber's language.

A batch renders each language once, with a placeholder where the subscriber's
own unsubscribe address goes, so 100,000 mails cost a few renders, not 100,000.
The subject is encoded for its header once per language too (``AlertMessage``):
Python's encoding of a non-ASCII header was a quarter of a mail's CPU time.
Every mail carries the one-click unsubscribe of RFC 8058.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import forbid_multi_line_headers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from alerts import tokens
from alerts.models import Kind, Subscription
from jobcenters.hosts import site_url
from jobcenters.models import Jobcenter

PLACEHOLDER = "QUARTIERUNSUBSCRIBEURL"


def absolute(jobcenter: Jobcenter, path: str) -> str:
    return site_url(jobcenter) + path


def unsubscribe_url(jobcenter: Jobcenter, subscription: Subscription) -> str:
    with translation.override(subscription.language):
        path = reverse(
            "alerts:unsubscribe",
            kwargs={
                "pk": subscription.pk,
                "token": tokens.unsubscribe_token(subscription),
            },
        )
    return absolute(jobcenter, path)


class AlertMessage(EmailMultiAlternatives):
    """A mail whose Subject header was encoded beforehand (``encoded_subject``).

    The header is the one Django would write (``encoded_subject()`` runs
    Django's own code), made once per language and batch instead of once per
    mail; ``subject`` stays the readable text.
    """

    encoded: str | None = None

    def message(self):
        if self.encoded is None or self.encoding is not None:
            return super().message()
        subject, self.subject = self.subject, ""
        try:
            message = super().message()
        finally:
            self.subject = subject
        message.replace_header("Subject", self.encoded)
        return message


def encoded_subject(subject: str) -> str:
    """The Subject header's value as Django's EmailMessage.message() writes it."""
    return forbid_multi_line_headers("Subject", subject, settings.DEFAULT_CHARSET)[1]


def _message(
    *, subject, text, html, to, unsubscribe, language, encoded=None
) -> EmailMultiAlternatives:
    message = AlertMessage(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": language,
            "Auto-Submitted": "auto-generated",
        },
    )
    message.encoded = encoded
    message.attach_alternative(html, "text/html")
    return message


def _render(name: str, context: dict) -> tuple[str, str]:
    text = render_to_string(f"alerts/mail/{name}.txt", context)
    html = render_to_string(f"alerts/mail/{name}.html", context)
    return text, html


def _common(jobcenter: Jobcenter, language: str) -> dict:
    return {
        "language": language,
        "bidi": translation.get_language_bidi(),
        "jobcenter": jobcenter,
        "site_name": settings.SITE_NAME,
        "home_url": absolute(jobcenter, reverse("events:upcoming")),
        "unsubscribe_url": PLACEHOLDER,
    }


def confirmation_message(
    jobcenter: Jobcenter, subscription: Subscription, filters: dict, language: str
) -> EmailMultiAlternatives:
    with translation.override(language):
        confirm_path = reverse(
            "alerts:confirm",
            kwargs={
                "pk": subscription.pk,
                "token": tokens.confirm_token(
                    subscription, {**filters, "language": language}
                ),
            },
        )
        context = {
            **_common(jobcenter, language),
            "confirm_url": absolute(jobcenter, confirm_path),
            "hours": settings.ALERTS_CONFIRM_HOURS,
        }
        text, html = _render("confirm", context)
        subject = gettext("Please confirm your e-mail alerts")
    unsubscribe = unsubscribe_url(jobcenter, subscription)
    return _message(
        subject=subject,
        text=text.replace(PLACEHOLDER, unsubscribe),
        html=html.replace(PLACEHOLDER, unsubscribe),
        to=subscription.email,
        unsubscribe=unsubscribe,
        language=language,
    )


class EventMail:
    """One event's mail, rendered once per language, addressed per subscriber."""

    def __init__(self, jobcenter: Jobcenter, event, kind: str):
        self.jobcenter, self.event, self.kind = jobcenter, event, kind
        self._rendered: dict[str, tuple[str, str, str, str]] = {}
        self._unsubscribe: dict[str, str] = {}

    def unsubscribe_url(self, subscription: Subscription) -> str:
        """As unsubscribe_url(), with the address resolved once per language."""
        language = subscription.language
        if language not in self._unsubscribe:
            with translation.override(language):
                path = reverse("alerts:unsubscribe", kwargs={"pk": 1, "token": "TOKEN"})
            self._unsubscribe[language] = absolute(self.jobcenter, path).replace(
                "/1/TOKEN/", "/{pk}/{token}/"
            )
        return self._unsubscribe[language].format(
            pk=subscription.pk, token=tokens.unsubscribe_token(subscription)
        )

    def _for_language(self, language: str) -> tuple[str, str, str, str]:
        if language not in self._rendered:
            with translation.override(language):
                self.event.set_current_language(language)
                path = reverse("events:detail", kwargs={"slug": self.event.slug})
                context = {
                    **_common(self.jobcenter, language),
                    "event": self.event,
                    "event_url": absolute(self.jobcenter, path),
                    "reminder": self.kind == Kind.REMINDER,
                }
                text, html = _render("event", context)
                title = " ".join(
                    (
                        self.event.safe_translation_getter("title", any_language=True)
                        or ""
                    ).split()
                )
                subject = (
                    gettext("Tomorrow: %(title)s")
                    if self.kind == Kind.REMINDER
                    else gettext("New date: %(title)s")
                ) % {"title": title}
            self._rendered[language] = (
                subject,
                encoded_subject(subject),
                text,
                html,
            )
        return self._rendered[language]

    def message_for(self, subscription: Subscription) -> EmailMultiAlternatives:
        subject, encoded, text, html = self._for_language(subscription.language)
        unsubscribe = self.unsubscribe_url(subscription)
        return _message(
            subject=subject,
            encoded=encoded,
            text=text.replace(PLACEHOLDER, unsubscribe),
            html=html.replace(PLACEHOLDER, unsubscribe),
            to=subscription.email,
            unsubscribe=unsubscribe,
            language=subscription.language,
        )
