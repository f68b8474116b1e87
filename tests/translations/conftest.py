import pytest

from tests.translations.fakes import FakeDeepL, FakeLibreTranslate


@pytest.fixture
def deepl_server(settings):
    """A local DeepL look-alike, and the settings that point the client at it."""
    with FakeDeepL() as server:
        settings.QUARTIER_MT_BACKEND = "deepl"
        settings.DEEPL_AUTH_KEY = "test-key:fx"
        settings.DEEPL_SERVER_URL = server.url
        settings.QUARTIER_MT_TIMEOUT = 1
        yield server


@pytest.fixture
def libre_server(settings):
    """A local LibreTranslate look-alike, and the settings that point to it."""
    with FakeLibreTranslate() as server:
        settings.QUARTIER_MT_BACKEND = "libretranslate"
        settings.LIBRETRANSLATE_URL = server.url
        settings.LIBRETRANSLATE_API_KEY = ""
        settings.QUARTIER_MT_TIMEOUT = 1
        yield server


@pytest.fixture(params=["deepl", "libretranslate"])
def service(request):
    """Each backend in turn, with its local server."""
    name = {"deepl": "deepl_server", "libretranslate": "libre_server"}[request.param]
    return request.getfixturevalue(name)
