"""The IKM page's product cards come from the keys of the business's public products
first, then the page's cards by key (catalog.products_page): the same pages, cards and
page numbers as the keys-first paginator over the annotated cards gave."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from ikm_registry.catalog import _page, public_products, with_business
from ikm_registry.templatetags.catalog_cards import product_cards
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.catalog_fixtures import add_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_shop():
    business = BusinessFactory(name="Rotan Raya")
    for n in range(30):
        product = ProductFactory(business=business, name=f"Produk {n:02d}", export_ready=n % 7 == 0)
        if n % 4 == 0:
            add_photo(product, position=n % 3)
    ProductFactory(business=business, name="Produk Nonaktif", is_active=False)
    return business


@pytest.mark.parametrize("page", ["", "1", "2", "99", "abc"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_pages_hold_the_cards_the_paginator_gave(client, big_shop, page, language):
    prefix = "/en" if language == "en" else ""
    query = f"?page={page}" if page else ""
    response = client.get(f"{prefix}/ikm-direktori/{big_shop.slug}/{query}")
    body = response.content.decode()
    with translation.override(language):
        request = RequestFactory().get("/", {"page": page} if page else {})
        # The covers as public_products() annotates them; the page reads them with one
        # photo query instead (catalog.photos_and_covers).
        cards = public_products().filter(business=big_shop)
        reference = _page(request, cards.order_by("-export_ready", "name"))
        expected = product_cards(with_business(big_shop, reference.object_list))
    shown = response.context["page_obj"]
    assert shown.number == reference.number
    assert shown.paginator.num_pages == reference.paginator.num_pages == 2
    assert [p.pk for p in shown.object_list] == [p.pk for p in reference.object_list]
    assert expected in body
    assert "Produk Nonaktif" not in body
    assert ("Halaman" if language == "id" else "Page") in body
