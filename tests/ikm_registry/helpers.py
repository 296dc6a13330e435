"""Image and object builders shared by the registry tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ikm_registry.models import Certificate
from tests.factories import BusinessFactory, ProductFactory


def image_bytes(fmt="JPEG", size=(800, 600), colour=(200, 120, 40), **save_kwargs):
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, colour)
    out = io.BytesIO()
    image.save(out, fmt, **save_kwargs)
    return out.getvalue()


def png_claiming(width, height):
    """A tiny PNG whose header claims width x height pixels: the shape of a
    decompression bomb (a few bytes that would decode to gigabytes)."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # A few rows of zeros; the decoder would keep asking for width x height pixels.
    pixels = zlib.compress(b"\x00" * (width * 3 + 1) * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(data, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_gps():
    """A JPEG whose EXIF holds GPS coordinates and a camera model."""
    image = Image.new("RGB", (640, 480), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0110] = "Kamera Rahasia"  # Model
    exif[0x8825] = {1: "S", 2: (6.0, 12.0, 30.0), 3: "E", 4: (106.0, 28.0, 15.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def business_with_everything(owner, **kwargs):
    """A business with one product (with a photo) and a certificate with a scanned document."""
    from ikm_registry import services

    business = BusinessFactory(owner=owner, **kwargs)
    product = ProductFactory(business=business)
    photo = services.add_photo(product=product, upload=upload(image_bytes()))
    certificate = Certificate(business=business, kind="halal", number="ID-001")
    certificate.document.save(
        "scan.pdf", SimpleUploadedFile("scan.pdf", b"%PDF-1.4 rahasia"), save=False
    )
    certificate.save()
    return business, product, photo, certificate
