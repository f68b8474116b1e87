"""The installation's first Jobcenter, from the operator's settings.

Everything that existed before several Jobcenters could share an installation
moves into it (the other apps' migrations fill their new column from it), and
every member of the staff groups gets the same role in it.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations
from django.utils.text import slugify

ROLES = {"Mitarbeitende": "mitarbeitende", "Koordination": "koordination"}


def create_first_jobcenter(apps, schema_editor):
    Jobcenter = apps.get_model("jobcenters", "Jobcenter")
    Host = apps.get_model("jobcenters", "Host")
    Membership = apps.get_model("jobcenters", "Membership")
    Group = apps.get_model("auth", "Group")
    if Jobcenter.objects.exists():
        return
    color = settings.BRAND_COLOR.lower()
    jobcenter = Jobcenter.objects.create(
        name=settings.ORGANISATION_NAME,
        slug=slugify(settings.ORGANISATION_NAME)[:60] or "jobcenter",
        brand_color=color if re.fullmatch(r"#[0-9a-f]{6}", color) else "#0b5394",
    )
    host = (urlsplit(settings.SITE_URL).hostname or "").lower()
    if host:
        Host.objects.create(jobcenter=jobcenter, name=host, is_primary=True)
    for group in Group.objects.filter(name__in=ROLES):
        Membership.objects.bulk_create(
            Membership(user_id=user_id, jobcenter=jobcenter, role=ROLES[group.name])
            for user_id in group.user_set.values_list("pk", flat=True)
        )


def remove_first_jobcenter(apps, schema_editor):
    # The staff groups were never touched: their members keep them.
    apps.get_model("jobcenters", "Membership").objects.all().delete()
    apps.get_model("jobcenters", "Host").objects.all().delete()
    apps.get_model("jobcenters", "Jobcenter").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("jobcenters", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_first_jobcenter, remove_first_jobcenter),
    ]
