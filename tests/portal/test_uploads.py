"""Document uploads are judged by their bytes, not their names."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tangerang_ikm.uploads import DocumentValidator, sniff, validate_document

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


def image_bytes(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("sertifikat.pdf", PDF, "application/pdf"),
        ("foto.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("foto.JPEG", image_bytes("JPEG"), "image/jpeg"),
        ("foto.png", image_bytes("PNG"), "image/png"),
        ("foto.webp", image_bytes("WEBP"), "image/webp"),
        ("tanpa-ekstensi", PDF, "application/pdf"),
    ],
)
def test_allowed_documents_pass(name, content, kind):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    assert validate_document(upload) == kind
    assert sniff(upload) == kind
    assert upload.read() == content  # the position is restored


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"\xef\xbb\xbf  <!DOCTYPE html><html><body>hi</body></html>",
        b"<html><script>alert(1)</script></html>",
        "<svg onload=alert(1)>".encode("utf-16"),
        b"\n\n<script>fetch('/')</script>",
    ],
)
def test_svg_and_html_are_refused_even_when_named_pdf(content):
    upload = SimpleUploadedFile("sertifikat.pdf", content, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        validate_document(upload)
    assert error.value.code == "markup"
    assert "SVG atau HTML tidak diterima" in str(error.value.messages[0])


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 a zip or docx",
        b"MZ\x90\x00 an exe",
        b"GIF89a\x01\x00\x01\x00",
        b"plain text, not a document",
        b"%PDX-1.7 almost",
    ],
)
def test_anything_else_is_refused(content):
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("dokumen.pdf", content))
    assert error.value.code == "type"


def test_a_pdf_named_like_a_page_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("sertifikat.html", PDF))
    assert error.value.code == "mismatch"


def test_png_named_jpg_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("foto.jpg", image_bytes("PNG")))
    assert error.value.code == "mismatch"


def test_empty_and_too_big_files_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("kosong.pdf", b""))
    assert error.value.code == "empty"
    small = DocumentValidator(max_bytes=10)
    with pytest.raises(ValidationError) as error:
        small(SimpleUploadedFile("besar.pdf", PDF))
    assert error.value.code == "size"
    assert "Ukuran maksimum" in str(error.value.messages[0])


def test_a_narrower_allow_list():
    pdf_only = DocumentValidator(allowed=["application/pdf"])
    assert pdf_only(SimpleUploadedFile("a.pdf", PDF)) == "application/pdf"
    with pytest.raises(ValidationError):
        pdf_only(SimpleUploadedFile("a.png", image_bytes("PNG")))


def test_validator_deconstructs_for_migrations():
    path, args, kwargs = validate_document.deconstruct()
    assert path == "tangerang_ikm.uploads.DocumentValidator"
    assert DocumentValidator(*args, **kwargs) == validate_document
