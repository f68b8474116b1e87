from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every site language: code, own name, address, current."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"].capitalize(),
            "url": translate_url(path, code),
            # hreflang alternates must be absolute (search engines, Lighthouse SEO).
            "absolute_url": settings.SITE_URL + translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
