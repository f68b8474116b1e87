"""A bare Django app: one view, no middleware, no database, no apps.

Settings, URLconf and view in one module (DJANGO_SETTINGS_MODULE=reference.bare):
the least Django does for a request, the ceiling a cache hit is compared with.
"""

import os

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-bare-app")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
ROOT_URLCONF = __name__
USE_TZ = True


def hello(request):
    """The same answer as the site's /healthz."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", hello)]
