"""What the API answers, as pydantic models: the OpenAPI document is made from them.

Plain pydantic models rather than ninja's ``Schema``: the views hand over
dicts, and these validate them without ninja's attribute resolver. Field
names are English; the query parameters keep the list page's German names
(``bezirk``, ``angebot`` …), so an address copied from the site still reads
the same. Adding a field is compatible within v1; renaming or removing one is
not (docs/api.md, "Versioning").
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from events.models import ServiceOffering

CategoryValue = Literal[tuple(ServiceOffering.Category.values)]  # type: ignore[valid-type]


class Text(BaseModel):
    """A text staff wrote, in the language asked for or, if missing, in German."""

    text: str
    language: str = Field(description="The language the text is written in.")
    fallback: bool = Field(
        description="True when no translation exists and the text is the German "
        "(or another language's) original."
    )
    machine_translated: bool = Field(
        description="Drafted by machine translation, not yet checked by a person."
    )


class District(BaseModel):
    slug: str = Field(description="Value for the `bezirk` filter.")
    name: str


class TargetGroup(BaseModel):
    slug: str = Field(description="Value for the `zielgruppe` filter.")
    name: str


class ServiceSummary(BaseModel):
    id: int
    category: CategoryValue = Field(description="Value for the `angebot` filter.")
    category_label: str
    title: Text


class Service(ServiceSummary):
    description: Text
    target_groups: list[str] = Field(description="Slugs of the target groups served.")


class Location(BaseModel):
    id: int
    name: Text
    street: str
    postcode: str
    city: str
    district: District
    latitude: float | None
    longitude: float | None
    step_free: bool
    accessible_toilet: bool
    directions: Text
    accessibility_notes: Text
    map_url: str = Field(description="A plain link to the place on OpenStreetMap.")


class Photo(BaseModel):
    url: str
    width: int | None
    height: int | None
    alt: Text
    credit: Text


class Event(BaseModel):
    slug: str
    status: Literal["published", "cancelled"]
    cancelled: bool
    title: Text
    motto: Text
    description: Text
    start: datetime = Field(description="ISO 8601 with the offset of Europe/Berlin.")
    end: datetime
    location: Location
    services: list[ServiceSummary]
    target_groups: list[TargetGroup]
    languages: list[str] = Field(
        description="Languages spoken at the stand (ISO 639-1)."
    )
    photo: Photo | None
    url: str = Field(description="The public event page, in the language asked for.")
    ics_url: str = Field(description="The event as an iCalendar file.")
    updated: datetime = Field(description="Last change to the event.")
    distance_km: float | None = Field(
        None,
        description="Only with `plz`: kilometres as the crow flies from the "
        "postcode's centre (one decimal); null when the place cannot be located.",
    )


class Page(BaseModel):
    count: int = Field(description="Rows on all pages together.")
    page: int
    page_size: int
    pages: int
    next: str | None = Field(description="Absolute address of the next page.")
    previous: str | None


class EventPage(Page):
    results: list[Event]


class LocationPage(Page):
    results: list[Location]


class DistrictPage(Page):
    results: list[District]


class ServicePage(Page):
    results: list[Service]


class TargetGroupPage(Page):
    results: list[TargetGroup]


class ErrorDetail(BaseModel):
    parameter: str | None = Field(description="The query parameter at fault.")
    message: str


class Error(BaseModel):
    status: int
    title: str
    errors: list[ErrorDetail]


class Index(BaseModel):
    version: str
    language: str
    openapi: str
    events: str
    locations: str
    districts: str
    services: str
    target_groups: str
