"""Translated texts on public pages, marked when they are not in the page's language.

    {% load translated %}
    {% translation_notes %}                 one section of a page
      <h1>{% translated event "title" %}</h1>
      {% translation_notice %}              where its notice goes (else first)
      {% translated event "description" "linebreaks" %}
      {% translated event "photo_alt" as alt %}<img alt="{{ alt }}" …>
    {% endtranslation_notes %}

A text that falls back to German on, say, a Ukrainian page is wrapped in
``<span lang="de" dir="ltr">`` (a ``div`` for paragraphs), so screen readers
pronounce it as German and it is isolated from right-to-left text; the section
then says once, in the page's language, that a text is shown in German. A
machine-drafted translation carries a short visible note after it.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from events.translation import FORMATS, Shown, render_shown, shown

register = template.Library()

# Stands in for the section's notice until the section knows whether it needs one.
NOTICE_MARK = "\x00translation-notice\x00"


def _record(context, text: Shown) -> None:
    marks = getattr(context, "translation_marks", None)
    if marks is not None and text.fallback:
        marks.add("fallback")


class TranslatedNode(template.Node):
    def __init__(self, obj, field, kind, target):
        self.obj, self.field, self.kind, self.target = obj, field, kind, target

    def render(self, context):
        obj = self.obj.resolve(context)
        field = self.field.resolve(context)
        kind = self.kind.resolve(context) if self.kind else "plain"
        if kind not in FORMATS:
            raise template.TemplateSyntaxError(f"Unknown text format {kind!r}.")
        text = shown(obj, field) if obj else Shown("", "", False, False)
        _record(context, text)
        if self.target:
            context[self.target] = text
            return ""
        return render_shown(text, kind)


@register.tag
def translated(parser, token):
    """{% translated obj "field" ["linebreaks"|"linebreaksbr"|"rich"] [as name] %}"""
    bits = token.split_contents()
    target = None
    if len(bits) >= 2 and bits[-2] == "as":
        target = bits[-1]
        bits = bits[:-2]
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError(
            '{% translated obj "field" ["format"] [as name] %}'
        )
    obj, field = parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    kind = parser.compile_filter(bits[3]) if len(bits) == 4 else None
    return TranslatedNode(obj, field, kind, target)


@register.filter
def text(obj, field: str) -> str:
    """Plain text for places without markup (<title>, attributes): no marking."""
    return shown(obj, field).text if obj else ""


def notice_html(marks: set) -> SafeString:
    if "fallback" not in marks:
        return mark_safe("")
    return format_html(
        '<p class="translation-notice" role="note">{}</p>',
        gettext("Some texts here are not translated yet and are shown in German."),
    )


class NotesNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # An attribute, not a variable: Context.new() (an include with "only")
        # copies attributes, so texts in included templates are counted too.
        previous = getattr(context, "translation_marks", None)
        marks = context.translation_marks = set()
        try:
            html = self.nodelist.render(context)
        finally:
            context.translation_marks = previous
        notice = notice_html(marks)
        if NOTICE_MARK in html:
            html = html.replace(NOTICE_MARK, notice, 1).replace(NOTICE_MARK, "")
            return mark_safe(html)
        return mark_safe(notice + html)


@register.tag
def translation_notes(parser, token):
    nodelist = parser.parse(("endtranslation_notes",))
    parser.delete_first_token()
    return NotesNode(nodelist)


@register.simple_tag(takes_context=True)
def translation_notice(context):
    inside = getattr(context, "translation_marks", None) is not None
    return mark_safe(NOTICE_MARK if inside else "")
