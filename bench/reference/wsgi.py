"""WSGI entry of both baselines (DJANGO_SETTINGS_MODULE picks which)."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
