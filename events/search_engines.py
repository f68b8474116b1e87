"""``/sitemap.xml`` and ``/robots.txt``: what search engines may read, and where.

Both sit outside the language prefixes and are the same in every language
(the sitemap lists each page in all of them). They are answered from the
public page cache like the pages they describe.
"""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from events import sitemaps
from events.caching import public_cache
from jobcenters.hosts import current_jobcenter, site_url

XML = "application/xml; charset=utf-8"
# Staff and form areas, the language menu, and every filtered list: the
# sitemap names each date's own page, so crawlers need not walk the many
# combinations of filters (each of which the server would have to build).
DISALLOWED = (
    "/admin/",
    "/team/",
    "/auswertung/",
    "/f/",
    "/sprache/",
    "/i18n/",
    "/*?",
)
SECTIONS = ("seiten", "termine")


def _section_path(section: str) -> str:
    return reverse("sitemap_section", kwargs={"section": section})


@public_cache
@require_safe
def sitemap_index(request):
    entries = sitemaps.index_entries(_section_path)
    return HttpResponse(sitemaps.sitemap_index(entries), content_type=XML)


@public_cache(query=("p",))
@require_safe
def sitemap_section(request, section: str):
    if section == "seiten":
        return HttpResponse(sitemaps.pages_sitemap(), content_type=XML)
    raw_page = request.GET.get("p", "1")
    if section != "termine" or not raw_page.isdigit() or len(raw_page) > 6:
        raise Http404("No such sitemap")
    body = sitemaps.events_sitemap(int(raw_page))
    if body is None:
        raise Http404("No such sitemap page")
    return HttpResponse(body, content_type=XML)


@public_cache
@require_safe
def robots_txt(request):
    # The longer rule wins: the sitemap's numbered files stay readable.
    lines = ["User-agent: *", "Allow: /sitemap-"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines.append(f"Sitemap: {site_url(current_jobcenter())}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
