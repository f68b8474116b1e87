from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.services import comment_cutoff, purge_old_comments
from jobcenters.models import Jobcenter
from jobcenters.scoping import jobcenter_scope


class Command(BaseCommand):
    help = (
        "Remove free-text comments older than COMMENT_RETENTION_MONTHS; "
        "ratings and all other answers stay. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Keep comments this many months (default: COMMENT_RETENTION_MONTHS).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the comments that would be removed.",
        )

    def handle(self, *args, **options):
        months = options["months"]
        if months is None:
            months = settings.COMMENT_RETENTION_MONTHS
        if months < 1:
            raise CommandError("--months must be at least 1.")
        now = timezone.now()
        # The retention period holds for every Jobcenter: each in its own scope.
        removed = 0
        for jobcenter in Jobcenter.objects.order_by("pk"):
            with jobcenter_scope(jobcenter):
                removed += purge_old_comments(
                    now=now, months=months, dry_run=options["dry_run"]
                )
        cutoff = timezone.localtime(comment_cutoff(now=now, months=months))
        verb = "Would remove" if options["dry_run"] else "Removed"
        self.stdout.write(
            f"{verb} {removed} comment(s) submitted before {cutoff:%Y-%m-%d %H:%M %Z}."
        )
