"""Uploads in S3-compatible storage (MEDIA_STORAGE=s3), against moto's server.

moto's standalone server runs on a loopback port for these tests, as MinIO or
the operator's S3 would in production.
"""

import socket
import subprocess
import sys
import time

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from events.images import rendition_name
from quartier.storage import MediaS3Storage
from tests.events.test_images import jpeg_with_gps
from tests.factories import EventFactory
from tests.test_settings import PRODUCTION, manage

BUCKET = "quartier-test-media"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "eu-central-1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's standalone S3 server on a loopback port, with an empty bucket."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=KEYS["access_key"],
            aws_secret_access_key=KEYS["secret_key"],
            region_name=KEYS["region_name"],
        ).create_bucket(
            Bucket=BUCKET,
            CreateBucketConfiguration={"LocationConstraint": KEYS["region_name"]},
        )
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_media(settings, s3_endpoint):
    """The default storage as MEDIA_STORAGE=s3 configures it."""
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_endpoint,
        "addressing_style": "path",
        "file_overwrite": False,
        "querystring_auth": False,
        **KEYS,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "quartier.storage.MediaS3Storage", "OPTIONS": options},
    }
    return MediaS3Storage(**options)


def test_a_photo_is_stored_read_back_and_addressed_under_media(s3_media):
    name = s3_media.save("events/2026/stand.jpg", ContentFile(b"\xff\xd8 photo"))
    assert name.startswith("events/2026/stand")
    with s3_media.open(name, "rb") as stored:
        assert stored.read() == b"\xff\xd8 photo"
    assert s3_media.url(name) == f"/media/{name}"


def test_a_second_photo_with_the_same_name_gets_its_own_key(s3_media):
    first = s3_media.save("events/2026/foto.jpg", ContentFile(b"first"))
    second = s3_media.save("events/2026/foto.jpg", ContentFile(b"second"))
    assert first != second
    with s3_media.open(first, "rb") as stored:
        assert stored.read() == b"first"


@pytest.mark.django_db
def test_an_event_photo_and_its_smaller_copies_go_to_the_bucket(
    s3_media, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(
        photo=SimpleUploadedFile("stand.jpg", jpeg_with_gps(), "image/jpeg"),
        photo_alt="Der Stand",
    )
    assert isinstance(event.photo.storage, MediaS3Storage)
    assert event.photo_width == 1200
    # Re-encoded (no GPS metadata) and stored in the bucket, not on a disk.
    with s3_media.open(event.photo.name, "rb") as stored:
        photo = stored.read()
    assert photo.startswith(b"\xff\xd8")
    assert b"GPS" not in photo
    for width in (480, 960):
        assert s3_media.exists(rendition_name(event.photo.name, width))
    assert not any(tmp_path.iterdir())  # nothing on this server's disk
    srcset = event.photo_srcset
    assert f"/media/{rendition_name(event.photo.name, 480)} 480w" in srcset
    assert f"/media/{event.photo.name} 1200w" in srcset


def test_the_event_page_shows_the_photo_from_the_bucket(s3_media, client, db):
    event = EventFactory(
        published=True,
        photo=SimpleUploadedFile("stand.jpg", jpeg_with_gps(), "image/jpeg"),
        photo_alt="Der Stand",
    )
    page = client.get(f"/veranstaltungen/{event.slug}/").content.decode()
    assert f'src="/media/{event.photo.name}"' in page


def test_s3_storage_needs_a_bucket():
    result = manage("check", **{**PRODUCTION, "MEDIA_STORAGE": "s3"})
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_an_unknown_media_storage_is_refused():
    result = manage("check", **{**PRODUCTION, "MEDIA_STORAGE": "ftp"})
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be filesystem or s3" in result.stderr
