from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from django.views.i18n import set_language

from events import search_engines
from jobcenters import views as jobcenter_views
from jobcenters.hosts import current_jobcenter_name
from quartier import twofactor, views

# Uncaught errors: a 503 while the database is away, else a 500 (quartier/errors.py).
handler500 = "quartier.errors.server_error"

admin.site.site_header = "Jobcenter im Quartier"
admin.site.site_title = "Quartier"
# The Jobcenter of the host the admin is used on, read when a page is shown.
admin.site.index_title = lazy(current_jobcenter_name, str)()

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("marke.css", views.brand_stylesheet, name="brand_css"),
    path("robots.txt", search_engines.robots_txt, name="robots_txt"),
    path("sitemap.xml", search_engines.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        search_engines.sitemap_section,
        name="sitemap_section",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    # The language menu: the same address for every language's page.
    path("sprache/<str:code>/", views.choose_language, name="choose_language"),
    # Before the admin's own patterns, which would answer 404 for these.
    path("admin/zwei-faktor/", include(twofactor)),
    path("admin/uebersetzungen/", include("translation_exchange.urls")),
    path(
        "admin/jobcenter/wechseln/",
        jobcenter_views.switch,
        name="switch_jobcenter",
    ),
    path("admin/", admin.site.urls),
    # The open data API: one address for every language (?sprache=).
    path("api/v1/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path(
        "impressum/",
        views.imprint,
        name="imprint",
    ),
    path(
        "datenschutz/",
        views.privacy,
        name="privacy",
    ),
    path(
        "barrierefreiheit/",
        views.accessibility,
        name="accessibility",
    ),
    path("leichte-sprache/", views.easy_read, name="easy_read"),
    path("", include("events.urls")),
    path("", include("feedback.urls")),
    path("", include("audit.urls")),
    path("", include("alerts.urls")),
    path("", include("planning.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
