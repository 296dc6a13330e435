import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from ikm_registry import images
from tests.ikm_registry.helpers import image_bytes, jpeg_with_gps, png_claiming, upload


def test_a_sound_jpeg_gives_display_and_thumbnail_sizes():
    processed = images.process_photo(upload(image_bytes(size=(3000, 2000))))
    display = Image.open(io.BytesIO(processed.display.read()))
    thumb = Image.open(io.BytesIO(processed.thumbnail.read()))
    assert display.format == thumb.format == "JPEG"
    assert max(display.size) == 1600
    assert max(thumb.size) == 400


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "foto.png"), ("WEBP", "foto.webp")])
def test_png_and_webp_are_accepted(fmt, name):
    processed = images.process_photo(upload(image_bytes(fmt), name=name))
    assert Image.open(io.BytesIO(processed.display.read())).format == "JPEG"


def test_a_text_file_renamed_jpg_is_refused():
    with pytest.raises(ValidationError, match="bukan foto"):
        images.validate_image(upload(b"this is not a photo at all\n" * 20, name="foto.jpg"))


def test_a_truncated_jpeg_is_refused():
    data = image_bytes()[:300]
    with pytest.raises(ValidationError, match="bukan foto"):
        images.validate_image(upload(data))


def test_gif_is_refused_by_format():
    with pytest.raises(ValidationError, match="JPEG, PNG, atau WebP"):
        images.validate_image(upload(image_bytes("GIF"), name="foto.gif"))


def test_a_file_over_ten_megabytes_is_refused():
    big = upload(b"\xff\xd8" + b"0" * (10 * 1024 * 1024), name="besar.jpg")
    with pytest.raises(ValidationError, match="10 MB"):
        images.validate_image(big)


def test_more_than_forty_megapixels_is_refused():
    # 7000 x 6000 = 42 MP: below Pillow's own bomb limit, above ours.
    data = png_claiming(7000, 6000)
    assert Image.open(io.BytesIO(data)).size == (7000, 6000)
    with pytest.raises(ValidationError, match="40 megapiksel"):
        images.validate_image(upload(data, name="luas.png"))


def test_exactly_forty_megapixels_passes_the_size_check():
    data = image_bytes("JPEG", size=(8000, 5000))
    images.validate_image(upload(data))


def test_a_decompression_bomb_is_refused():
    # 30000 x 30000 = 900 MP (2.7 GB decoded) in a file of a few hundred bytes.
    data = png_claiming(30000, 30000)
    assert len(data) < 2000
    with pytest.raises(ValidationError, match="40 megapiksel"):
        images.validate_image(upload(data, name="bom.png"))


def test_pillow_bomb_error_is_turned_into_a_message(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError, match="40 megapiksel"):
        images.validate_image(upload(image_bytes(size=(100, 100))))


def test_exif_and_gps_are_removed():
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(0x8825)  # the fixture really holds GPS
    processed = images.process_photo(upload(jpeg_with_gps()))
    for content in (processed.display, processed.thumbnail):
        data = content.read()
        result = Image.open(io.BytesIO(data))
        assert not result.getexif()
        assert b"Kamera Rahasia" not in data
        assert "exif" not in result.info


def test_a_pdf_certificate_document_is_accepted_and_a_fake_is_not():
    assert images.validate_document(upload(b"%PDF-1.7 ...", name="s.pdf")) == "pdf"
    with pytest.raises(ValidationError):
        images.validate_document(upload(b"MZ\x90\x00 executable", name="s.pdf"))
