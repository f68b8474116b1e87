"""The app server's access log, as gunicorn writes it with our settings."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

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
