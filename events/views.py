from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from events import embed, event_page, structured_data
from events.caching import generation, public_cache
from events.calendar import absolute_url
from events.cards import ARCHIVE_CARD, CARD, EASY_ITEM, page_cards
from events.forms import EventFilterForm, PageForm
from events.models import Event, EventSlugRedirect
from events.nearness import NEARNESS
from events.reviews import review_of, reviewed_first
from events.selectors import past_events, upcoming_events
from events.translation import EASY_READ, page_template

PER_PAGE = 20
# The same text as the default description in base.html (one msgid).
SITE_DESCRIPTION = gettext_noop(
    "Dates, places and offers of the Jobcenter in your neighbourhood: personal "
    "advice on site, no appointment needed."
)


def paginate(request, events: QuerySet[Event]) -> tuple[Page, list[str]]:
    """The requested page (?seite=) and any message about the page number.

    A page number past the end shows the last page: a link to page 3 from
    last month should still lead somewhere useful. The page holds only each
    event's id and version (``events.cards.Entry``): its cards are stored.
    """
    form = PageForm(request.GET)
    number = form.page_number()
    notices = [str(error) for error in form.errors.get("seite", [])]
    # Only ids and versions: the related rows load for missing cards only.
    # Sorted by distance (?plz=): each entry brings its distance for the card.
    fields = ["pk", "updated_at"]
    if NEARNESS in events.query.annotations:
        fields.append(NEARNESS)
    entries = events.prefetch_related(None).values_list(*fields, named=True)
    paginator = Paginator(entries, PER_PAGE)
    if number > paginator.num_pages:
        if not notices:
            notices.append(
                _("There is no page %(number)s; this is the last page.")
                % {"number": number}
            )
        number = paginator.num_pages
    return paginator.page(number), notices


@public_cache(query=(*EventFilterForm.base_fields, *PageForm.base_fields))
def upcoming(request):
    version = generation()  # before the rows: see events.pieces
    form = EventFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    page, page_notices = paginate(request, upcoming_events(**form.filters()))
    kind = EASY_ITEM if get_language() == EASY_READ else CARD
    open_graph = structured_data.page_open_graph(
        title=_("Upcoming dates"), description=_(SITE_DESCRIPTION), path=request.path
    )
    return render(
        request,
        page_template("events/upcoming.html"),
        {
            "form": form,
            "page": page,
            "cards": page_cards(page.object_list, kind, version),
            "page_notices": page_notices,
            "open_graph": open_graph,
            # Under the language's prefix: the calendar speaks the page's language.
            "calendar_address": absolute_url(reverse("events:calendar")),
            "embed_snippet": embed.snippet(form),
        },
    )


@public_cache(query=tuple(PageForm.base_fields))
def archive(request):
    version = generation()
    page, page_notices = paginate(request, reviewed_first(past_events()))
    open_graph = structured_data.page_open_graph(
        title=_("Past dates"), description=_(SITE_DESCRIPTION), path=request.path
    )
    return render(
        request,
        "events/archive.html",
        {
            "page": page,
            "cards": page_cards(page.object_list, ARCHIVE_CARD, version),
            "page_notices": page_notices,
            "open_graph": open_graph,
        },
    )


def last_changed(event: Event, now: datetime | None = None) -> datetime:
    """When the page last changed: an edit, or a moment the page depends on.

    The page shows the feedback link from the start, the review once it is
    over, and drops the feedback link when the window closes.
    """
    now = now or timezone.now()
    moments = [event.updated_at]
    if event.start and event.end:
        closes = event.end + timedelta(days=settings.FEEDBACK_OPEN_DAYS)
        moments += [m for m in (event.start, event.end, closes) if m <= now]
    return max(moments)


@public_cache
def detail(request, slug):
    version = generation()  # before the rows: see events.pieces
    event = event_page.event_row(
        slug, include_drafts=request.user.has_perm("events.view_event")
    )
    if event is None:
        old = get_object_or_404(
            EventSlugRedirect.objects.select_related("event"), old_slug=slug
        )
        return redirect(old.event, permanent=True)
    is_public = event.is_public
    is_past = event.is_past()
    feedback_open = event.feedback_open()
    review = review_of(event) if is_public and is_past else None
    if is_public:
        parts = event_page.stored_parts(
            event,
            version=version,
            is_past=is_past,
            feedback_open=feedback_open,
            review=review,
        )
    else:
        # A draft's preview, for staff only: never stored.
        event_page.load_texts(event)
        parts = event_page.page_parts(
            event,
            is_preview=True,
            is_past=is_past,
            feedback_open=feedback_open,
            review=None,
        )
    blocks = event_page.with_review(parts, review, is_past)
    response = render(request, event_page.FRAME_TEMPLATE, {"blocks": blocks})
    if is_public and review is None:
        # A review may show live figures and a quote that the retention rule
        # removes: such a page has no cheap date of change, so only its ETag
        # answers conditional requests with 304.
        response["Last-Modified"] = http_date(last_changed(event).timestamp())
    return response
