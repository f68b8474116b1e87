import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_byte_typed_into_a_filter_is_not_sent_back(client):
    response = client.get("/", {"von": "2025\x00<b>"})
    assert response.status_code == 200
    assert b"\x00" not in response.content
    assert "2025\ufffd&lt;b&gt;" in response.content.decode()
    assert int(response["Content-Length"]) == len(response.content)
