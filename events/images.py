"""Photo uploads: verify, strip metadata, and make responsive sizes.

Every photo that reaches the public goes through here: Pillow must recognise
it, it must stay under a byte and a pixel limit, and it is re-encoded so that
no EXIF or GPS data (or anything else hidden in the file) is ever served.
"""

import warnings
from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
RENDITION_WIDTHS = (480, 960, 1600)
JPEG_QUALITY = 82


def validate_image_upload(file) -> None:
    """Refuse files that are too large, not a real image or too many pixels."""
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            _("The photo is too large (%(size)s MB); at most %(limit)s MB are allowed.")
            % {
                "size": round(file.size / 1_048_576, 1),
                "limit": max_bytes // 1_048_576,
            },
            code="image_too_large",
        )
    not_an_image = ValidationError(
        _("The file is not a valid image. Please upload a JPEG, PNG or WebP photo."),
        code="invalid_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file) as image:
                image_format, (width, height) = image.format, image.size
                if width * height > settings.IMAGE_UPLOAD_MAX_PIXELS:
                    raise ValidationError(
                        _(
                            "The photo has too many pixels (%(width)s × %(height)s); "
                            "at most %(limit)s megapixels are allowed."
                        )
                        % {
                            "width": width,
                            "height": height,
                            "limit": settings.IMAGE_UPLOAD_MAX_PIXELS // 1_000_000,
                        },
                        code="image_too_many_pixels",
                    )
                image.verify()
            # verify() does not decode the pixels; a truncated file only shows
            # itself when it is loaded.
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ):
        raise not_an_image from None
    finally:
        file.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise not_an_image


def reencode(file, *, name: str) -> ContentFile:
    """Return the photo upright, at most IMAGE_MAX_EDGE wide, without metadata."""
    file.seek(0)
    with Image.open(file) as original:
        image = ImageOps.exif_transpose(original)
        image.thumbnail((settings.IMAGE_MAX_EDGE, settings.IMAGE_MAX_EDGE))
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        buffer = BytesIO()
        # Saving without exif=, icc_profile= or pnginfo= drops all metadata.
        image.save(
            buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
    stem = PurePosixPath(name).stem or "photo"
    return ContentFile(buffer.getvalue(), name=f"{stem}.jpg")


def rendition_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}.{width}w.jpg"))


def rendition_widths(width: int | None) -> list[int]:
    """The rendition widths made for a photo of this width (smaller ones only)."""
    return [w for w in RENDITION_WIDTHS if width and w < width]


def make_renditions(fieldfile) -> None:
    """Write the smaller copies next to the photo, for srcset."""
    storage = fieldfile.storage
    fieldfile.open("rb")
    try:
        with Image.open(fieldfile) as original:
            original.load()
            for width in rendition_widths(original.width):
                copy = original.copy()
                copy.thumbnail((width, width * 10))
                buffer = BytesIO()
                copy.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
                target = rendition_name(fieldfile.name, width)
                if storage.exists(target):
                    storage.delete(target)
                storage.save(target, ContentFile(buffer.getvalue()))
    finally:
        fieldfile.close()


def srcset(fieldfile, width: int | None) -> str:
    """A srcset value listing the renditions and the photo itself."""
    if not fieldfile:
        return ""
    storage = fieldfile.storage
    parts = [
        f"{storage.url(rendition_name(fieldfile.name, w))} {w}w"
        for w in rendition_widths(width)
    ]
    if width:
        parts.append(f"{fieldfile.url} {width}w")
    return ", ".join(parts)


def validate_new_image(fieldfile) -> None:
    """Check a photo once, when it is uploaded; stored photos passed already."""
    if fieldfile and not getattr(fieldfile, "_committed", True):
        validate_image_upload(fieldfile)


class CleanImageField(models.ImageField):
    """An ImageField whose new uploads are verified, re-encoded and resized."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [])
        kwargs["validators"] = [*kwargs["validators"], validate_new_image]
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["validators"] = [
            v for v in kwargs.get("validators", []) if v is not validate_new_image
        ]
        if not kwargs["validators"]:
            del kwargs["validators"]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            # A file that skipped full_clean() must not skip the checks.
            validate_image_upload(file)
            clean = reencode(file, name=file.name)
            file.save(clean.name, clean, save=False)
            make_renditions(file)
            return file
        return super().pre_save(model_instance, add)
