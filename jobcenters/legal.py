"""What the legal pages say about a Jobcenter, decided once for every page.

The templates only display: which enforcement body the accessibility statement
names, which data protection authority takes complaints, whether the contact
for barriers is the Jobcenter's own entry or its general phone and e-mail.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jobcenters.models import Jobcenter


@dataclass(frozen=True)
class Authority:
    """A public body named on a legal page, with its address lines."""

    name: str
    lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""


# § 16 BGG: the conciliation body for federal public bodies, which includes the
# joint institutions (gemeinsame Einrichtungen, § 44b SGB II).
FEDERAL_CONCILIATION_BODY = Authority(
    name=_(
        "Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz bei dem "
        "Beauftragten der Bundesregierung für die Belange von Menschen mit "
        "Behinderungen"
    ),
    lines=("Mauerstraße 53", "10117 Berlin"),
    phone="030 18 527-2805",
    email="info@schlichtungsstelle-bgg.de",
    website="https://www.schlichtungsstelle-bgg.de",
)

# Data protection supervision of a joint institution lies with the federal
# commissioner (§ 50 Abs. 4 SGB II); a municipal Jobcenter answers to its state's.
FEDERAL_DATA_PROTECTION_AUTHORITY = Authority(
    name=_(
        "The Federal Commissioner for Data Protection and Freedom of Information (BfDI)"
    ),
    lines=("Graurheindorfer Straße 153", "53117 Bonn"),
    website="https://www.bfdi.bund.de",
)


def federal_enforcement_body(jobcenter: Jobcenter) -> Authority | None:
    """The body named when the Jobcenter entered none of its own.

    The accessibility statement sends people whose complaint failed there. A
    joint institution falls under federal law (the BGG conciliation body); a
    municipal Jobcenter's body depends on its state's law, so without an entry
    there is none to name (the checklist asks for it).
    """
    if jobcenter.enforcement_body.strip():
        return None
    if jobcenter.kind == Jobcenter.Kind.JOINT:
        return FEDERAL_CONCILIATION_BODY
    return None


def data_protection_authority(jobcenter: Jobcenter) -> Authority | None:
    """The authority that takes complaints under Art. 77 GDPR."""
    if jobcenter.kind == Jobcenter.Kind.JOINT:
        return FEDERAL_DATA_PROTECTION_AUTHORITY
    return None


def has_postal_address(jobcenter: Jobcenter) -> bool:
    return all(
        value.strip()
        for value in (jobcenter.street, jobcenter.postcode, jobcenter.city)
    )


def legal_context(jobcenter: Jobcenter) -> dict:
    """What the legal page templates need beyond the Jobcenter's own fields."""
    return {
        "federal_enforcement_body": federal_enforcement_body(jobcenter),
        "data_protection_authority": data_protection_authority(jobcenter),
        "state_name": jobcenter.get_state_display() if jobcenter.state else "",
        "is_municipal": jobcenter.kind == Jobcenter.Kind.MUNICIPAL,
        "has_postal_address": has_postal_address(jobcenter),
    }
