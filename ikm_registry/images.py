"""Photo checks and re-encoding with Pillow.

Every upload must be a real JPEG, PNG or WebP of at most 10 MB and 40 megapixels.
It is decoded, turned upright, and re-encoded as JPEG without EXIF (so without GPS);
the display size and thumbnail are made once, here. The uploaded file is never stored.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
DISPLAY_SIZE = (1600, 1600)
THUMBNAIL_SIZE = (400, 400)
LOGO_SIZE = (512, 512)


@dataclass
class ProcessedImage:
    display: ContentFile
    thumbnail: ContentFile


def _open_checked(upload):
    """Open and fully decode `upload`, or raise ValidationError with a clear reason."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > MAX_BYTES:
        raise ValidationError(_("Berkas foto terlalu besar (maksimal 10 MB)."), code="too_large")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Hanya foto JPEG, PNG, atau WebP yang diterima."), code="image_format"
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("Foto terlalu besar (maksimal 40 megapiksel)."), code="too_many_pixels"
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("Foto terlalu besar (maksimal 40 megapiksel)."), code="too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("Berkas ini bukan foto yang dapat dibaca (JPEG, PNG, atau WebP)."),
            code="not_an_image",
        ) from exc
    finally:
        upload.seek(0)
    return image


def validate_image(upload):
    """Form-field validator: raises ValidationError for anything but a sound photo."""
    _open_checked(upload)


def _to_rgb(image):
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image, box, name):
    copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= argument: Pillow writes no EXIF, so no GPS, camera or date tags.
    copy.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name=name)


def process_photo(upload, *, stem="foto"):
    """Check `upload` and return its display size and thumbnail, re-encoded as JPEG."""
    image = _to_rgb(_open_checked(upload))
    return ProcessedImage(
        display=_encode(image, DISPLAY_SIZE, f"{stem}.jpg"),
        thumbnail=_encode(image, THUMBNAIL_SIZE, f"{stem}-kecil.jpg"),
    )


def process_logo(upload, *, stem="logo"):
    image = _to_rgb(_open_checked(upload))
    return _encode(image, LOGO_SIZE, f"{stem}.jpg")


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def validate_document(upload):
    """A certificate scan: a PDF (by its magic bytes) or a photo."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("Berkas terlalu besar (maksimal 10 MB)."), code="too_large")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return "pdf"
    _open_checked(upload)
    return "image"
