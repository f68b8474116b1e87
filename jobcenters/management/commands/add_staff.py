from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jobcenters.management.commands.create_jobcenter import describe
from jobcenters.models import ROLE_GROUPS, Membership
from jobcenters.services import add_staff, jobcenter_by_host


class Command(BaseCommand):
    help = (
        "Let a user work for a Jobcenter in a role (creates the user if missing, "
        "with no password yet). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--jobcenter",
            required=True,
            metavar="HOST",
            help="One of the Jobcenter's host names.",
        )
        parser.add_argument(
            "--role",
            required=True,
            help=f"One of: {', '.join(Membership.Role.values)}.",
        )
        parser.add_argument("--email", default="", help="The user's e-mail address.")

    def handle(self, *args, username, jobcenter, role, email, **options):
        found = jobcenter_by_host(jobcenter)
        if found is None:
            raise CommandError(
                f"No Jobcenter has the host name {jobcenter!r} "
                "(create one with create_jobcenter)."
            )
        if role not in Membership.Role.values:
            raise CommandError(
                f"Unknown role {role!r}: choose one of "
                f"{', '.join(Membership.Role.values)}."
            )
        if not Group.objects.filter(name=ROLE_GROUPS[role]).exists():
            # The second factor rule reads the group: it must exist.
            call_command("setup_roles", verbosity=0)
        try:
            result = add_staff(
                username=username, jobcenter=found, role=role, email=email
            )
        except ValidationError as error:
            raise CommandError(describe(error)) from None
        user = result.user
        label = Membership.Role(role).label
        if result.membership_created:
            self.stdout.write(
                self.style.SUCCESS(f"{user.username} now works for {found} as {label}.")
            )
        else:
            self.stdout.write(f"{user.username} already works for {found} as {label}.")
        if result.user_created:
            self.stdout.write(
                f"Created the user {user.username} without a password. They set one "
                f"with: python manage.py changepassword {user.username}"
            )
        elif not user.has_usable_password():
            self.stdout.write(
                f"{user.username} has no password yet: "
                f"python manage.py changepassword {user.username}"
            )
