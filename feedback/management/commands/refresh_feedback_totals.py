from django.core.management.base import BaseCommand

from feedback.models import FeedbackTotals
from jobcenters.models import Jobcenter
from jobcenters.scoping import jobcenter_scope


class Command(BaseCommand):
    help = (
        "Recount every event's feedback totals from the stored answers. Only needed "
        "after loading feedback around the application (SQL, COPY, a restore)."
    )

    def handle(self, *args, **options):
        events = 0
        for jobcenter in Jobcenter.objects.order_by("pk"):
            with jobcenter_scope(jobcenter):
                events += FeedbackTotals.objects.rebuild()
        self.stdout.write(f"Recounted the feedback of {events} event(s).")
