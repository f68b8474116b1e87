"""gunicorn settings: ``gunicorn -c python:quartier.gunicorn quartier.wsgi:application``.

The access log names no visitor: no client address, user agent, referrer or
query string (filters such as a postcode), only the time, the method, the
path, the status, the size, the duration and the request id (X-Request-ID, the
same as in the JSON error lines and on error pages). The portal stores no IP
addresses, and its own logs keep to that.

In production (``DEBUG=0``) more than one worker needs a shared cache
(``CACHE_URL=redis://…``): without it gunicorn refuses to start, since each
worker would keep its own page cache and its own feedback rate limit.
"""

import os

accesslog = "-"
access_log_format = (
    '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
)


def on_starting(server):
    """Refuse several workers with a cache local to each of them."""
    if server.cfg.workers <= 1:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    from django.conf import settings

    from quartier.checks import NOT_SHARED, SET_CACHE_URL, cache_is_shared

    if not settings.DEBUG and not cache_is_shared():
        # gunicorn prints a RuntimeError as "Error: …" and exits with status 1.
        raise RuntimeError(
            f"{NOT_SHARED} {SET_CACHE_URL} Refusing to start "
            f"{server.cfg.workers} workers; use --workers 1 or a shared cache."
        )
