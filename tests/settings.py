"""Test settings: the production settings with test-only conveniences.

The suite runs with DEBUG off, like production; only what a test machine
cannot provide (TLS, a real secret) is relaxed here.
"""

import os
import tempfile

os.environ.setdefault(
    "SECRET_KEY", "tests-only-secret-key-not-for-production-use-0123456789"
)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,.testserver,localhost,127.0.0.1")

from quartier.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Created on the first upload, removed by tests/conftest.py.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"quartier-test-media-{os.getpid()}"  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Off, so query counts and changes show at once; tests/events/test_caching.py
# switches it on.
PUBLIC_CACHE_SECONDS = 0
PUBLIC_BUILD_BUDGET = 0  # tests/events/test_build_budget.py switches it on
# Serve static files straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by live_server tests from that thread are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
