"""An installation of one Jobcenter, upgraded in place, keeps every row and address.

Migrates the database back to before Jobcenters existed, writes data the way
that version did, migrates forward and checks that everything now belongs to
the first Jobcenter, made from the operator's settings, with the same slugs and
short codes; then back again, and nothing is lost either way.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("jobcenters", None),
    ("events", "0006_remove_untranslated_columns"),
    ("feedback", "0008_feedback_language"),
    ("audit", "0008_remove_untranslated_history_columns"),
]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def latest():
    executor = MigrationExecutor(connection)
    return [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] in {"jobcenters", "events", "feedback", "audit"}
    ]


def write_old_data(apps):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    District = apps.get_model("events", "District")
    Location = apps.get_model("events", "Location")
    Event = apps.get_model("events", "Event")
    Feedback = apps.get_model("feedback", "Feedback")
    coordination, _ = Group.objects.get_or_create(name="Koordination")
    staff, _ = Group.objects.get_or_create(name="Mitarbeitende")
    anna = User.objects.create(username="anna", is_staff=True)
    anna.groups.add(coordination, staff)
    district = District.objects.create(name="Oststadt", slug="oststadt")
    location = Location.objects.create(
        street="Museumstraße 1", postcode="75175", city="Pforzheim", district=district
    )
    start = timezone.now() - timedelta(days=3)
    event = Event.objects.create(
        slug="wir-fuer-sie",
        short_code="abc234",
        location=location,
        start=start,
        end=start + timedelta(hours=3),
        status="published",
    )
    Feedback.objects.create(event=event, rating_overall=5, comment="Gut")
    return event


def test_upgrade_in_place_keeps_every_row_and_address(settings):
    settings.ORGANISATION_NAME = "Jobcenter Pforzheim"
    settings.BRAND_COLOR = "#A1005B"
    settings.SITE_URL = "https://quartier.jobcenter-pforzheim.de"
    head = latest()
    old = migrate(BEFORE)
    write_old_data(old)

    new = migrate(head)
    Jobcenter = new.get_model("jobcenters", "Jobcenter")
    (first,) = Jobcenter.objects.all()
    assert first.name == "Jobcenter Pforzheim"
    assert first.brand_color == "#a1005b"
    hosts = new.get_model("jobcenters", "Host").objects.filter(jobcenter=first)
    assert [(h.name, h.is_primary) for h in hosts] == [
        ("quartier.jobcenter-pforzheim.de", True)
    ]
    Event = new.get_model("events", "Event")
    event = Event.objects.get()
    assert (event.slug, event.short_code, event.jobcenter_id) == (
        "wir-fuer-sie",
        "abc234",
        first.pk,
    )
    for app, model in [
        ("events", "District"),
        ("events", "Location"),
        ("feedback", "Feedback"),
    ]:
        rows = new.get_model(app, model).objects.all()
        assert rows.count() == 1
        assert rows.filter(jobcenter=first).count() == 1
    roles = new.get_model("jobcenters", "Membership").objects.values_list(
        "user__username", "role"
    )
    assert sorted(roles) == [("anna", "koordination"), ("anna", "mitarbeitende")]

    back = migrate(BEFORE)
    event = back.get_model("events", "Event").objects.get()
    assert (event.slug, event.short_code) == ("wir-fuer-sie", "abc234")
    assert back.get_model("feedback", "Feedback").objects.get().comment == "Gut"
    anna = back.get_model("auth", "User").objects.get(username="anna")
    assert anna.groups.count() == 2
    migrate(head)
