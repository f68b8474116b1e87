from django import template

from feedback.reviews import live_figures, quote_text

register = template.Library()


@register.inclusion_tag("feedback/includes/review_quote.html")
def review_quote(review):
    return {"quote": quote_text(review)}


@register.inclusion_tag("feedback/includes/review_figures.html")
def review_figures(review):
    return {"figures": live_figures(review)}
