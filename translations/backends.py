"""Machine translation services behind one small interface.

``get_backend()`` returns the configured service (``QUARTIER_MT_BACKEND``), or
``None`` when machine translation is off. Each backend turns a list of German
texts into a list of texts in one target language with as few requests as the
service allows, and raises ``TranslationServiceError`` with a message a
person can act on when anything goes wrong: the caller then saves nothing.
"""

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

# Texts per request: DeepL accepts at most 50; LibreTranslate has no fixed
# limit, but smaller requests fail less on a slow server.
TEXTS_PER_REQUEST = 50


class TranslationServiceError(Exception):
    """The service did not translate: its message is shown to staff."""


def chunks(texts: list[str], size: int = TEXTS_PER_REQUEST) -> Iterator[list[str]]:
    for start in range(0, len(texts), size):
        yield texts[start : start + size]


def checked(texts: list[str], answer, expected: int) -> list[str]:
    """The answer if it is one non-empty string per non-empty text sent."""
    if isinstance(answer, list):
        # NUL cannot be stored in PostgreSQL text; no language needs it.
        answer = [t.replace("\x00", "") if isinstance(t, str) else t for t in answer]
    if (
        not isinstance(answer, list)
        or len(answer) != expected
        or any(not isinstance(text, str) for text in answer)
        or any(
            sent.strip() and not got.strip()
            for sent, got in zip(texts, answer, strict=True)
        )
    ):
        raise TranslationServiceError(
            _("The translation service sent an answer that cannot be used.")
        )
    return answer


class Backend:
    """What every backend offers; ``codes`` maps Quartier's language codes."""

    name = ""
    label = ""
    source = ""
    codes: dict[str, str] = {}

    def target(self, language: str) -> str | None:
        """The service's code for a Quartier language, or None if unsupported."""
        return self.codes.get(language)

    def translate(
        self, texts: list[str], *, target: str, html: bool = False
    ) -> list[str]:
        """German texts in the target language (a Quartier code), in order."""
        code = self.target(target)
        if code is None:
            raise TranslationServiceError(
                _("%(service)s cannot translate into this language.")
                % {"service": self.label}
            )
        result = []
        for part in chunks(texts):
            result += checked(part, self.request(part, code, html=html), len(part))
        return result

    def request(self, texts: list[str], code: str, *, html: bool) -> list:
        raise NotImplementedError


class DeepL(Backend):
    """The DeepL API through DeepL's own Python client."""

    name = "deepl"
    label = "DeepL"
    source = "DE"
    # British English; DeepL has no Persian (fa).
    codes = {"en": "EN-GB", "tr": "TR", "ar": "AR", "uk": "UK", "ru": "RU"}

    def __init__(self):
        import deepl

        # The client's module-wide knobs (as DeepL documents them): a staff
        # member waits for the answer, so no long back-off and one retry only.
        deepl.http_client.max_network_retries = 1
        deepl.http_client.min_connection_timeout = settings.QUARTIER_MT_TIMEOUT
        self.deepl = deepl
        self.client = deepl.Translator(
            settings.DEEPL_AUTH_KEY,
            server_url=settings.DEEPL_SERVER_URL or None,
            send_platform_info=False,
        )

    def request(self, texts: list[str], code: str, *, html: bool) -> list:
        deepl = self.deepl
        try:
            results = self.client.translate_text(
                texts,
                source_lang=self.source,
                target_lang=code,
                tag_handling="html" if html else None,
            )
        except deepl.AuthorizationException:
            raise TranslationServiceError(
                _("DeepL refused the key: check DEEPL_AUTH_KEY.")
            ) from None
        except deepl.QuotaExceededException:
            raise TranslationServiceError(
                _("The DeepL account's quota for this billing period is used up.")
            ) from None
        except deepl.ConnectionException:
            raise TranslationServiceError(
                _("DeepL could not be reached (no connection or no answer in time).")
            ) from None
        except deepl.DeepLException as error:
            status = getattr(error, "http_status_code", None)
            raise TranslationServiceError(
                _("DeepL answered with an error (%(status)s).")
                % {"status": status or "?"}
            ) from None
        except (TypeError, ValueError, KeyError, AttributeError):
            # The client could not read the answer (e.g. a proxy's error page).
            raise TranslationServiceError(
                _("The translation service sent an answer that cannot be used.")
            ) from None
        if not isinstance(results, list):
            return results
        return [getattr(result, "text", None) for result in results]


class LibreTranslate(Backend):
    """A self-hosted LibreTranslate server (POST /translate, JSON)."""

    name = "libretranslate"
    label = "LibreTranslate"
    source = "de"
    codes = {"en": "en", "tr": "tr", "ar": "ar", "uk": "uk", "ru": "ru", "fa": "fa"}

    def request(self, texts: list[str], code: str, *, html: bool) -> list:
        body = {
            "q": texts,
            "source": self.source,
            "target": code,
            "format": "html" if html else "text",
        }
        if settings.LIBRETRANSLATE_API_KEY:
            body["api_key"] = settings.LIBRETRANSLATE_API_KEY
        request = urllib.request.Request(
            f"{settings.LIBRETRANSLATE_URL}/translate",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(
                request, timeout=settings.QUARTIER_MT_TIMEOUT
            ) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                message = _(
                    "LibreTranslate refused the request: check LIBRETRANSLATE_API_KEY."
                )
            elif error.code == 429:
                message = _(
                    "LibreTranslate is busy or its limit is reached; try later."
                )
            else:
                message = _("LibreTranslate answered with an error (%(status)s).") % {
                    "status": error.code
                }
            raise TranslationServiceError(message) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError):
            raise TranslationServiceError(
                _(
                    "LibreTranslate could not be reached (no connection or no "
                    "answer in time)."
                )
            ) from None
        except ValueError:  # not JSON
            raise TranslationServiceError(
                _("The translation service sent an answer that cannot be used.")
            ) from None
        return answer.get("translatedText") if isinstance(answer, dict) else None


BACKENDS = {backend.name: backend for backend in (DeepL, LibreTranslate)}


def get_backend() -> Backend | None:
    """The configured translation service, or None if machine translation is off."""
    backend = BACKENDS.get(settings.QUARTIER_MT_BACKEND)
    return backend() if backend else None
