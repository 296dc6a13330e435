"""Photos as <picture>: the AVIF size with the stored JPEG as fallback, width and height
on every <img>, alt text in the page's language (#22)."""

import re

import pytest
from django.core.files.base import ContentFile
from django.utils import translation

from ikm_registry.catalog import public_products
from ikm_registry.models import ProductPhoto
from ikm_registry.templatetags.catalog_cards import product_cards
from tangerang_ikm.templatetags.portal import picture_html
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_avif_gets_a_jpeg_fallback_with_its_size():
    html = picture_html("/m/a.avif", "/m/a.jpg", 'Tikar "rotan"', 320, 240)
    assert html == (
        '<picture><source srcset="/m/a.avif" type="image/avif">'
        '<img src="/m/a.jpg" alt="Tikar &quot;rotan&quot;" width="320" height="240"'
        ' loading="lazy" decoding="async"></picture>'
    )


def test_a_jpeg_or_a_missing_size_is_a_plain_img():
    assert picture_html("/m/old.jpg", "/m/a.jpg", "x", 320, 240, lazy=False) == (
        '<img src="/m/old.jpg" alt="x" width="320" height="240" decoding="async">'
    )
    assert picture_html("", "/m/a.jpg", "x", 800, 800).startswith('<img src="/m/a.jpg"')


@pytest.fixture
def avif_product():
    product = ProductFactory(name="Keranjang Pandan", name_en="Pandan Basket")
    photo = ProductPhoto(product=product, alt_text="Keranjang pandan di meja")
    photo.image.save("k.jpg", ContentFile(b"jpeg"), save=False)
    photo.thumbnail.save("k.avif", ContentFile(b"avif"), save=False)
    photo.save()
    return product


def test_cards_show_the_avif_thumbnail_with_the_jpeg_fallback(avif_product):
    html = product_cards(list(public_products()))
    match = re.search(r"<picture>.*?</picture>", html)
    assert match, html
    picture = match.group(0)
    assert re.search(
        r'<source srcset="/media/products/thumbs/k\w*\.avif" type="image/avif">', picture
    )
    assert re.search(
        r'<img src="/media/products/k\w*\.jpg" alt="Keranjang pandan di meja"', picture
    )
    assert 'width="320" height="240"' in picture


def test_cards_alt_text_is_english_on_english_pages(avif_product):
    with translation.override("en"):
        html = product_cards(list(public_products()))
    assert 'alt="Pandan Basket"' in html and "Keranjang pandan di meja" not in html
