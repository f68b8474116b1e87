"""``python manage.py plan_backtest [--json] [--jobcenter SLUG]``: the estimate's honest accuracy."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from jobcenters.models import Jobcenter
from jobcenters.scoping import jobcenter_scope
from planning import backtest


class Command(BaseCommand):
    help = (
        "Rolling-origin backtest of the expected-contacts estimate over the held "
        "dates: mean absolute error of the model and of two baselines (programme "
        "mean, the place's own mean) and the share of dates inside the 80 % range."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON only.")
        parser.add_argument(
            "--jobcenter",
            metavar="SLUG",
            help="The Jobcenter to test (default: the first).",
        )

    def handle(self, *args, **options):
        if options["jobcenter"]:
            jobcenter = Jobcenter.objects.filter(slug=options["jobcenter"]).first()
            if jobcenter is None:
                raise CommandError(
                    f"No Jobcenter with the slug {options['jobcenter']!r}."
                )
        else:
            jobcenter = Jobcenter.objects.order_by("pk").first()
            if jobcenter is None:
                raise CommandError("There is no Jobcenter yet.")
        started = time.perf_counter()
        with jobcenter_scope(jobcenter):
            result = backtest.run()
        seconds = time.perf_counter() - started
        summary = result.as_json()
        if options["json"]:
            self.stdout.write(json.dumps(summary))
            return
        self.stdout.write(self.table(jobcenter, result, summary, seconds))

    @staticmethod
    def table(jobcenter, result, summary, seconds) -> str:
        def number(value):
            return "–" if value is None else f"{value:.2f}"

        model = summary["model"]
        baselines = summary["baselines"]
        coverage = model["coverage_80"]
        first = result.rows[0].day if result.rows else None
        lines = [
            f"Backtest {jobcenter.slug}: {summary['events']} held dates predicted"
            + (f" from {first:%Y-%m}" if first else "")
            + f" (rolling origin, refit monthly, {seconds:.1f} s)",
            "",
            "| method | mean absolute error | inside the 80 % range |",
            "|---|---|---|",
            f"| model | {number(model['mae'])} | "
            + ("–" if coverage is None else f"{coverage:.0%}")
            + " |",
            f"| programme mean | {number(baselines['programme_mean']['mae'])} | |",
            f"| location mean | {number(baselines['location_mean']['mae'])} | |",
        ]
        return "\n".join(lines)
