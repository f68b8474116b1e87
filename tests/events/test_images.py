from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events.images import rendition_name, validate_image_upload
from tests.factories import EventFactory, LocationFactory

pytestmark = pytest.mark.django_db


def jpeg_with_gps(width=1200, height=800) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Kamera AG"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 53.0, 39.0), 3: "E", 4: (8.0, 43.0, 7.0)}  # GPS
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def upload(content: bytes, name="foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_a_text_file_posing_as_a_photo_is_refused():
    with pytest.raises(ValidationError, match="kein gültiges Bild"):
        validate_image_upload(upload(b"<script>alert(1)</script>"))


def test_a_truncated_photo_is_refused():
    with pytest.raises(ValidationError, match="kein gültiges Bild"):
        validate_image_upload(upload(jpeg_with_gps()[:2000]))


def test_a_gif_is_refused():
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="GIF")
    with pytest.raises(ValidationError, match="kein gültiges Bild"):
        validate_image_upload(upload(buffer.getvalue(), "bild.gif"))


def test_a_photo_over_the_size_limit_is_refused(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="zu groß"):
        validate_image_upload(upload(jpeg_with_gps()))


def test_a_photo_over_the_pixel_limit_is_refused(settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match="zu viele Pixel"):
        validate_image_upload(upload(jpeg_with_gps(1200, 1000)))


def test_a_decompression_bomb_is_refused_before_decoding():
    buffer = BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    with pytest.raises(ValidationError):
        validate_image_upload(upload(buffer.getvalue(), "bombe.png"))


def test_saved_photos_lose_their_metadata_and_get_renditions():
    event = EventFactory(
        photo=upload(jpeg_with_gps()), photo_alt="Stand", location=LocationFactory()
    )
    event.refresh_from_db()
    with Image.open(event.photo.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "exif" not in stored.info
    assert event.photo_width == 1200
    assert event.photo.storage.exists(rendition_name(event.photo.name, 480))
    assert event.photo.storage.exists(rendition_name(event.photo.name, 960))
    assert not event.photo.storage.exists(rendition_name(event.photo.name, 1600))
    assert event.photo_srcset.endswith(f"{event.photo.url} 1200w")


def test_full_clean_checks_a_new_photo():
    event = EventFactory.build(
        location=LocationFactory(), photo=upload(b"not an image"), photo_alt="x"
    )
    with pytest.raises(ValidationError, match="kein gültiges Bild"):
        event.full_clean()


def test_a_photo_needs_a_description():
    event = EventFactory.build(
        location=LocationFactory(), photo=upload(jpeg_with_gps())
    )
    with pytest.raises(ValidationError, match="Beschreiben Sie das Foto"):
        event.full_clean()


def test_rotated_photos_are_stored_upright():
    image = Image.new("RGB", (400, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    event = EventFactory(photo=upload(buffer.getvalue()), photo_alt="Stand")
    assert (event.photo_width, event.photo_height) == (200, 400)
