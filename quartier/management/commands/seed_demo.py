from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from events import demo as event_demo
from feedback import demo as feedback_demo
from jobcenters.demo import fill_demo_legal_details
from jobcenters.hosts import site_url
from jobcenters.scoping import jobcenter_scope
from planning import demo as planning_demo
from planning import estimates as planning_estimates
from planning.models import EstimatorFit


class Command(BaseCommand):
    help = (
        "Fill the database with realistic demo data: Pforzheim (the first "
        "Jobcenter, on 127.0.0.1) and the fictitious Jobcenter Musterstadt (on "
        "localhost). Idempotent: running it again adds nothing twice. With DEBUG "
        "on it also creates one demo account per role in each."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--events",
            type=int,
            default=0,
            metavar="N",
            help="Also create N generated events around today in the first "
            "Jobcenter, for benchmarks.",
        )
        parser.add_argument(
            "--first-only",
            action="store_true",
            help="Only the first Jobcenter (it then answers on every host).",
        )

    def handle(self, *args, events: int, first_only: bool, **options):
        if events < 0:
            raise CommandError("--events must not be negative.")
        call_command("setup_roles", stdout=self.stdout, verbosity=options["verbosity"])
        first, second = event_demo.demo_jobcenters(second=not first_only)
        for jobcenter in (first, second):
            if jobcenter is not None:
                # Made-up imprint and privacy details, marked as examples.
                fill_demo_legal_details(jobcenter)
        with jobcenter_scope(first):
            base = event_demo.seed_base()
            first_event = event_demo.seed_first_event(base)
            event_demo.seed_review(first_event)
            event_demo.seed_upcoming(base)
            if events:
                made = event_demo.seed_volume(base, count=events)
                self.stdout.write(f"Generated {made} events for volume.")
            added = feedback_demo.seed_feedback(base)
            if added:
                self.stdout.write(
                    f"Added {added} feedback answers to past demo events."
                )
            history = planning_demo.seed_history(base)
            if history.past_dates:
                self.stdout.write(
                    f"Added a history of {history.past_dates} past dates and "
                    f"{history.counts} passers-by counts."
                )
            if history.past_dates or not EstimatorFit.objects.exists():
                # What the worker does after a change to the history, done at
                # once so that the panel and the planning page show estimates.
                fit = planning_estimates.store_fit()
                self.stdout.write(f"Fitted the estimate to {fit.observations} dates.")
        if second is not None:
            with jobcenter_scope(second):
                event_demo.seed_second()
        elif not first_only:
            self.stdout.write(
                self.style.WARNING(
                    f"Another Jobcenter already answers on {event_demo.SECOND_HOST}: "
                    "no second demo Jobcenter."
                )
            )
        if settings.DEBUG:
            self.stdout.write("Demo accounts (log in at /admin/ of each address):")
            for jobcenter, accounts in (
                (first, event_demo.DEMO_ACCOUNTS),
                (second, event_demo.SECOND_ACCOUNTS),
            ):
                if jobcenter is None:
                    continue
                made = event_demo.seed_accounts(jobcenter, accounts)
                self.stdout.write(f"  {jobcenter.name} at {site_url(jobcenter)}/")
                for username, password in made:
                    self.stdout.write(f"    {username} / {password}")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
