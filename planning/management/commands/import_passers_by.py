from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import Location
from jobcenters.scoping import jobcenter_scope
from planning.imports import import_counter
from planning.management.commands._importing import (
    add_common_arguments,
    pick_jobcenter,
    read_file,
    report,
)


class Command(BaseCommand):
    help = (
        "Import a pedestrian counter's CSV or XLSX file (a time stamp and a count "
        "per row, e.g. hystreet's export) for one location: summed per date and "
        "hour. Importing twice changes nothing."
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument(
            "--location",
            type=int,
            required=True,
            metavar="ID",
            help="The location the counter stands at (its number in the admin).",
        )

    def handle(self, *args, file, dry_run, jobcenter, location, **options):
        found = pick_jobcenter(jobcenter)
        data = read_file(file)
        with jobcenter_scope(found):
            place = Location.objects.filter(pk=location).first()
            if place is None:
                raise CommandError(f"{found} has no location with the ID {location}.")
            plan = import_counter(
                data, location=place, source=Path(file).name, dry_run=dry_run
            )
            where = str(place)
        report(self, plan, dry_run=dry_run, extra=[where])
