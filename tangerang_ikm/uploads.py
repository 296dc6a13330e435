"""Generic validation of uploaded documents (certificates, deal documents): one validator
for both, and one field that stores them without metadata.

The type of a file is read from its first bytes, never from its name or from the
Content-Type the browser sent. Only PDF, JPEG, PNG and WebP pass; SVG and HTML (which a
browser would run as a page, scripts included) are refused by name in the message. Images
meant to be shown (product photos) are additionally opened and re-encoded with Pillow by
the registry; this module is the gate for documents that are only stored and downloaded.

Usage on a model field (keeps the migration portable)::

    document = models.FileField(..., validators=[validate_document])

or in a form's ``clean_<field>``: ``validate_document(file)``; ``sniff(file)`` returns the
detected MIME type (or None).

Beyond the type: an image must decode within MAX_PIXELS (no decompression bomb), and a
PDF must carry no active content (/JavaScript, /JS, /OpenAction, /Launch, or an /AA
additional-action dictionary), found by reading every object with pikepdf (qpdf), so
names written with #-escapes or hidden in object streams are seen too.

`PrivateDocumentField` is a FileField that validates so and, before storing, re-encodes
images without any metadata (EXIF with GPS, XMP, comments); PDFs are stored as checked.
"""

import io
import re
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# MIME type → the extensions a stored name may carry for it.
ALLOWED_TYPES = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/webp": (".webp",),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
HEAD_BYTES = 2048
# An image document may not decode to more pixels than this (as product photos).
MAX_PIXELS = 40_000_000
# PDF names that run something when the file is opened or used.
ACTIVE_PDF_KEYS = ("/JavaScript", "/JS", "/OpenAction", "/Launch", "/AA")
ACTIVE_PDF_ACTIONS = ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute")

# Markup that a browser may render as an active document, whatever the file is called.
_MARKUP_MARKERS = (
    b"<svg",
    b"<?xml",
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<!--",
    b"<a ",
    b"<img",
    b"<div",
    b"<p>",
    b"<meta",
    b"<style",
    b"<title",
)


_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_RAW_ACTIVE = re.compile(rb"/(?:JavaScript|JS|OpenAction|Launch|AA)(?![A-Za-z0-9])")


def _unescape(match):
    return bytes([int(match.group(1), 16)])


def _read_all(file):
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        return file.read()
    finally:
        file.seek(position)


def _is_active(obj):
    import pikepdf

    if not isinstance(obj, pikepdf.Dictionary):
        return False
    if any(key in obj for key in ACTIVE_PDF_KEYS):
        return True
    return obj.get("/S") in ACTIVE_PDF_ACTIONS


def _open_image(file, messages):
    """Decode the whole image (a bomb or a broken file is refused) and return it."""
    from PIL import Image, UnidentifiedImageError

    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(messages["image_pixels"], code="image_pixels")
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(messages["image_pixels"], code="image_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(messages["image_broken"], code="image_broken") from exc
    finally:
        file.seek(0)
    return image


def strip_image(file):
    """The image in `file` re-encoded in its own format with no metadata but its colour
    profile: no EXIF (GPS, camera, date), XMP, IPTC or comment survives. Orientation
    is applied to the pixels first, so the picture still stands upright."""
    from PIL import ImageOps

    image = _open_image(file, DocumentValidator.messages)
    kind = image.format
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    image.info.clear()
    options = {"icc_profile": icc} if icc else {}
    if kind == "JPEG":
        options.update(quality=90, optimize=True)
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
    elif kind == "WEBP":
        options.update(quality=90)
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def _read_head(file):
    position = file.tell() if hasattr(file, "tell") else None
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        head = file.read(HEAD_BYTES)
    finally:
        if position is not None and hasattr(file, "seek"):
            file.seek(position)
    if isinstance(head, str):  # a text-mode file
        head = head.encode("utf-8", "replace")
    return head or b""


def _looks_like_markup(head):
    text = head
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(bom):
            text = text[len(bom) :]
    # UTF-16 markup: drop the NUL bytes so that "<\0s\0v\0g\0" reads as "<svg".
    text = text.replace(b"\x00", b"").lstrip().lower()
    return text.startswith(b"<") or any(marker in text[:512] for marker in _MARKUP_MARKERS)


def sniff(file):
    """The MIME type the file's content says it is, from the allow-list, or None."""
    head = _read_head(file)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@deconstructible
class DocumentValidator:
    """Refuse anything that is not a PDF, JPEG, PNG or WebP by content, or is too big."""

    messages = {
        "markup": _(
            "Berkas SVG atau HTML tidak diterima karena dapat berisi skrip. "
            "Unggah PDF, JPEG, PNG, atau WebP."
        ),
        "type": _(
            "Jenis berkas ini tidak diterima. Unggah PDF, JPEG, PNG, atau WebP "
            "(isi berkas diperiksa, bukan namanya)."
        ),
        "mismatch": _(
            "Isi berkas adalah %(kind)s, tetapi namanya berakhiran %(extension)s. "
            "Ganti nama berkas atau unggah berkas yang benar."
        ),
        "size": _("Berkas terlalu besar (%(size)s). Ukuran maksimum %(max)s."),
        "empty": _("Berkas kosong."),
        "pdf_active": _(
            "PDF ini berisi skrip atau tindakan otomatis (JavaScript, OpenAction, Launch) "
            "dan tidak diterima. Cetak ulang ke PDF biasa, lalu unggah lagi."
        ),
        "pdf_broken": _(
            "PDF ini terkunci sandi dan tidak dapat diperiksa. Unggah PDF tanpa sandi."
        ),
        "image_broken": _("Gambar ini rusak atau tidak dapat dibaca."),
        "image_pixels": _("Gambar terlalu besar (maksimal 40 megapiksel)."),
    }

    def __init__(self, allowed=tuple(ALLOWED_TYPES), max_bytes=DEFAULT_MAX_BYTES):
        self.allowed = tuple(allowed)
        self.max_bytes = max_bytes

    def __call__(self, file):
        size = getattr(file, "size", None)
        if size == 0:
            raise ValidationError(self.messages["empty"], code="empty")
        if size is not None and size > self.max_bytes:
            raise ValidationError(
                self.messages["size"],
                code="size",
                params={"size": filesizeformat(size), "max": filesizeformat(self.max_bytes)},
            )
        head = _read_head(file)
        if not head:
            raise ValidationError(self.messages["empty"], code="empty")
        kind = sniff(file)
        if kind is None:
            code = "markup" if _looks_like_markup(head) else "type"
            raise ValidationError(self.messages[code], code=code)
        if kind not in self.allowed:
            raise ValidationError(self.messages["type"], code="type")
        name = (getattr(file, "name", "") or "").lower()
        extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        if extension and extension not in ALLOWED_TYPES[kind]:
            raise ValidationError(
                self.messages["mismatch"],
                code="mismatch",
                params={"kind": kind, "extension": extension},
            )
        if kind == "application/pdf":
            self._check_pdf(file)
        else:
            _open_image(file, self.messages)
        return kind

    def _check_pdf(self, file):
        import pikepdf

        data = _read_all(file)
        # The raw bytes first (names with #xx escapes decoded): this also covers a file
        # too damaged for qpdf, which a lenient viewer might still open.
        active = _RAW_ACTIVE.search(_HEX_ESCAPE.sub(_unescape, data)) is not None
        if not active:
            try:
                with pikepdf.open(io.BytesIO(data)) as pdf:
                    active = any(_is_active(obj) for obj in pdf.objects)
            except pikepdf.PasswordError as exc:
                raise ValidationError(self.messages["pdf_broken"], code="pdf_broken") from exc
            except pikepdf.PdfError:
                pass  # unreadable, and no active name in its bytes: nothing to run
        if active:
            raise ValidationError(self.messages["pdf_active"], code="pdf_active")

    def __eq__(self, other):
        return (
            isinstance(other, DocumentValidator)
            and self.allowed == other.allowed
            and self.max_bytes == other.max_bytes
        )


validate_document = DocumentValidator()


class PrivateDocumentField(models.FileField):
    """A FileField for private documents: validated by `validate_document`, and images
    stored re-encoded without metadata (a scan's EXIF carries the GPS of the owner's
    home). Migrations see a plain FileField (deconstruct), so adopting it needs none."""

    def __init__(self, *args, **kwargs):
        validators = list(kwargs.pop("validators", []))
        if validate_document not in validators:
            validators.append(validate_document)
        super().__init__(*args, validators=validators, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        # `_committed` is what FileField.pre_save itself reads: False for a new upload.
        if file and not file._committed and sniff(file) in IMAGE_TYPES:
            # Replace the upload by its clean copy before the storage sees it.
            cleaned = ContentFile(strip_image(file), name=file.name)
            file.save(file.name, cleaned, save=False)
        return super().pre_save(model_instance, add)


IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
