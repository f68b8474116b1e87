from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from events.roles import ROLES
from jobcenters.scoping import scopes_disabled


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """(app_label, codename) pairs per role, gathered from every app's config."""
    wanted: dict[str, set[tuple[str, str]]] = {role: set() for role in ROLES}
    for config in apps.get_app_configs():
        for role, codenames in getattr(config, "role_permissions", {}).items():
            wanted[role].update((config.label, codename) for codename in codenames)
    return wanted


class Command(BaseCommand):
    help = (
        "Create the staff groups and give them exactly their permissions (idempotent)."
    )

    def handle(self, *args, **options):
        # The groups and their permissions are the same in every Jobcenter
        # (a membership names the group): installation-wide on purpose.
        with scopes_disabled(), transaction.atomic():
            self._set_up(options["verbosity"])

    def _set_up(self, verbosity: int) -> None:
        for role, pairs in role_permissions().items():
            permissions = []
            for app_label, codename in sorted(pairs):
                try:
                    permissions.append(
                        Permission.objects.get(
                            content_type__app_label=app_label, codename=codename
                        )
                    )
                except Permission.DoesNotExist:
                    raise CommandError(
                        f"Permission {app_label}.{codename} does not exist; run migrate first."
                    ) from None
            group, created = Group.objects.get_or_create(name=role)
            group.permissions.set(permissions)
            if verbosity >= 1:
                verb = "Created" if created else "Updated"
                self.stdout.write(
                    f"{verb} group {role!r} with {len(permissions)} permissions."
                )
