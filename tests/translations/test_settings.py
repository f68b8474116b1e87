"""The machine translation settings refuse what cannot work, at start-up."""

import pytest

from tests.test_settings import PRODUCTION, manage


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"QUARTIER_MT_BACKEND": "google"}, "must be none, deepl or libretranslate"),
        ({"QUARTIER_MT_BACKEND": "deepl"}, "needs DEEPL_AUTH_KEY"),
        (
            {"QUARTIER_MT_BACKEND": "libretranslate", "LIBRETRANSLATE_URL": "lt:5000"},
            "needs LIBRETRANSLATE_URL",
        ),
        ({"QUARTIER_MT_TIMEOUT": "0"}, "QUARTIER_MT_TIMEOUT must be at least 1"),
    ],
)
def test_a_broken_machine_translation_setup_refuses_to_start(env, message):
    result = manage("check", **PRODUCTION, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_complete_deepl_setup_starts():
    result = manage(
        "check", **PRODUCTION, QUARTIER_MT_BACKEND="deepl", DEEPL_AUTH_KEY="k:fx"
    )
    assert result.returncode == 0, result.stderr
