"""Safe rich text for reviews: paragraphs, lists, emphasis and links only.

Staff may type plain text (blank lines separate paragraphs) or the few tags
allowed here. nh3 (the Rust ammonia sanitiser) removes everything else:
scripts, styles, event handlers, images, javascript: links. It runs when a
review is saved and again when it is shown, so nothing unsafe reaches a page
even if the database was edited by other means.
"""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed with their content, not just unwrapped.
DROP_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "noscript"}

_STARTS_WITH_BLOCK = re.compile(r"^\s*<\s*(p|ul|ol)\b", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
_LIST = re.compile(r"(<(?:ul|ol)\b.*?</(?:ul|ol)\s*>)", re.IGNORECASE | re.DOTALL)


def paragraphs(text: str) -> str:
    """Wrap each blank-line separated chunk in <p>, keeping lists beside it.

    A chunk that starts with a block stays as it is; a line of text followed
    by a list becomes a paragraph and the list, never a list inside a <p>.
    """
    chunks = [c.strip() for c in _BLANK_LINE.split(text.replace("\r\n", "\n"))]
    blocks = []
    for chunk in chunks:
        if _STARTS_WITH_BLOCK.match(chunk):
            blocks.append(chunk)
            continue
        for piece in _LIST.split(chunk):
            piece = piece.strip()
            if not piece:
                continue
            if _LIST.fullmatch(piece):
                blocks.append(piece)
            else:
                blocks.append(f"<p>{piece.replace(chr(10), '<br>')}</p>")
    return "\n".join(blocks)


def sanitize(html: str) -> str:
    """Keep only the allowed tags and attributes; plain text becomes paragraphs."""
    if not html:
        return ""
    return nh3.clean(
        paragraphs(html),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def render(html: str) -> SafeString:
    """Sanitise again on output and mark the result safe for templates."""
    # Safe: the string has just been through nh3.
    return mark_safe(sanitize(html))
