"""What every Jobcenter starts with.

The target groups are the ones the public filters, the feedback form and the
contact counts name (their slugs appear in addresses). The four service
categories are fixed choices (ServiceOffering.Category), so every Jobcenter
has them; the service offerings themselves are each Jobcenter's own and start
empty.
"""

from events.models import TargetGroup
from jobcenters.scoping import jobcenter_scope

# name, slug
DEFAULT_TARGET_GROUPS = [
    ("Arbeitsuchende", "arbeitsuchende"),
    ("Menschen mit Migrationsgeschichte", "migration"),
    ("Familien", "familien"),
]


def create_defaults(jobcenter) -> dict[str, TargetGroup]:
    """The defaults of this Jobcenter, made where missing (idempotent)."""
    with jobcenter_scope(jobcenter):
        return default_target_groups()


def default_target_groups() -> dict[str, TargetGroup]:
    """The default target groups of the active scope's Jobcenter, by slug."""
    groups = {}
    for name, slug in DEFAULT_TARGET_GROUPS:
        group = (
            TargetGroup.objects.filter(slug=slug).first()
            or TargetGroup.objects.filter(name=name).first()
        )
        if group is None:
            group = TargetGroup(name=name, slug=slug)
            group.full_clean()
            group.save()
        groups[slug] = group
    return groups


def on_jobcenter_created(sender, jobcenter, **kwargs) -> None:
    """Receiver of jobcenters.signals.jobcenter_created."""
    create_defaults(jobcenter)
