from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jobcenters.scoping import jobcenter_scope
from planning.imports import import_history
from planning.management.commands._importing import (
    add_common_arguments,
    pick_jobcenter,
    read_file,
    report,
)


class Command(BaseCommand):
    help = (
        "Import past dates (date, start, end, location, street, postcode, district, "
        "contacts; optionally passers_by and title) from a CSV or XLSX file. "
        "German headers work too. All or nothing; importing twice changes nothing."
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)

    def handle(self, *args, file, dry_run, jobcenter, **options):
        found = pick_jobcenter(jobcenter)
        data = read_file(file)
        with jobcenter_scope(found):
            plan = import_history(data, source=Path(file).name, dry_run=dry_run)
        extra = []
        if plan.ok:
            extra = [
                _("New locations: %(count)d") % {"count": len(plan.new_locations)},
                *(f"  + {label}" for label in plan.new_locations),
                _("New districts: %(count)d") % {"count": len(plan.new_districts)},
                *(f"  + {name}" for name in plan.new_districts),
            ]
        report(self, plan, dry_run=dry_run, extra=extra)
