"""The events app's models, one module per concept.

Import from here (`events.models`): the modules are an arrangement, not an API.
"""

from events.models.base import (
    SHORT_CODE_ALPHABET,
    SHORT_CODE_LENGTH,
    SOURCE_LANGUAGE,
    ArchivableQuerySet,
    archived_field,
    in_source_language,
    new_short_code,
    translated_fields,
    validate_language_codes,
)
from events.models.events import Event, EventQuerySet, EventSlugRedirect
from events.models.materials import Material, MaterialHandout
from events.models.places import District, Location, PostcodeCentre
from events.models.reviews import Review, ReviewPhoto, ReviewQuerySet
from events.models.services import ServiceOffering, TargetGroup

__all__ = [
    "SHORT_CODE_ALPHABET",
    "SHORT_CODE_LENGTH",
    "SOURCE_LANGUAGE",
    "ArchivableQuerySet",
    "District",
    "Event",
    "EventQuerySet",
    "EventSlugRedirect",
    "Location",
    "Material",
    "MaterialHandout",
    "PostcodeCentre",
    "Review",
    "ReviewPhoto",
    "ReviewQuerySet",
    "ServiceOffering",
    "TargetGroup",
    "archived_field",
    "in_source_language",
    "new_short_code",
    "translated_fields",
    "validate_language_codes",
]
