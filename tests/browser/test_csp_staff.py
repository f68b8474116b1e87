"""The strict Content-Security-Policy holds on every page staff and coordinators use.

A logged-in superuser opens the admin (index, every changelist, add and change
form, with their widgets at work), the team page and every coordinator page.
Any CSP violation (reported by the browser's securitypolicyviolation event or
in the console) or any other console error fails the test.
"""

from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from events.models import EventSlugRedirect, Review
from feedback.models import Feedback
from tests.factories import (
    ContactCountFactory,
    FeedbackFactory,
    MaterialHandoutFactory,
    ServiceOfferingFactory,
    TargetGroupFactory,
    UserFactory,
    open_for_feedback,
)
from tests.test_second_factor import code_for

LISTENER = Path(__file__).with_name("csp_listener.js")
PASSWORD = "correct-horse-battery"


@pytest.fixture
def planned(transactional_db):
    """One object of every kind the admin lists, and a superuser."""
    call_command("setup_roles", verbosity=0)
    chefin = UserFactory(username="chefin", is_superuser=True)
    TOTPDevice.objects.create(user=chefin, name="Telefon")
    event = open_for_feedback(
        services=[ServiceOfferingFactory(), ServiceOfferingFactory()],
        target_groups=[TargetGroupFactory()],
    )
    MaterialHandoutFactory(event=event)
    EventSlugRedirect.objects.create(event=event, old_slug="alter-name")
    Review.objects.create(
        event=event, headline="Rückblick", lead="Kurz", body="<p>Text</p>"
    )
    FeedbackFactory(event=event, comment="Sehr gut", may_publish=True)
    FeedbackFactory(event=event, source=Feedback.Source.PAPER)
    ContactCountFactory(event=event)
    return event


class Watched:
    """A page whose CSP violations and console errors are collected."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.problems = []
        page.add_init_script(path=str(LISTENER))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{error}"))

    def _console(self, message):
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"{self.page.url}: {message.text}")

    def open(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response.status == 200, f"{path}: {response.status}"
        self.collect()

    def collect(self):
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self.problems.append(f"{self.page.url}: {violation}")
        self.page.evaluate("window.__cspViolations = []")


def log_in(watched):
    watched.page.goto(watched.base_url + "/admin/login/")
    watched.page.fill("#id_username", "chefin")
    watched.page.fill("#id_password", PASSWORD)
    watched.page.click("input[type=submit]")
    # Superusers give the code from their authenticator app (the code page is
    # watched too).
    watched.page.wait_for_url("**/admin/zwei-faktor/**")
    device = TOTPDevice.objects.get(user__username="chefin")
    watched.page.fill("#id_code", code_for(device))
    watched.page.click("input[type=submit]")
    watched.page.wait_for_url(watched.base_url + "/admin/")


def admin_pages() -> list[str]:
    """Every registered model's changelist, add form, a change form and its history."""
    paths = ["/admin/"]
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username="chefin")
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        paths.append(base)
        if model_admin.has_add_permission(request):  # not login records
            paths.append(f"{base}add/")
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            paths += [f"{base}{obj.pk}/change/", f"{base}{obj.pk}/history/"]
    return paths


def use_event_widgets(watched, event):
    """Date and time pickers, inline "add another", autocomplete, filter_horizontal."""
    page = watched.page
    watched.open(f"/admin/events/event/{event.pk}/change/")
    page.click("#calendarlink0")
    page.wait_for_selector("#calendarbox0", state="visible")
    page.click("#calendarbox0 .calendarnav-next")
    page.click("#calendarbox0 .calendar-cancel a")
    page.click("#clocklink0")
    page.wait_for_selector("#clockbox0", state="visible")
    page.click("#clockbox0 .timelist a >> nth=0")
    page.click(".add-row a")
    page.wait_for_selector("#handouts-1")
    page.click("#id_location ~ .select2 .select2-selection")
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    page.click("#id_services_remove_all")
    page.click("#id_services_add_all")
    page.fill("#id_services_input", "Angebot")
    watched.collect()


def use_review_widgets(watched):
    page = watched.page
    watched.open("/admin/events/review/add/")
    page.click("#id_event ~ .select2 .select2-selection")
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    page.click(".add-row a >> nth=0")
    watched.collect()


def use_duplicate_action(watched):
    page = watched.page
    watched.open("/admin/events/event/")
    page.check("input.action-select >> nth=0")
    page.select_option("select[name=action]", "duplicate")
    page.click("button[name=index]")
    page.wait_for_selector("input[name=day]")
    watched.collect()


def test_staff_and_coordinator_pages_keep_to_the_policy(page, live_server, planned):
    watched = Watched(page, live_server.url)
    log_in(watched)
    for path in admin_pages():
        watched.open(path)
    use_event_widgets(watched, planned)
    use_review_widgets(watched)
    use_duplicate_action(watched)
    for path in (
        "/team/",
        "/auswertung/",
        f"/auswertung/veranstaltung/{planned.pk}/",
        f"/auswertung/veranstaltung/{planned.pk}/?druck=1",
        "/auswertung/orte/",
        "/auswertung/kanaele/",
    ):
        watched.open(path)
    assert watched.problems == [], "\n".join(watched.problems)


def test_the_watch_catches_a_violation(page, live_server, planned):
    """The listener is not blind: an inline style set by a script is reported."""
    watched = Watched(page, live_server.url)
    watched.open("/impressum/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    watched.collect()
    assert any("style-src" in problem for problem in watched.problems)
