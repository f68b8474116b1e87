import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "quartier.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/5",
    "DJANGO_SETTINGS_MODULE": "quartier.settings",
}


def manage(*args, **env):
    test_only = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = manage(
        "check",
        **{
            **PRODUCTION,
            "SECRET_KEY": "django-insecure-quartier-local-development-only",
        },
    )
    assert result.returncode != 0
    assert "development SECRET_KEY" in result.stderr


def test_a_bad_boolean_is_refused_loudly():
    result = manage("check", **{**PRODUCTION, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_warns_about_a_cache_local_to_each_process():
    env = {**PRODUCTION}
    del env["CACHE_URL"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "quartier.W001" in result.stderr
    assert "CACHE_URL" in result.stderr


def test_development_runs_without_a_secret_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == b"ok"


def test_health_checks_are_exempt_from_the_https_redirect(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_responses_carry_a_strict_content_security_policy(client, db):
    policy = client.get("/healthz")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    ("env", "domain"),
    [
        ({"SITE_URL": "https://quartier.example.org/"}, "quartier.example.org"),
        (
            {
                "SITE_URL": "https://neu.example.org",
                "CALENDAR_UID_DOMAIN": "quartier.example.org",
            },
            "quartier.example.org",
        ),
    ],
)
def test_calendar_uids_keep_their_domain_when_the_site_moves(env, domain):
    shown = "from events.calendar import uid_domain; print(uid_domain())"
    result = manage("shell", "-v", "0", "-c", shown, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == domain


def client_ip_header(**env) -> subprocess.CompletedProcess:
    return manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CLIENT_IP_HEADER)",
        **{**PRODUCTION, **env},
    )


def test_the_former_name_of_the_client_address_header_still_works():
    result = client_ip_header(FEEDBACK_CLIENT_IP_HEADER="HTTP_X_REAL_IP")
    assert result.stdout.strip().splitlines()[-1] == "HTTP_X_REAL_IP", result.stderr
    result = client_ip_header(CLIENT_IP_HEADER="HTTP_X_REAL_IP")
    assert result.stdout.strip().splitlines()[-1] == "HTTP_X_REAL_IP", result.stderr


def test_two_disagreeing_client_address_headers_are_refused():
    result = client_ip_header(
        CLIENT_IP_HEADER="HTTP_X_REAL_IP",
        FEEDBACK_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
    )
    assert result.returncode != 0
    assert "disagree" in result.stderr
