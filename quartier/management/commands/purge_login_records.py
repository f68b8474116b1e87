from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobcenters.scoping import scopes_disabled
from quartier.staffauth import purge_login_records


class Command(BaseCommand):
    help = (
        "Remove staff login records (logins, logouts, failed logins, with their "
        "addresses) older than LOGIN_RECORD_RETENTION_DAYS, and lock-out counters "
        "that have run out. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep records this many days (default: LOGIN_RECORD_RETENTION_DAYS).",
        )

    def handle(self, *args, **options):
        days = options["days"]
        if days is None:
            days = settings.LOGIN_RECORD_RETENTION_DAYS
        if days < 1:
            raise CommandError("--days must be at least 1.")
        # Login records belong to the installation, not to a Jobcenter: one
        # staff account may work for several.
        with scopes_disabled():
            removed = purge_login_records(now=timezone.now(), days=days)
        self.stdout.write(f"Removed {removed} login record(s) older than {days} days.")
