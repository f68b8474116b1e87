"""What the two import commands share: the Jobcenter, the file, the report."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from jobcenters.models import Jobcenter
from planning.imports import MAX_FILE_BYTES, Plan


def add_common_arguments(parser) -> None:
    parser.add_argument("file", help="A CSV (; or ,) or XLSX file.")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Check the file and show what would happen; store nothing.",
    )
    parser.add_argument(
        "--jobcenter",
        metavar="SLUG",
        help="The Jobcenter the rows belong to (needed when there are several).",
    )


def pick_jobcenter(slug: str | None) -> Jobcenter:
    """The named Jobcenter, or the only one there is."""
    if slug:
        found = Jobcenter.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No Jobcenter has the slug {slug!r}.")
        return found
    jobcenters = list(Jobcenter.objects.order_by("slug")[:2])
    if len(jobcenters) == 1:
        return jobcenters[0]
    if not jobcenters:
        raise CommandError("There is no Jobcenter yet (create one: create_jobcenter).")
    slugs = ", ".join(Jobcenter.objects.order_by("slug").values_list("slug", flat=True))
    raise CommandError(
        f"There are several Jobcenters: name one with --jobcenter ({slugs})."
    )


def read_file(name: str) -> bytes:
    path = Path(name)
    if not path.is_file():
        raise CommandError(f"No such file: {name}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CommandError(
            _("The file is too large (%(size)s MB); at most %(limit)s MB.")
            % {
                "size": round(path.stat().st_size / 1_048_576, 1),
                "limit": MAX_FILE_BYTES // 1_048_576,
            }
        )
    return path.read_bytes()


def report(command, plan: Plan, *, dry_run: bool, extra: list[str] = ()) -> None:
    """Print the summary, or the errors and fail (exit code 1)."""
    if not plan.ok:
        for error in plan.errors:
            command.stderr.write(str(error))
        raise CommandError(
            _("%(count)d error(s): nothing was stored.") % {"count": len(plan.errors)}
        )
    heading = (
        _("Dry run: nothing was stored. Importing would give:")
        if dry_run
        else _("Imported:")
    )
    command.stdout.write(heading)
    command.stdout.write(
        _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
        % {
            "created": plan.created,
            "updated": plan.updated,
            "unchanged": plan.unchanged,
        }
    )
    for line in extra:
        command.stdout.write(line)
    if not dry_run:
        command.stdout.write(command.style.SUCCESS(_("Done.")))
