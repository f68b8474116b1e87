"""Every page of ours is valid HTML by the Nu HTML Checker ("Nu-valid").

The pages are rendered with the test client on the demo data, written to a
temporary folder and checked in a single run of the official checker
(``vnu.jar`` from the npm package ``vnu-jar``, pinned in ``tests/nu/``):
starting its JVM takes seconds, so never once per page. Django admin's own
pages are not ours and are left out; the second-factor pages are ours.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from events.demo import FIRST_EVENT_SLUG
from events.models import Event, ServiceOffering
from events.roles import COORDINATION, STAFF
from quartier import staffauth
from tests.accounts import force_login_verified, verified_device
from tests.factories import (
    EventFactory,
    UserFactory,
    feedback_form_data,
    open_for_feedback,
)
from tests.outage import database_down
from tests.postcodes import ensure_postcode_centres

pytestmark = pytest.mark.django_db

VNU = Path(__file__).resolve().parent / "nu/node_modules/vnu-jar/build/dist/vnu.jar"
PASSWORD = "correct-horse-battery"  # the factories' password
VISITOR_IP = "203.0.113.90"


def visitor() -> Client:
    client = Client(REMOTE_ADDR=VISITOR_IP)
    client.raise_request_exception = False  # see error pages, as a browser does
    return client


def page(pages: dict, name: str, response, status: int = 200) -> None:
    assert response.status_code == status, (name, response.status_code)
    assert response["Content-Type"].startswith("text/html"), name
    pages[name] = response.content


def public_pages(pages: dict, settings) -> None:
    upcoming = Event.objects.published().upcoming().order_by("start")
    event = upcoming.first()
    cancelled = EventFactory(
        cancelled=True, title="Beratung am Marktplatz", location=event.location
    )
    today = open_for_feedback(
        title="Jobcenter im Quartier: heute",
        location=event.location,
        services=list(ServiceOffering.objects.all()),
    )
    district = event.location.district.slug
    ensure_postcode_centres()  # a transactional test may have emptied them
    category = ServiceOffering.objects.order_by("category").first().category
    form = f"/f/{today.short_code}/"
    client = visitor()
    for name, address, status in [
        ("home", "/", 200),
        ("home-en", "/en/", 200),
        ("home-filtered", f"/?bezirk={district}&angebot={category}", 200),
        ("home-wrong-filter", "/?von=2024-13-45&bezirk=%3Cscript%3E&seite=x", 200),
        ("home-near", "/?plz=75175", 200),
        ("home-near-unknown", "/?plz=12345&bezirk=" + district, 200),
        ("embed-near", "/einbetten/?plz=75175", 200),
        ("archive", "/archiv/", 200),
        ("embed", f"/einbetten/?bezirk={district}&anzahl=3", 200),
        ("embed-ar", "/ar/einbetten/?von=x", 200),
        ("event", event.get_absolute_url(), 200),
        ("event-en", f"/en{event.get_absolute_url()}", 200),
        ("event-cancelled", cancelled.get_absolute_url(), 200),
        ("event-reviewed", f"/veranstaltungen/{FIRST_EVENT_SLUG}/", 200),
        ("poster", f"{event.get_absolute_url()}plakat/", 200),
        ("feedback-form", form, 200),
        ("feedback-thanks", f"{form}danke/", 200),
        ("questionnaire", f"{form}fragebogen/", 200),
        ("imprint", "/impressum/", 200),
        ("privacy", "/datenschutz/", 200),
        ("accessibility", "/barrierefreiheit/", 200),
        ("easy-read", "/leichte-sprache/", 200),
        ("not-found", "/gibt-es-nicht/", 404),
    ]:
        page(pages, name, client.get(address), status)

    alerts_pages(pages, client, district)

    wrong = feedback_form_data(today, rating_overall="0", comment="x" * 3000)
    page(pages, "feedback-form-errors", client.post(form, wrong))
    page(pages, "feedback-not-yet", client.get(f"/f/{event.short_code}/"))
    first = Event.objects.get(slug=FIRST_EVENT_SLUG)
    page(pages, "feedback-closed", client.get(f"/f/{first.short_code}/"), 410)

    # The security cookie was lost: the form comes back with the answers.
    without_cookie = Client(enforce_csrf_checks=True)
    answers = feedback_form_data(today)
    page(pages, "csrf-form-again", without_cookie.post(form, answers), 403)
    page(pages, "csrf-failure", without_cookie.post("/i18n/setlang/", {}), 403)

    settings.FEEDBACK_RATE_LIMIT = 1
    cache.clear()
    assert client.post(form, feedback_form_data(today)).status_code == 302
    page(pages, "rate-limited", client.post(form, feedback_form_data(today)), 429)

    with database_down():
        page(pages, "outage", client.get("/"), 503)
        page(pages, "outage-form", client.post(form, feedback_form_data(today)), 503)


def alerts_pages(pages: dict, client, district: str) -> None:
    """The subscription pages, and the HTML of both mails (lang, dir, links)."""
    from django.core import mail

    from alerts.models import Subscription
    from events.services import publish_event
    from tests.alerts.helpers import link, run_tasks

    url = "/benachrichtigungen/"
    page(pages, "alerts", client.get(f"{url}?bezirk={district}"))
    page(pages, "alerts-en", client.get(f"/en{url}"))
    wrong = {"email": "<script>", "bezirk": "x", "angebot": "y"}
    page(pages, "alerts-errors", client.post(url, wrong), 400)
    page(pages, "alerts-sent", client.get(f"{url}gesendet/"))
    page(pages, "alerts-bad-link", client.get(f"{url}bestaetigen/1/x/"), 404)
    mail.outbox.clear()
    subscribe = {"email": "nu@example.org", "zustimmung": "on"}
    assert client.post(f"/ar{url}", subscribe).status_code == 302
    run_tasks()
    (confirmation,) = mail.outbox
    pages["mail-confirm-ar"] = confirmation.alternatives[0][0].encode()
    confirm = link(confirmation, "bestaetigen")
    page(pages, "alerts-confirm", client.get(confirm))
    page(pages, "alerts-confirmed", client.post(confirm))
    assert Subscription.objects.get(email="nu@example.org").consented_at
    mail.outbox.clear()
    publish_event(EventFactory(title="Beratung im Park"))
    run_tasks()
    (alert,) = mail.outbox
    pages["mail-event-ar"] = alert.alternatives[0][0].encode()
    unsubscribe = link(alert, "abmelden")
    page(pages, "alerts-unsubscribe", client.get(unsubscribe))
    page(pages, "alerts-unsubscribed", client.post(unsubscribe))


def staff_pages(pages: dict, settings) -> None:
    on_site = Client()
    on_site.force_login(UserFactory(username="mitarbeiterin", groups=[STAFF]))
    page(pages, "team", on_site.get("/team/"))
    page(pages, "passers-by", on_site.get("/team/passanten/"))
    page(
        pages,
        "passers-by-errors",
        on_site.post("/team/passanten/", {"count": "-1", "minutes": "61"}),
        400,
    )
    page(pages, "forbidden", on_site.get("/auswertung/"), 403)

    coordinator = UserFactory(username="koordinatorin", groups=[COORDINATION])
    reports = Client()
    force_login_verified(reports, coordinator)
    first = Event.objects.get(slug=FIRST_EVENT_SLUG)
    for name, address in [
        ("overview", "/auswertung/"),
        ("overview-filtered", "/auswertung/?von=2024-01-01&bis=2024-12-31"),
        ("overview-wrong-filter", "/auswertung/?von=kein-datum"),
        ("event-report", f"/auswertung/veranstaltung/{first.pk}/"),
        ("event-report-print", f"/auswertung/veranstaltung/{first.pk}/?druck=1"),
        ("locations", "/auswertung/orte/"),
        ("channels", "/auswertung/kanaele/"),
        ("changes", "/auswertung/aenderungen/"),
    ]:
        page(pages, name, reports.get(address))

    # The second factor: asked for a code, enrolling, recovery codes.
    newcomer = Client()
    UserFactory(username="neu", groups=[COORDINATION])
    login = {"username": "neu", "password": PASSWORD, "next": "/auswertung/"}
    assert newcomer.post("/admin/login/", login).status_code == 302
    page(pages, "2fa-enrol", newcomer.get("/admin/zwei-faktor/einrichten/"))
    page(
        pages,
        "2fa-enrol-error",
        newcomer.post("/admin/zwei-faktor/einrichten/", {"code": "abc"}),
    )

    returning = Client()
    verified_device(UserFactory(username="wieder", groups=[COORDINATION]))
    login = {"username": "wieder", "password": PASSWORD, "next": "/auswertung/"}
    assert returning.post("/admin/login/", login).status_code == 302
    page(pages, "2fa-verify", returning.get("/admin/zwei-faktor/"))
    page(
        pages, "2fa-verify-error", returning.post("/admin/zwei-faktor/", {"code": "1"})
    )

    staffauth.new_recovery_codes(coordinator)
    renewed = reports.post("/admin/zwei-faktor/wiederherstellungscodes/neu/")
    assert renewed.status_code == 302
    page(pages, "2fa-recovery-codes", reports.get(renewed["Location"]))
    page(pages, "2fa-enrolled", reports.get("/admin/zwei-faktor/einrichten/"))

    # Last: wrong codes lock the user name and this address out.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = returning.post("/admin/zwei-faktor/", {"code": "000000"})
        if locked.status_code == 429:
            break
    page(pages, "2fa-locked-out", locked, 429)


def nu_errors(files: list[Path]) -> list[dict]:
    """The checker's error messages for these files, in one run of the JVM."""
    run = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # The report goes to standard error; exit status 1 means "errors found".
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stderr)["messages"]


def test_every_page_of_ours_is_nu_valid(roles, settings, tmp_path):
    assert VNU.exists(), (
        "vnu.jar is missing: run `make test` or `npm ci --prefix tests/nu`"
    )
    assert shutil.which("java"), "java is missing: install default-jre-headless"
    # One Jobcenter: it answers on testserver and localhost alike.
    call_command("seed_demo", verbosity=0, first_only=True)
    pages: dict[str, bytes] = {}
    public_pages(pages, settings)
    staff_pages(pages, settings)

    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(html)
        files.append(path)
    errors = nu_errors(files)

    report = [
        f"{Path(e['url'].removeprefix('file:')).name}:{e.get('lastLine', '?')}: "
        f"{e['message']}  [{e.get('extract', '').strip()}]"
        for e in errors
    ]
    assert not report, "Not Nu-valid:\n" + "\n".join(report)
