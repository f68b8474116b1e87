from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jobcenters.hosts import site_url
from jobcenters.services import create_jobcenter


def describe(error: ValidationError) -> str:
    """A validation error as one line per field, for the terminal."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "\n".join(
        f"{field}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )


class Command(BaseCommand):
    help = (
        "Create a Jobcenter served under a host name, with the default target "
        "groups. Then give it staff with add_staff."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='For example "Jobcenter Pforzheim".')
        parser.add_argument(
            "--host",
            required=True,
            help="Its host name, without scheme or path: quartier.jobcenter-x.de.",
        )
        parser.add_argument(
            "--short-name", default="", help="For example JC Pforzheim."
        )
        parser.add_argument(
            "--slug", default="", help="Default: made from the name (must be unique)."
        )

    def handle(self, *args, name, host, short_name, slug, **options):
        try:
            jobcenter = create_jobcenter(
                name=name, host=host, short_name=short_name, slug=slug
            )
        except ValidationError as error:
            raise CommandError(describe(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {jobcenter.name} (slug {jobcenter.slug}) at "
                f"{site_url(jobcenter)}/."
            )
        )
        self.stdout.write(
            "Add its host name to ALLOWED_HOSTS, then give it staff: "
            f"python manage.py add_staff USERNAME --jobcenter {jobcenter.hosts.get().name} "
            "--role koordination"
        )
