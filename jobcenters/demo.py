"""Demo legal details, so the legal pages of a demo installation read as in real life.

Every value is made up and says so ("Beispiel"); seed_demo calls this for the
demo Jobcenter. Never for a Jobcenter that goes live.
"""

from datetime import date

from jobcenters.models import Jobcenter


def fill_demo_legal_details(jobcenter: Jobcenter) -> Jobcenter:
    """Fill the empty legal fields with clearly fictitious values, and save."""
    demo = {
        "legal_body": (
            f"Beispiel: {jobcenter.name} ist eine gemeinsame Einrichtung "
            "(§ 44b SGB II) der Agentur für Arbeit Beispielstadt und der Stadt "
            "Beispielstadt."
        ),
        "street": "Musterstraße 1 (Beispieladresse)",
        "postcode": "00000",
        "city": "Beispielstadt",
        "represented_by": "die Geschäftsführerin Erika Mustermann (Beispiel)",
        "phone": "0000 000000-0 (Beispiel)",
        "email": "quartier@example.org",
        "supervisory_authority": (
            "Beispiel: Bundesministerium für Arbeit und Soziales und das "
            "zuständige Landesministerium"
        ),
        "data_protection_officer": (
            "Datenschutzbeauftragte (Beispiel)\nMusterstraße 1, 00000 Beispielstadt\n"
            "datenschutz@example.org"
        ),
        "accessibility_contact": (
            "Beispiel: barrierefreiheit@example.org, Telefon 0000 000000-1"
        ),
    }
    changed = []
    for field, value in demo.items():
        if not getattr(jobcenter, field):
            setattr(jobcenter, field, value)
            changed.append(field)
    if jobcenter.accessibility_reviewed_on is None:
        jobcenter.accessibility_reviewed_on = date(2026, 1, 1)
        changed.append("accessibility_reviewed_on")
    if changed:
        jobcenter.full_clean()
        jobcenter.save(update_fields=changed)
    return jobcenter
