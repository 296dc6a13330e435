"""Images on the product page reserve their space: width and height on every <img>."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_every_image_on_the_product_page_has_width_and_height(client, world):
    html = client.get(f"/katalog/{world['product_a'].slug}/").content.decode()
    images = re.findall(r"<img\b[^>]*>", html)
    main = [tag for tag in images if "/media/products/" in tag]
    assert main, "the product's photo is on the page"
    for tag in images:
        assert re.search(r'\swidth="\d+"', tag) and re.search(r'\sheight="\d+"', tag), tag


def test_no_template_comment_leaks_into_pages(client, world):
    for path in ("/", f"/katalog/{world['product_a'].slug}/", "/gerai/acara/kalender/"):
        html = client.get(path).content.decode()
        assert "{#" not in html and "#}" not in html, path
