"""Checks for what a Jobcenter's staff upload: logo, sign-language video, captions.

The files are served from this site's own address, so a file must be what its
name says: a logo an image (an SVG without anything that runs), a video a
video, captions a WebVTT file. Each check reads only the first bytes it needs
and only for a new upload; stored files passed already.
"""

import html
import re
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}
DGS_VIDEO_MAX_BYTES = 500 * 1024 * 1024
CAPTIONS_MAX_BYTES = 1024 * 1024

# What could run or load something when an SVG is opened on its own.
SVG_ACTIVE_CONTENT = re.compile(
    r"<\s*script|(?:^|[\s/\"'])on[a-z]+\s*=|<!ENTITY|<\s*foreignObject",
    re.IGNORECASE,
)
# Browsers ignore tabs, newlines and other control characters inside a scheme.
ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
WEBVTT_HEADER = re.compile(rb"^(\xef\xbb\xbf)?WEBVTT([ \t]|\r?\n|$)")


def _is_new(fieldfile) -> bool:
    return bool(fieldfile) and not getattr(fieldfile, "_committed", True)


def _too_large(file, limit: int) -> ValidationError | None:
    if file.size is not None and file.size > limit:
        return ValidationError(
            _("The file is too large (%(size)s MB); at most %(limit)s MB are allowed.")
            % {
                "size": round(file.size / 1_048_576, 1),
                "limit": limit // 1_048_576,
            },
            code="file_too_large",
        )
    return None


def _read(file, limit: int) -> bytes:
    file.seek(0)
    try:
        return file.read(limit + 1)
    finally:
        file.seek(0)


def _extension(file) -> str:
    return (file.name or "").rsplit(".", 1)[-1].lower()


def validate_logo(fieldfile) -> None:
    """A raster logo must be a real PNG, JPEG or WebP; an SVG must not run anything."""
    if not _is_new(fieldfile):
        return
    if error := _too_large(fieldfile, LOGO_MAX_BYTES):
        raise error
    if _extension(fieldfile) == "svg":
        validate_svg(_read(fieldfile, LOGO_MAX_BYTES))
    else:
        _validate_raster(fieldfile)


def validate_svg(content: bytes) -> None:
    """Refuse an SVG that is no SVG or carries script, event handlers or entities."""
    not_svg = ValidationError(
        _("The file is not a valid SVG image."), code="invalid_svg"
    )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_svg from None
    if not re.search(r"<svg[\s>]", text, re.IGNORECASE):
        raise not_svg
    # Character references (&#58; for ":") are decoded before the check.
    decoded = html.unescape(text)
    squeezed = re.sub(r"[\x00-\x20]+", "", decoded).lower()
    if (
        SVG_ACTIVE_CONTENT.search(text)
        or SVG_ACTIVE_CONTENT.search(decoded)
        or any(scheme in squeezed for scheme in ACTIVE_SCHEMES)
    ):
        raise ValidationError(
            _(
                "The SVG contains script, event handlers (on…=), javascript: links or "
                "embedded content. Please upload a plain drawing, or a PNG."
            ),
            code="svg_active_content",
        )


def _validate_raster(fieldfile) -> None:
    not_an_image = ValidationError(
        _("The file is not a valid image. Please upload an SVG, PNG, WebP or JPEG."),
        code="invalid_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            fieldfile.seek(0)
            with Image.open(fieldfile) as image:
                if image.format not in LOGO_FORMATS:
                    raise not_an_image
                width, height = image.size
                if width * height > LOGO_MAX_PIXELS:
                    raise not_an_image
                image.verify()
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
        fieldfile.seek(0)


def validate_dgs_video(fieldfile) -> None:
    """An MP4 (ISO base media, "ftyp" box first) or a WebM (EBML header)."""
    if not _is_new(fieldfile):
        return
    if error := _too_large(fieldfile, DGS_VIDEO_MAX_BYTES):
        raise error
    head = _read(fieldfile, 16)
    kind = _extension(fieldfile)
    if (kind == "mp4" and head[4:8] == b"ftyp") or (
        kind == "webm" and head[:4] == b"\x1a\x45\xdf\xa3"
    ):
        return
    raise ValidationError(
        _("The file is not a valid MP4 or WebM video."), code="invalid_video"
    )


def validate_captions(fieldfile) -> None:
    """A WebVTT file: UTF-8 text that starts with "WEBVTT"."""
    if not _is_new(fieldfile):
        return
    if error := _too_large(fieldfile, CAPTIONS_MAX_BYTES):
        raise error
    content = _read(fieldfile, CAPTIONS_MAX_BYTES)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        valid = False
    else:
        valid = bool(WEBVTT_HEADER.match(content))
    if not valid:
        raise ValidationError(
            _(
                'The captions must be a WebVTT file (UTF-8 text starting with "WEBVTT").'
            ),
            code="invalid_captions",
        )
