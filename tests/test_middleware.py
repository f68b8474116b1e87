import pytest

from tests.factories import feedback_form_data, open_for_feedback
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def test_a_nul_byte_typed_into_a_form_is_not_sent_back(client):
    # A wrong rating: the form comes back with the comment as it was typed.
    event = open_for_feedback()
    data = feedback_form_data(event, rating_overall="0", comment="Gut\x00<b>")
    response = client.post(f"/f/{event.short_code}/", data)
    assert response.status_code == 200
    assert b"\x00" not in response.content
    assert "Gut\ufffd&lt;b&gt;" in response.content.decode()
    assert int(response["Content-Length"]) == len(response.content)


def test_without_a_report_address_the_policy_reports_nowhere(client, settings):
    settings.CSP_REPORT_URI = ""
    response = client.get("/healthz")
    assert "report-uri" not in response["Content-Security-Policy"]
    assert "report-to" not in response["Content-Security-Policy"]
    assert "Reporting-Endpoints" not in response.headers


def test_with_a_report_address_browsers_are_told_where_to_report(client, settings):
    settings.CSP_REPORT_URI = "https://reports.example.org/csp"
    response = client.get("/healthz")
    policy = response["Content-Security-Policy"]
    assert policy.startswith("default-src 'self'; script-src 'self'")
    assert policy.endswith(
        "; report-uri https://reports.example.org/csp; report-to csp-endpoint"
    )
    assert (
        response["Reporting-Endpoints"]
        == 'csp-endpoint="https://reports.example.org/csp"'
    )


def test_a_report_address_that_would_change_the_policy_is_refused():
    result = manage(
        "check",
        **{**PRODUCTION, "CSP_REPORT_URI": "https://r.example.org/; script-src *"},
    )
    assert result.returncode != 0
    assert "CSP_REPORT_URI must be an absolute" in result.stderr
    result = manage(
        "check", **{**PRODUCTION, "CSP_REPORT_URI": "https://r.example.org/csp"}
    )
    assert result.returncode == 0, result.stderr
