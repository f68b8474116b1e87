"""Setting up the second factor in Chromium: the whole login, under the strict CSP."""

import base64

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory
from tests.test_second_factor import code_for

PASSWORD = "correct-horse-battery"


@pytest.fixture
def coordinator(transactional_db):
    call_command("setup_roles", verbosity=0)
    return UserFactory(username="koordinatorin", groups=["Koordination"])


def test_a_coordinator_enrols_and_reaches_the_reports(page, live_server, coordinator):
    blocked = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and blocked.append(message.text)
        ),
    )
    page.goto(live_server.url + "/auswertung/")
    page.fill("#id_username", "koordinatorin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/zwei-faktor/einrichten/**")

    qr = page.locator("img.staffauth-qr")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert page.evaluate("(img) => img.naturalWidth", qr.element_handle()) > 0
    assert_accessible(page)

    device = TOTPDevice.objects.get(user=coordinator)
    secret = page.locator(".staffauth-secret").inner_text().replace(" ", "")
    assert base64.b32decode(secret) == device.bin_key, "typing the key works, too"
    page.fill("#id_code", code_for(device))
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/zwei-faktor/wiederherstellungscodes/**")
    assert page.locator(".staffauth-codes li").count() == 10
    assert page.get_by_role("button", name="Drucken").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ich habe die Codes aufbewahrt: weiter").click()
    page.wait_for_url(live_server.url + "/auswertung/")
    assert page.locator("h1").count() == 1
    assert blocked == []
