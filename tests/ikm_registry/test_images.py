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
    assert display.format == "JPEG" and processed.display.name.endswith(".jpg")
    assert display.size == (1600, 1067)
    # The card's photo: 4:3 at the card's width, as AVIF (issue #9, page weight).
    assert thumb.format == "AVIF" and processed.thumbnail.name.endswith("-kecil.avif")
    assert thumb.size == (320, 240)


def test_the_thumbnail_is_the_centre_of_the_photo_as_the_card_shows_it():
    # A portrait photo: red top and bottom quarters, blue middle half.
    photo = Image.new("RGB", (900, 1600), (200, 0, 0))
    photo.paste((0, 0, 200), (0, 400, 900, 1200))
    out = io.BytesIO()
    photo.save(out, "PNG")
    processed = images.process_photo(upload(out.getvalue(), name="tegak.png"))
    thumb = Image.open(io.BytesIO(processed.thumbnail.read())).convert("RGB")
    assert thumb.size == (320, 240)
    for corner in [(2, 2), (317, 2), (2, 237), (317, 237)]:
        red, _green, blue = thumb.getpixel(corner)
        assert blue > 150 and red < 50, corner  # all blue: the red ends were cut off


def test_a_small_photo_is_cut_to_shape_but_not_enlarged():
    processed = images.process_photo(upload(image_bytes(size=(200, 200))))
    assert Image.open(io.BytesIO(processed.thumbnail.read())).size == (200, 150)


def test_a_detailed_photo_makes_a_thumbnail_of_a_few_kilobytes():
    """12 cards are fetched on first load at 1280 px: each must stay near 6 KB."""
    texture = Image.effect_noise((400, 300), 60).resize((1600, 1200), Image.Resampling.BICUBIC)
    texture = Image.blend(Image.new("L", texture.size, 128), texture, 0.5)
    photo = Image.merge("RGB", [texture, texture.point(lambda v: v * 0.8), texture])
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=92)
    processed = images.process_photo(upload(out.getvalue()))
    assert processed.display.size > 300_000  # the texture really is detailed
    assert processed.thumbnail.size < 7_000


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


@pytest.mark.django_db
def test_the_product_page_shows_the_medium_size_and_links_the_full_one(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ikm_registry import services
    from tests.factories import ProductFactory

    product = ProductFactory(slug="keranjang-ukuran")
    for _ in range(2):
        services.add_photo(
            product=product,
            upload=SimpleUploadedFile("f.jpg", image_bytes(size=(2000, 1500)), "image/jpeg"),
        )
    first, second = product.photos.order_by("position")
    body = client.get("/katalog/keranjang-ukuran/").content.decode()
    # The AVIF sizes in a <picture>, the stored JPEG as the fallback and the link.
    main = f'<a href="{first.image.url}"><picture><source srcset="{first.medium.url}"'
    more = f'<a href="{second.image.url}"><picture><source srcset="{second.thumbnail.url}"'
    assert main in body and more in body
    assert f'<img src="{first.image.url}"' in body
    assert first.medium.width == 800


@pytest.mark.django_db
def test_refresh_photos_remakes_the_sizes_of_older_photos():
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from ikm_registry.models import ProductPhoto
    from tests.factories import ProductFactory

    old = ProductPhoto(product=ProductFactory(), alt_text="lama")
    old.image.save("lama.jpg", ContentFile(image_bytes(size=(1600, 1200))), save=False)
    old.thumbnail.save("lama-kecil.jpg", ContentFile(image_bytes(size=(400, 300))), save=False)
    old.save()
    old_thumbnail = old.thumbnail.name
    call_command("refresh_photos", verbosity=0)
    old.refresh_from_db()
    assert old.medium.name.endswith(".avif") and old.thumbnail.name.endswith(".avif")
    assert (old.thumbnail.width, old.thumbnail.height) == (320, 240)
    assert not old.thumbnail.storage.exists(old_thumbnail)
    assert old.image.name.endswith("lama.jpg")  # the display size is kept
