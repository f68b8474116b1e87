"""gunicorn with our settings: the access log, and no workers without a shared cache."""

import importlib
import os
import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

from tests.test_settings import PRODUCTION, ROOT

VISITOR = {
    "REMOTE_ADDR": "203.0.113.7",
    "HTTP_USER_AGENT": "UniqueTestAgent/1.0",
    "HTTP_REFERER": "https://referrer.example/page",
}


def write_access_line(tmp_path) -> str:
    config = Config()
    settings = importlib.import_module("quartier.gunicorn")
    for name, value in vars(settings).items():
        if name in config.settings:  # as gunicorn loads a python: config
            config.set(name, value)
    config.set("accesslog", str(tmp_path / "access.log"))
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": "/f/abc123/?plz=75175",
        "PATH_INFO": "/f/abc123/",
        "QUERY_STRING": "plz=75175",
        "SERVER_PROTOCOL": "HTTP/1.1",
        **VISITOR,
    }
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", VISITOR["REMOTE_ADDR"])])
    response = SimpleNamespace(
        status="302 Found", sent=0, headers=[("X-Request-ID", "0123456789ab")]
    )
    logger = Logger(config)
    try:
        logger.access(response, request, environ, timedelta(milliseconds=31))
    finally:
        for handler in logger.access_log.handlers:
            handler.close()
    return (tmp_path / "access.log").read_text()


def test_the_access_log_keeps_the_request_and_its_outcome(tmp_path):
    line = write_access_line(tmp_path)
    assert '"POST /f/abc123/ HTTP/1.1" 302 0 31ms id=0123456789ab' in line


def test_the_access_log_names_no_visitor(tmp_path):
    line = write_access_line(tmp_path)
    for value in VISITOR.values():
        assert value not in line
    assert "75175" not in line


def start_gunicorn(workers: int, **env) -> tuple[int | None, str]:
    """gunicorn as documented: its exit status (None: still serving after 4 s)."""
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "-c", "python:quartier.gunicorn"),
            *("--bind", "127.0.0.1:0", "--workers", str(workers)),
            "quartier.wsgi:application",
        ],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = server.wait(timeout=4)
    except subprocess.TimeoutExpired:
        status = None
        server.terminate()  # gunicorn stops its workers on SIGTERM
    return status, server.communicate(timeout=30)[1]


def test_several_workers_without_a_shared_cache_refuse_to_start():
    status, log = start_gunicorn(2, CACHE_URL="")
    assert status == 1
    assert "The cache is not shared" in log
    assert "CACHE_URL" in log


def test_one_worker_may_keep_its_cache_to_itself():
    status, log = start_gunicorn(1, CACHE_URL="")
    assert status is None, log  # still serving when stopped
    assert "Booting worker" in log


def test_several_workers_start_with_a_shared_cache():
    status, log = start_gunicorn(2, CACHE_URL="redis://127.0.0.1:6379/5")
    assert status is None, log
    assert "Booting worker" in log
