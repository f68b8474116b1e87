"""Before going live: which details a Jobcenter's legal pages still lack.

The legal pages leave out what is missing rather than show a gap; this list is
where the gap shows instead: on the Jobcenter's admin page and, while it is not
empty, as a notice on the admin index for the Jobcenter's staff.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jobcenters.legal import has_postal_address
from jobcenters.models import Jobcenter

IMPRINT = _("Imprint")
PRIVACY = _("Privacy statement")
ACCESSIBILITY = _("Accessibility statement")
EASY_READ = _("Easy Read")


@dataclass(frozen=True)
class MissingItem:
    """One detail the pages need: the field to fill, why, and where it shows."""

    field: str
    what: Promise
    why: Promise
    pages: tuple[Promise, ...]


def missing_items(jobcenter: Jobcenter) -> list[MissingItem]:
    """The details still to be filled in, in the order of the admin form."""
    items = []

    def need(field, why, *pages, what=None):
        items.append(
            MissingItem(
                field=field,
                what=what or Jobcenter._meta.get_field(field).verbose_name,
                why=why,
                pages=pages,
            )
        )

    if not jobcenter.legal_body.strip():
        need(
            "legal_body",
            _("The imprint must say who publishes the site and in what legal form."),
            IMPRINT,
        )
    if not has_postal_address(jobcenter):
        need(
            "street",
            _("The imprint and the privacy statement must give a postal address."),
            IMPRINT,
            PRIVACY,
            what=_("postal address (street, postcode, city)"),
        )
    if not jobcenter.represented_by.strip():
        need(
            "represented_by",
            _(
                "The imprint names who represents the Jobcenter and who is "
                "responsible for the content (§ 18 (2) MStV)."
            ),
            IMPRINT,
        )
    if not jobcenter.phone.strip() and not jobcenter.email.strip():
        need(
            "email",
            _("The imprint must offer a quick way to get in touch."),
            IMPRINT,
            PRIVACY,
            EASY_READ,
            what=_("phone or e-mail"),
        )
    if not jobcenter.supervisory_authority.strip():
        need(
            "supervisory_authority",
            _("The imprint names the authority that supervises the Jobcenter."),
            IMPRINT,
        )
    if not jobcenter.data_protection_officer.strip():
        need(
            "data_protection_officer",
            _("The GDPR (Art. 13) requires the data protection officer's contact."),
            PRIVACY,
        )
    if jobcenter.kind == Jobcenter.Kind.MUNICIPAL and not jobcenter.state:
        need(
            "state",
            _(
                "A municipal Jobcenter's privacy statement names its state's data "
                "protection authority."
            ),
            PRIVACY,
        )
    if not jobcenter.accessibility_contact.strip():
        need(
            "accessibility_contact",
            _("BITV 2.0 requires a contact for reports of barriers."),
            ACCESSIBILITY,
        )
    if jobcenter.accessibility_reviewed_on is None:
        need(
            "accessibility_reviewed_on",
            _("The accessibility statement must say when it was made or reviewed."),
            ACCESSIBILITY,
        )
    if (
        jobcenter.kind == Jobcenter.Kind.MUNICIPAL
        and not jobcenter.enforcement_body.strip()
    ):
        need(
            "enforcement_body",
            _(
                "A municipal Jobcenter's enforcement body is set by its state's law; "
                "the accessibility statement must name it."
            ),
            ACCESSIBILITY,
        )
    if not jobcenter.dgs_video:
        need(
            "dgs_video",
            _(
                "BITV 2.0 § 4 asks for an explanation of the site in German Sign "
                "Language."
            ),
            ACCESSIBILITY,
            EASY_READ,
        )
    elif not jobcenter.dgs_captions:
        need(
            "dgs_captions",
            _("People who do not sign need captions to follow the video."),
            ACCESSIBILITY,
            EASY_READ,
        )
    return items
