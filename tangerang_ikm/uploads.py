"""Generic validation of uploaded documents (certificates, deal documents).

The type of a file is read from its first bytes, never from its name or from the
Content-Type the browser sent. Only PDF, JPEG, PNG and WebP pass; SVG and HTML (which a
browser would run as a page, scripts included) are refused by name in the message. Images
meant to be shown (product photos) are additionally opened and re-encoded with Pillow by
the registry; this module is the gate for documents that are only stored and downloaded.

Usage on a model field (keeps the migration portable)::

    document = models.FileField(..., validators=[validate_document])

or in a form's ``clean_<field>``: ``validate_document(file)``; ``sniff(file)`` returns the
detected MIME type (or None).
"""

from django.core.exceptions import ValidationError
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
        return kind

    def __eq__(self, other):
        return (
            isinstance(other, DocumentValidator)
            and self.allowed == other.allowed
            and self.max_bytes == other.max_bytes
        )


validate_document = DocumentValidator()
