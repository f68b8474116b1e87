"""The event page's own parts, built once per event version and language.

Everything the page shows of its event (title, description, Open Graph and
JSON-LD in the head, the body with its QR code) depends on the event's rows
and the language only, plus two states that change with time: whether the
event is over and whether feedback is open. Those parts are rendered from the
page template's blocks and kept as a stored piece (``events.pieces``); a
request renders the frame (``base.html``: language links, navigation, footer)
around them. The review is rendered on every request: it may show live
figures and a quote that the retention rule removes.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
)
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from events import structured_data
from events.calendar import absolute_url
from events.models import Event, Review, TargetGroup
from events.models.events import text_lookups
from events.pieces import stored_pieces
from events.poster import qr_svg, short_display
from events.sharing import sharing
from events.translation import page_template

# The blocks of events/detail.html (and its Easy Read version) that the page
# fills in base.html.
BLOCKS = ("title", "description", "head", "content")
# Stands in for the review in a stored body until a request fills it in.
REVIEW_MARK = "\x00review\x00"
FRAME_TEMPLATE = "events/detail_frame.html"


def event_row(slug: str, *, include_drafts: bool) -> Event | None:
    """The event with its place: all a request needs when its parts are stored."""
    events = Event.objects.all() if include_drafts else Event.objects.public()
    return events.select_related("location__district").filter(slug=slug).first()


def load_texts(event: Event) -> None:
    """What event_for_page() prefetches: texts, services and target groups."""
    prefetch_related_objects(
        [event],
        *text_lookups(),
        Prefetch("target_groups", queryset=TargetGroup.objects.order_by("name")),
    )


def render_blocks(name: str, context: dict, names=BLOCKS) -> dict[str, SafeString]:
    """The named blocks of a template, each as it renders inside its page.

    Blocks resolve as {% extends %} resolves them (the most derived one wins,
    ``block.super`` reaches its parent), so each string is exactly what the
    whole page shows there. No request: the blocks use only ``context``.
    """
    template = get_template(name).template
    ctx = Context(context)
    blocks = BlockContext()
    with ctx.render_context.push_state(template), ctx.bind_template(template):
        current = template
        while True:
            extends = next(
                (n for n in current.nodelist if isinstance(n, ExtendsNode)), None
            )
            if extends is None:
                blocks.add_blocks(
                    {n.name: n for n in current.nodelist.get_nodes_by_type(BlockNode)}
                )
                break
            blocks.add_blocks(extends.blocks)
            current = extends.get_parent(ctx)
        ctx.render_context[BLOCK_CONTEXT_KEY] = blocks
        return {block: blocks.get_block(block).render(ctx) for block in names}


def page_context(
    event: Event, *, is_preview: bool, is_past: bool, feedback_open: bool, review
) -> dict:
    """What events/detail.html shows of one event (its texts loaded).

    The review's section is a mark: it is rendered on every request.
    """
    page_url = absolute_url(event.get_absolute_url())
    context = {
        "event": event,
        "is_preview": is_preview,
        "feedback_open": feedback_open,
        "is_past": is_past,
        "review": review,
        "review_section": REVIEW_MARK,
        "page_url_display": short_display(page_url),
        "page_qr": qr_svg(page_url, title=short_display(page_url)),
    }
    if feedback_open:
        context["feedback_short_url"] = structured_data.short_address(
            reverse("feedback:form", kwargs={"code": event.short_code})
        )
    if not is_preview:
        context["sharing"] = sharing(event)
        graph = [structured_data.event_data(event)]
        if review is not None:
            graph.append(structured_data.article_data(review))
        context["json_ld"] = structured_data.json_ld_script(
            structured_data.page_graph(*graph)
        )
        context["open_graph"] = structured_data.open_graph(event, review)
    return context


def page_parts(event: Event, **state) -> dict[str, SafeString]:
    """The page's blocks for one event (its texts loaded), review left out."""
    return render_blocks(
        page_template("events/detail.html"), page_context(event, **state)
    )


def stored_parts(
    event: Event,
    *,
    version: int,
    is_past: bool,
    feedback_open: bool,
    review: Review | None,
) -> dict[str, SafeString]:
    """A public event's blocks, from the cache where stored.

    Varies with the template (Easy Read), the states that change with time
    and the review shown in the head (a review's own edits raise the
    generation, its live figures are never stored).
    """

    def build(missing: list[Event]) -> dict[int, dict[str, str]]:
        load_texts(event)
        parts = page_parts(
            event,
            is_preview=False,
            is_past=is_past,
            feedback_open=feedback_open,
            review=review,
        )
        return {event.pk: {name: str(html) for name, html in parts.items()}}

    review_key = (
        f"{review.pk}@{review.updated_at.timestamp()}" if review is not None else ""
    )
    vary = (page_template("events/detail.html"), is_past, feedback_open, review_key)
    (parts,) = stored_pieces([event], "event-page", build, version=version, vary=vary)
    return {name: mark_safe(html) for name, html in parts.items()}


def with_review(parts: dict[str, SafeString], review, is_past: bool) -> dict:
    """The blocks with the review rendered now in its place."""
    section = ""
    if is_past:
        section = render_to_string("events/includes/review.html", {"review": review})
    content = parts["content"].replace(REVIEW_MARK, section, 1)
    return {**parts, "content": mark_safe(content)}
