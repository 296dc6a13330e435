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


# --- Active PDFs, decompression bombs, metadata -------------------------------


def pdf_bytes(**root):
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    for key, value in root.items():
        pdf.Root[f"/{key}"] = value
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def javascript_action():
    import pikepdf

    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


def test_a_plain_pdf_passes():
    assert validate_document(SimpleUploadedFile("a.pdf", pdf_bytes())) == "application/pdf"


@pytest.mark.parametrize(
    "root",
    [
        "open_action",
        "launch",
        "names_javascript",
        "escaped_name",
        "page_additional_action",
    ],
)
def test_a_pdf_with_active_content_is_refused(root):
    import pikepdf

    if root == "open_action":
        content = pdf_bytes(OpenAction=javascript_action())
    elif root == "launch":
        launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
        content = pdf_bytes(Outlines=pikepdf.Dictionary(A=launch))
    elif root == "names_javascript":
        tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), javascript_action()]))
        content = pdf_bytes(Names=pikepdf.Dictionary(JavaScript=tree))
    elif root == "escaped_name":
        # "/J#61vaScript" is "/JavaScript" to every reader.
        content = (
            pdf_bytes(OpenAction=javascript_action())
            .replace(b"/JavaScript", b"/J#61vaScript")
            .replace(b"/JS", b"/J#53")
        )
    else:
        pdf = pikepdf.new()
        pdf.add_blank_page()
        pdf.pages[0].obj["/AA"] = pikepdf.Dictionary(O=javascript_action())
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        content = out.getvalue()
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("kontrak.pdf", content))
    assert error.value.code == "pdf_active"
    assert "JavaScript" in str(error.value.messages[0])


def test_a_decompression_bomb_image_is_refused():
    """Deal documents and certificates alike: one validator."""
    buffer = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(buffer, format="PNG")  # 50 MP in a few KB
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("scan.png", buffer.getvalue()))
    assert error.value.code == "image_pixels"


def jpeg_with_everything():
    """A JPEG with EXIF (GPS), XMP, a comment with markup and an address, and an ICC profile."""
    from PIL import ImageCms

    exif = Image.Exif()
    exif[0x010F] = "Kamera Rahasia"
    exif.get_ifd(0x8825)[2] = (6.0, 10.0, 30.0)  # GPSLatitude
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(
        buffer,
        format="JPEG",
        exif=exif,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Rumah Jl. Melati 7</x:xmpmeta>',
        comment=b"<html><body><script>alert(1)</script> Jl. Melati 7",
        icc_profile=icc,
    )
    return buffer.getvalue()


def jpeg_segments(data):
    """The markers of a JPEG's header segments, up to the image data (SOS)."""
    markers, i = [], 2
    while i < len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xDA:
            break
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        markers.append((marker, data[i + 4 : i + 2 + length]))
        i += 2 + length
    return markers


def assert_no_metadata(data):
    for marker, payload in jpeg_segments(data):
        assert marker != 0xFE, "COM segment"
        assert marker not in range(0xE1, 0xF0) or (
            marker == 0xE2 and payload.startswith(b"ICC_PROFILE")
        ), f"APP{marker - 0xE0} segment"
    assert b"Melati" not in data and b"Kamera Rahasia" not in data and b"<script" not in data


def test_the_fixture_really_holds_every_kind_of_metadata():
    markers = [m for m, _ in jpeg_segments(jpeg_with_everything())]
    assert 0xFE in markers and 0xE1 in markers and 0xE2 in markers


def test_product_photos_carry_no_comment_exif_or_xmp():
    from ikm_registry import images

    processed = images.process_photo(SimpleUploadedFile("f.jpg", jpeg_with_everything()))
    display = processed.display.read()
    assert_no_metadata(display)
    assert any(m == 0xE2 for m, _ in jpeg_segments(display))  # the colour profile stays
    for avif in (processed.thumbnail, processed.medium):
        data = avif.read()
        assert b"Melati" not in data and b"Kamera Rahasia" not in data
    logo = images.process_logo(SimpleUploadedFile("l.jpg", jpeg_with_everything()))
    assert_no_metadata(logo.read())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_strip_image_keeps_the_picture_and_drops_the_metadata(fmt):
    from tangerang_ikm.uploads import strip_image

    source = Image.open(io.BytesIO(jpeg_with_everything()))
    buffer = io.BytesIO()
    source.save(buffer, format=fmt, exif=source.getexif(), xmp=source.info["xmp"])
    assert b"Kamera Rahasia" in buffer.getvalue()
    clean = strip_image(SimpleUploadedFile("scan", buffer.getvalue()))
    result = Image.open(io.BytesIO(clean))
    assert result.format == fmt and result.size == (64, 48)
    assert not result.getexif() and "xmp" not in result.info and "comment" not in result.info
    assert b"Kamera Rahasia" not in clean and b"Melati" not in clean
    if fmt == "JPEG":
        assert_no_metadata(clean)


@pytest.mark.django_db
def test_private_document_field_stores_images_without_metadata(owner):
    from django.core.files.storage import storages

    from ikm_registry.models import Certificate
    from tangerang_ikm.uploads import PrivateDocumentField
    from tests.factories import BusinessFactory

    field = PrivateDocumentField(upload_to="certificates/", storage=storages["private"])
    field.set_attributes_from_name("document")
    certificate = Certificate(business=BusinessFactory(owner=owner), kind="halal", number="1")
    certificate.document = SimpleUploadedFile("scan.jpg", jpeg_with_everything())
    field.pre_save(certificate, add=True)
    assert certificate.document.name.endswith(".jpg")
    with certificate.document.storage.open(certificate.document.name) as stored:
        data = stored.read()
    assert data.startswith(b"\xff\xd8\xff")
    assert_no_metadata(data)
    # A PDF is kept as it was checked; migrations see a plain FileField.
    certificate.document = SimpleUploadedFile("scan.pdf", pdf_bytes())
    field.pre_save(certificate, add=True)
    with certificate.document.storage.open(certificate.document.name) as stored:
        assert stored.read()[:5] == b"%PDF-"
    assert field.deconstruct()[1] == "django.db.models.FileField"
    assert validate_document in field.validators
