"""The product page reads its own photos and its other-products cards' covers in one
query (catalog.photos_and_covers), not three cover subqueries: the cards are the ones
public_products()' annotations gave, byte for byte, and the gallery is the product's."""

import pytest
from django.utils import translation

from ikm_registry.catalog import public_products, with_business
from ikm_registry.templatetags.catalog_cards import product_cards
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.catalog_fixtures import add_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    business = BusinessFactory(name="Rotan & Co")
    product = ProductFactory(business=business, name="Kursi Rotan", min_order=10)
    add_photo(product, position=2, alt="Kursi dari samping")
    add_photo(product, position=1, alt="Kursi dari depan")
    two = ProductFactory(business=business, name="Meja Rotan", export_ready=True)
    add_photo(two, position=5, alt="Meja kedua")
    add_photo(two, position=3, alt="Meja <pertama>")
    ProductFactory(business=business, name="Tikar Rotan", name_en="")  # no photo
    three = ProductFactory(business=business, name="Keranjang Rotan", min_order=5)
    add_photo(three, position=0, alt="")
    ProductFactory(business=business, name="Lampu Rotan")
    ProductFactory(business=business, name="Zebra Rotan")  # the fifth: not a card
    return business, product


@pytest.mark.parametrize("language", ["id", "en"])
def test_more_cards_are_the_annotated_cards(client, shop, language):
    business, product = shop
    prefix = "/en" if language == "en" else ""
    body = client.get(f"{prefix}/katalog/{product.slug}/").content.decode()
    more = body.split('id="more-title"', 1)[1].split("</section>", 1)[0]
    with translation.override(language):
        annotated = with_business(
            business,
            public_products()
            .filter(business=business)
            .exclude(pk=product.pk)
            .order_by("-export_ready", "name")[:4],
        )
        expected = product_cards(annotated)
    assert [p.name for p in annotated][:2] == ["Meja Rotan", "Keranjang Rotan"]
    assert sum(bool(p.cover_thumbnail) for p in annotated) == 2
    assert expected in more
    assert "Zebra Rotan" not in more


def test_the_gallery_shows_the_products_own_photos_in_order(client, shop):
    _business, product = shop
    body = client.get(f"/katalog/{product.slug}/").content.decode()
    gallery = body.split('<div class="gallery">', 1)[1].split("</div>", 1)[0]
    assert gallery.index("Kursi dari depan") < gallery.index("Kursi dari samping")
    assert "Meja" not in gallery
    assert gallery.count("<figure") == 2
