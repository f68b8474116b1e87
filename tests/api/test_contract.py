"""The API keeps its OpenAPI document's promises (schemathesis, all checks).

The document is read from the running application (in-process, through
WSGI, with the test data); every operation is called with values the
document calls valid and invalid. No answer may be a server error, and every
answer must match the document (status, content type, headers, body).
tests/api/schemathesis.toml says which checks are tuned and why; .ci/run runs
the same checks against a live server with the CLI.
"""

from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from api.views import api

CONFIG = Path(__file__).with_name("schemathesis.toml")


# Made from the code, not the database: the document depends on code only.
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1/"),
    config=SchemathesisConfig.from_path(str(CONFIG)),
)


@pytest.fixture
def app(public_data):
    """The WSGI application; the test's transaction stays open between the
    requests (the data is only in it), as Django's test client keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_the_contract(app, case):
    case.call_and_validate(app=app)
