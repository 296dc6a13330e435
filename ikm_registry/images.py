"""Photo checks and re-encoding with Pillow.

Every upload must be a real JPEG, PNG or WebP of at most 10 MB and 40 megapixels.
It is decoded, turned upright, and re-encoded without metadata (no EXIF, so no GPS; no
XMP, no comment; only the colour profile stays): the display
size as JPEG, the thumbnail as AVIF. Both are made once, here. The uploaded file is never
stored.

The thumbnail is what the catalog cards show, many to a page, so it is what a page's
weight is made of (issue #9: at most 100 KB per page on first load, and Chromium fetches
every lazy image within 1250 px of the viewport, 12 cards at 1280 px). It is cut to the
card's 4:3 shape at the card's width (320 px; the card crops to 4:3 anyway) and encoded as
AVIF, which keeps a detailed photo near 6 KB where JPEG (quality 85) needs 26 KB and WebP
(quality 70) 18 KB. Every current browser shows AVIF (Safari since 16, 2022); where one
cannot, the card keeps its placeholder colour and the alt text. Photos stored before this
change keep their 400 px JPEG thumbnail, which displays as before.
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
THUMBNAIL_SIZE = (320, 240)  # the card's photo, 4:3 (templates/.../_product_card.html)
THUMBNAIL_QUALITY = 40  # Pillow's AVIF scale (default 75); fine texture softens a little
# The product page's main photo: sharp at the page's column width on a 2x phone, ~30 KB.
MEDIUM_SIZE = (800, 800)
MEDIUM_QUALITY = 50
LOGO_SIZE = (512, 512)
# An event poster on its page: at most 1200 px wide (the page column on a 3x phone), any
# shape up to 1:2. AVIF, with a JPEG of the same size for browsers without AVIF.
POSTER_SIZE = (1200, 2400)
POSTER_QUALITY = MEDIUM_QUALITY
# A print-ready poster PNG (A3 at 300 dpi) may well pass 10 MB; staff upload it, the
# pixel limit still holds, and the page then shows the rendition instead.
POSTER_MAX_BYTES = 40 * 1024 * 1024


@dataclass
class ProcessedImage:
    display: ContentFile
    thumbnail: ContentFile
    medium: ContentFile | None = None


def _open_checked(upload, max_bytes=MAX_BYTES):
    """Open and fully decode `upload`, or raise ValidationError with a clear reason."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > max_bytes:
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
    # Only the colour profile is kept. Pillow copies a JPEG comment (COM) from the source
    # unless told otherwise, and an owner's comment may hold an address or markup; no
    # exif= or xmp= argument means no EXIF (GPS, camera, date) or XMP either.
    icc = copy.info.get("icc_profile")
    copy.info.clear()
    options = {"icc_profile": icc} if icc else {}
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True, progressive=True, **options)
    return ContentFile(out.getvalue(), name=name)


def _crop_to_shape(image, size):
    """The largest centred part of `image` with the shape of `size`, shrunk (never
    enlarged) to `size`: what the card shows with `object-fit: cover`, and no more."""
    width, height = image.size
    target_w, target_h = size
    if width * target_h > height * target_w:  # wider than the target: trim the sides
        crop_w, crop_h = round(height * target_w / target_h), height
    else:  # taller: trim top and bottom
        crop_w, crop_h = width, round(width * target_h / target_w)
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    cropped = image.crop((left, top, left + crop_w, top + crop_h))
    if crop_w > target_w:
        cropped = cropped.resize(size, Image.Resampling.LANCZOS)
    return cropped


def _thumbnail(image, name):
    thumb = _crop_to_shape(image, THUMBNAIL_SIZE)
    thumb.info.clear()  # no EXIF, XMP or ICC profile: nothing private, no bytes to spare
    out = io.BytesIO()
    thumb.save(out, "AVIF", quality=THUMBNAIL_QUALITY)
    return ContentFile(out.getvalue(), name=name)


def _medium(image, name, box=MEDIUM_SIZE, quality=MEDIUM_QUALITY):
    copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS)
    copy.info.clear()
    out = io.BytesIO()
    copy.save(out, "AVIF", quality=quality)
    return ContentFile(out.getvalue(), name=name)


def process_photo(upload, *, stem="foto"):
    """Check `upload` and return its display size (JPEG, the link and the sharing image),
    the product page's medium size and the card thumbnail (both AVIF)."""
    image = _to_rgb(_open_checked(upload))
    return ProcessedImage(
        display=_encode(image, DISPLAY_SIZE, f"{stem}.jpg"),
        thumbnail=_thumbnail(image, f"{stem}-kecil.avif"),
        medium=_medium(image, f"{stem}-sedang.avif"),
    )


@dataclass
class PosterImages:
    avif: ContentFile
    jpeg: ContentFile
    width: int
    height: int


def process_poster(upload, *, stem="poster"):
    """Check `upload` (an event poster) and return its display size, at most POSTER_SIZE,
    as AVIF and as a JPEG fallback, both without metadata, with their width and height."""
    image = _to_rgb(_open_checked(upload, POSTER_MAX_BYTES))
    image.thumbnail(POSTER_SIZE, Image.Resampling.LANCZOS)  # once, for both encodings
    return PosterImages(
        avif=_medium(image, f"{stem}.avif", POSTER_SIZE, POSTER_QUALITY),
        jpeg=_encode(image, POSTER_SIZE, f"{stem}.jpg"),
        width=image.width,
        height=image.height,
    )


def process_logo(upload, *, stem="logo"):
    image = _to_rgb(_open_checked(upload))
    return _encode(image, LOGO_SIZE, f"{stem}.jpg")


def validate_document(upload):
    """A certificate scan: "pdf" or "image". The rules are tangerang_ikm.uploads' (one
    validator for certificates and deal documents); this name stays for the forms."""
    from tangerang_ikm.uploads import validate_document as validate

    return "pdf" if validate(upload) == "application/pdf" else "image"
