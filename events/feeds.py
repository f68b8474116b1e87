"""Calendar (.ics) files, subscribable calendars and the Atom feed.

All public: anonymous requests are answered from the short public cache, which
stores each response with the ETag that lets calendar apps and feed readers
revalidate with a 304 (hashed once, when the response is built).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import StringIO

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe

from events.caching import generation, public_cache
from events.calendar import absolute_url, build_calendar, feed_events, uid_domain
from events.formatting import event_date_range
from events.models import District, Event, EventSlugRedirect, Review, ServiceOffering
from events.pieces import stored_pieces
from events.reviews import published_reviews
from events.translation import shown
from jobcenters.hosts import current_jobcenter_name

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_response(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=filename
        )
    return response


def calendar_name(topic: str) -> str:
    return _("%(site)s: %(topic)s") % {"site": settings.SITE_NAME, "topic": topic}


@public_cache
@require_safe
def event_ics(request, slug):
    version = generation()  # before the rows: see event_pieces()
    event = Event.objects.public().select_related("location").filter(slug=slug).first()
    if event is None:
        old = get_object_or_404(
            EventSlugRedirect.objects.filter(event__in=Event.objects.public()),
            old_slug=slug,
        )
        return redirect("events:event_ics", slug=old.event.slug, permanent=True)
    body = build_calendar([event], version=version)
    return calendar_response(body, filename=f"{event.slug}.ics")


@public_cache
@require_safe
def calendar_all(request):
    version = generation()
    body = build_calendar(
        feed_events(Event.objects.all()),
        name=calendar_name(_("all dates")),
        subscription=True,
        version=version,
    )
    return calendar_response(body)


@public_cache
@require_safe
def calendar_district(request, slug):
    version = generation()
    district = get_object_or_404(District, slug=slug)
    body = build_calendar(
        feed_events(Event.objects.filter(location__district=district)),
        name=calendar_name(district.name),
        subscription=True,
        version=version,
    )
    return calendar_response(body)


@public_cache
@require_safe
def calendar_category(request, category):
    if category not in ServiceOffering.Category.values:
        raise Http404
    version = generation()
    offering = Event.objects.filter(services__category=category).values("pk")
    body = build_calendar(
        feed_events(Event.objects.filter(pk__in=offering)),
        name=calendar_name(ServiceOffering.Category(category).label),
        subscription=True,
        version=version,
    )
    return calendar_response(body)


class AtomFeed(Feed):
    """Base of the site's Atom feeds: absolute addresses, the active language.

    A subclass names its own address (``url_name``), a title and its items;
    items need ``get_absolute_url()`` and a primary key (for the stable id).
    """

    feed_type = Atom1Feed
    title_text = "%(jobcenter)s"
    url_name = ""
    page_url_name = "events:upcoming"
    guid_prefix = "item"
    limit = 30

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The generator writes the XML in thousands of small pieces, and a WSGI
        # server sends each piece on its own: joined, a cached feed costs about
        # what a cached page does.
        response.content = response.content
        return response

    def link(self):
        return absolute_url(reverse(self.page_url_name))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def feed_guid(self):
        return f"tag:{uid_domain()},2024:{self.url_name}"

    def author_name(self):
        return current_jobcenter_name()

    def title(self):
        return self.title_text % {"jobcenter": current_jobcenter_name()}

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        # Never changes when the slug or title does, so readers show no duplicate.
        return f"tag:{uid_domain()},2024:{self.guid_prefix}-{item.pk}"

    item_guid_is_permalink = False


@dataclass(frozen=True, slots=True)
class FeedRow:
    """What a feed reads of each item before its stored entry: key and dates."""

    pk: int
    updated_at: datetime
    published_at: datetime


class StoredEntriesAtom1Feed(Atom1Feed):
    """Atom1Feed that writes stored ``<entry>`` elements in place of items."""

    entries: Sequence[str] = ()
    entry_dates: Sequence[datetime | None] = ()

    def latest_post_date(self):
        # As SyndicationFeed does it over its items: the latest of all dates.
        dates = [date for date in self.entry_dates if date]
        return max(dates) if dates else super().latest_post_date()

    def write_items(self, handler):
        for entry in self.entries:
            handler.ignorableWhitespace(entry)  # written as it is: XML already
        super().write_items(handler)


def entry_xml(generator: SyndicationFeed, item: dict) -> str:
    """One item's ``<entry>`` exactly as Atom1Feed.write_items() writes it."""
    out = StringIO()
    handler = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    handler.startElement("entry", generator.item_attributes(item))
    generator.add_item_elements(handler, item)
    handler.endElement("entry")
    return out.getvalue()


class StoredEntriesFeed(AtomFeed):
    """An Atom feed joined from stored entries (``events.pieces``).

    A subclass reads each item's key and dates (``rows()``, one cheap query)
    and loads the full items of the missing entries only (``load()``). The
    head is Django's, written without items; each entry is what Django's
    generator writes for it, so the feed is byte for byte the same.
    """

    feed_type = StoredEntriesAtom1Feed

    def rows(self) -> list[FeedRow]:
        raise NotImplementedError

    def load(self, pks: list[int]) -> dict[int, object]:
        raise NotImplementedError

    def items(self, obj):
        # The items get_feed() passes: none for the head, the missing ones.
        return obj

    def get_feed(self, obj, request):
        version = generation()  # before the rows: see events.pieces
        rows = self.rows()
        feed = super().get_feed([], request)

        def build(missing: list[FeedRow]) -> dict[int, str]:
            loaded = self.load([row.pk for row in missing])
            items = [loaded[row.pk] for row in missing if row.pk in loaded]
            generator = super(StoredEntriesFeed, self).get_feed(items, request)
            return {
                item.pk: entry_xml(generator, data)
                for item, data in zip(items, generator.items, strict=True)
            }

        feed.entries = stored_pieces(
            rows, f"atom-{self.guid_prefix}", build, version=version
        )
        feed.entry_dates = [
            date
            for row in rows
            for date in (self.item_updateddate(row), self.item_pubdate(row))
        ]
        return feed


class NewEventsFeed(StoredEntriesFeed):
    """Newly published events, the most recent first."""

    url_name = "events:atom"
    guid_prefix = "event"
    title_text = gettext_lazy("%(jobcenter)s: new dates")
    subtitle = gettext_lazy(
        "New dates of the Jobcenter in your neighbourhood: personal advice on "
        "site, no appointment needed."
    )

    @staticmethod
    def _public():
        # The same rows as Event.objects.public(), written as "not a draft" so
        # the database walks the published_at index instead of sorting every
        # public event (SQLite: 10 ms instead of 200 ms with 10,000 events).
        return Event.objects.exclude(status=Event.Status.DRAFT).filter(
            published_at__isnull=False
        )

    def rows(self):
        rows = self._public().order_by("-published_at", "-pk")[: self.limit]
        fields = ("pk", "updated_at", "published_at")
        return [FeedRow(*values) for values in rows.values_list(*fields)]

    def load(self, pks):
        events = self._public().select_related("location").with_texts()
        return {event.pk: event for event in events.filter(pk__in=pks)}

    def item_title(self, event):
        if event.is_cancelled:
            return _("Cancelled: %(title)s") % {"title": event.title}
        return event.title

    def item_description(self, event):
        lines = [
            event_date_range(event.start, event.end),
            f"{event.location.name}, {event.location.address_line}",
        ]
        if event.is_cancelled:
            lines.insert(0, _("This event has been cancelled."))
        motto, description = (
            shown(event, "motto").text,
            shown(event, "description").text,
        )
        if motto:
            lines.append(f"„{motto}“")
        paragraphs = format_html_join("", "<p>{}</p>", ((line,) for line in lines))
        if description:
            paragraphs += format_html("<p>{}</p>", description)
        return paragraphs

    def item_pubdate(self, event):
        return event.published_at

    def item_updateddate(self, event):
        return event.updated_at

    def item_categories(self, event):
        labels = {service.get_category_display() for service in event.services.all()}
        return sorted(str(label) for label in labels)


atom = public_cache(require_safe(NewEventsFeed()))


class ReviewsFeed(StoredEntriesFeed):
    """Published reviews (Rückblicke), the most recent first. Drafts never appear."""

    url_name = "events:reviews_atom"
    page_url_name = "events:archive"
    guid_prefix = "review"
    title_text = gettext_lazy("%(jobcenter)s: reviews")
    subtitle = gettext_lazy(
        "What happened at our dates in the neighbourhood: photos, voices and figures."
    )

    def rows(self):
        rows = Review.objects.published().order_by("-published_at", "-pk")
        fields = ("pk", "updated_at", "published_at")
        return [FeedRow(*values) for values in rows[: self.limit].values_list(*fields)]

    def load(self, pks):
        return {review.pk: review for review in published_reviews().filter(pk__in=pks)}

    def item_title(self, review):
        return review.headline

    def item_description(self, review):
        when = event_date_range(review.event.start, review.event.end)
        return format_html("<p>{}</p><p>{}</p>", when, review.lead) + review.body_html

    def item_pubdate(self, review):
        return review.published_at

    def item_updateddate(self, review):
        return review.updated_at


reviews_atom = public_cache(require_safe(ReviewsFeed()))
