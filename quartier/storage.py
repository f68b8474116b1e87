"""Uploaded photos in S3-compatible storage, shared by all app servers.

With ``MEDIA_STORAGE=s3`` the photos and their smaller copies live in a
bucket (MinIO or the operator's S3), not on one server's disk. Their
addresses stay on the site's own host under ``MEDIA_URL`` (``/media/…``):
the reverse proxy forwards ``/media/`` to the bucket (docs/deployment.md), so
pages keep their strict Content-Security-Policy (``img-src 'self'``), need no
third-party host and work on every Jobcenter's host name alike.
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class MediaS3Storage(S3Storage):
    """django-storages' S3 backend, with addresses under MEDIA_URL."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(
            self._normalize_name(clean_name(name))
        )
