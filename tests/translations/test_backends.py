"""The real clients against local servers that speak each service's API."""

import socket

import pytest
from django.utils import translation

from translations.backends import (
    DeepL,
    LibreTranslate,
    TranslationServiceError,
    get_backend,
)


@pytest.fixture(autouse=True)
def _english():
    """The messages in their source language (the admin shows them in German)."""
    with translation.override("en"):
        yield


def test_none_backend_means_machine_translation_is_off(settings):
    settings.QUARTIER_MT_BACKEND = "none"
    assert get_backend() is None


def test_deepl_client_sends_the_texts_in_one_request(deepl_server):
    backend = get_backend()
    assert isinstance(backend, DeepL)
    result = backend.translate(["Hallo", "Beratung vor Ort"], target="uk")
    assert result == ["[UK] Hallo", "[UK] Beratung vor Ort"]
    [request] = deepl_server.requests
    assert request["path"] == "/v2/translate"
    assert request["headers"]["Authorization"] == "DeepL-Auth-Key test-key:fx"
    assert request["body"]["text"] == ["Hallo", "Beratung vor Ort"]
    assert request["body"]["source_lang"] == "DE"
    assert request["body"]["target_lang"] == "UK"
    assert "tag_handling" not in request["body"]


def test_deepl_gets_html_with_tag_handling(deepl_server):
    get_backend().translate(["<p>Hallo</p>"], target="en", html=True)
    body = deepl_server.requests[0]["body"]
    assert body["tag_handling"] == "html"
    assert body["target_lang"] == "EN-GB"


@pytest.mark.parametrize(
    ("language", "code"),
    [("en", "EN-GB"), ("tr", "TR"), ("ar", "AR"), ("uk", "UK"), ("ru", "RU")],
)
def test_deepl_language_codes(language, code):
    assert DeepL.codes[language] == code


def test_deepl_cannot_translate_into_farsi_or_easy_read_german(deepl_server):
    backend = get_backend()
    assert backend.target("fa") is None
    assert backend.target("de-x-ls") is None
    with pytest.raises(TranslationServiceError, match="cannot translate"):
        backend.translate(["Hallo"], target="fa")
    assert deepl_server.requests == []


def test_libretranslate_client_posts_json(libre_server, settings):
    settings.LIBRETRANSLATE_API_KEY = "geheim"
    backend = get_backend()
    assert isinstance(backend, LibreTranslate)
    assert backend.translate(["Hallo", "Tschüss"], target="fa") == [
        "[FA] Hallo",
        "[FA] Tschüss",
    ]
    [request] = libre_server.requests
    assert request["path"] == "/translate"
    assert request["body"] == {
        "q": ["Hallo", "Tschüss"],
        "source": "de",
        "target": "fa",
        "format": "text",
        "api_key": "geheim",
    }


def test_libretranslate_gets_html_as_html(libre_server):
    get_backend().translate(["<p>Hallo</p>"], target="uk", html=True)
    assert libre_server.requests[0]["body"]["format"] == "html"


def test_many_texts_go_in_batches_of_fifty(service):
    texts = [f"Text {n}" for n in range(120)]
    result = get_backend().translate(texts, target="tr")
    assert result == [f"[TR] Text {n}" for n in range(120)]
    assert len(service.requests) == 3


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        (403, "key"),
        (456, "quota"),
        (500, "error"),
        ("garbage", "cannot be used"),
        ("wrong-count", "cannot be used"),
        ("slow", "could not be reached"),
    ],
)
def test_deepl_failures_become_one_clear_error(deepl_server, mode, message):
    deepl_server.mode = mode
    with pytest.raises(TranslationServiceError, match=message):
        get_backend().translate(["Hallo"], target="uk")


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        (403, "API_KEY"),
        (500, "error"),
        ("garbage", "cannot be used"),
        ("wrong-count", "cannot be used"),
        ("slow", "could not be reached"),
    ],
)
def test_libretranslate_failures_become_one_clear_error(libre_server, mode, message):
    libre_server.mode = mode
    with pytest.raises(TranslationServiceError, match=message):
        get_backend().translate(["Hallo"], target="uk")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_deepl(settings):
    settings.QUARTIER_MT_BACKEND = "deepl"
    settings.DEEPL_AUTH_KEY = "test-key:fx"
    settings.DEEPL_SERVER_URL = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(TranslationServiceError, match="could not be reached"):
        get_backend().translate(["Hallo"], target="uk")


def test_unreachable_libretranslate(settings):
    settings.QUARTIER_MT_BACKEND = "libretranslate"
    settings.LIBRETRANSLATE_URL = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(TranslationServiceError, match="could not be reached"):
        get_backend().translate(["Hallo"], target="uk")


def test_nul_characters_in_an_answer_are_dropped(libre_server):
    libre_server.translated = lambda texts, target: [f"{t}\x00!" for t in texts]
    assert get_backend().translate(["Hallo"], target="uk") == ["Hallo!"]
