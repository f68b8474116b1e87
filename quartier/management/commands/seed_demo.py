from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from events import demo as event_demo
from feedback import demo as feedback_demo


class Command(BaseCommand):
    help = (
        "Fill the database with realistic demo data for Pforzheim. Idempotent: "
        "running it again adds nothing twice. With DEBUG on it also creates one "
        "demo account per role."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--events",
            type=int,
            default=0,
            metavar="N",
            help="Also create N generated events around today, for benchmarks.",
        )

    def handle(self, *args, events: int, **options):
        if events < 0:
            raise CommandError("--events must not be negative.")
        call_command("setup_roles", stdout=self.stdout, verbosity=options["verbosity"])
        base = event_demo.seed_base()
        first = event_demo.seed_first_event(base)
        event_demo.seed_review(first)
        event_demo.seed_upcoming(base)
        if events:
            made = event_demo.seed_volume(base, count=events)
            self.stdout.write(f"Generated {made} events for volume.")
        added = feedback_demo.seed_feedback(base)
        if added:
            self.stdout.write(f"Added {added} feedback answers to past demo events.")
        if settings.DEBUG:
            names = event_demo.seed_accounts()
            self.stdout.write(f"Demo accounts: {', '.join(names)} (see README).")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
