"""Product.is_public: the products' stored copy of their business's public state.

The catalog reads it instead of joining every product to its business, so every way a
business enters or leaves the catalog must keep it: the services' transitions, product
saves, and the bulk path (`sync_public`).
"""

import pytest
from django.urls import reverse

from ikm_registry import services
from ikm_registry.models import Business, Product
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.catalog_fixtures import column_conditions

pytestmark = pytest.mark.django_db


def public_names():
    return set(Product.objects.public().values_list("name", flat=True))


def test_a_product_of_a_verified_business_is_public_and_of_a_draft_is_not():
    ProductFactory(name="Terlihat", business=BusinessFactory())
    ProductFactory(name="Draf", business=BusinessFactory(status=Business.Status.DRAFT))
    assert public_names() == {"Terlihat"}


def test_every_transition_moves_the_products_with_the_business(coordinator, client):
    business = BusinessFactory(status=Business.Status.SUBMITTED)
    product = ProductFactory(name="Keranjang Pandan", business=business)
    page = reverse("ikm_registry:catalog_product", args=[product.slug])
    assert public_names() == set()
    assert client.get(page).status_code == 404

    services.verify(business=business, by=coordinator)
    assert public_names() == {"Keranjang Pandan"}
    assert client.get(page).status_code == 200

    services.archive(business=business, by=coordinator)
    assert public_names() == set()
    assert client.get(page).status_code == 404

    services.unarchive(business=business, by=coordinator)
    assert public_names() == {"Keranjang Pandan"}

    services.return_with_notes(business=business, by=coordinator, notes="Lengkapi NIB.")
    assert public_names() == set()
    assert client.get(page).status_code == 404


def test_an_inactive_product_stays_hidden_whatever_its_business():
    product = ProductFactory(name="Nonaktif", business=BusinessFactory())
    product.is_active = False
    product.save()
    assert public_names() == set()
    product.is_active = True
    product.save(update_fields=["is_active"])
    assert public_names() == {"Nonaktif"}


def test_sync_public_repairs_rows_written_without_save():
    shown = ProductFactory(name="Terverifikasi", business=BusinessFactory())
    hidden = ProductFactory(name="Draf", business=BusinessFactory(status=Business.Status.DRAFT))
    Product.objects.update(is_public=False)
    Product.objects.filter(pk=hidden.pk).update(is_public=True)
    assert Product.objects.sync_public() == 2
    assert public_names() == {shown.name}


def test_a_search_checks_the_public_flags_on_its_matches(client):
    """Searched, the public condition is written so that no index answers it
    (Product.public(indexed=False)): as plain conditions PostgreSQL ANDed the word's
    matches with a bitmap of every public product from a partial index (4,000,000 at
    national scale). It still keeps out every hidden product, in the catalog and the API;
    browsing keeps the plain conditions, which the partial indexes serve."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ProductFactory(name="Besek Bambu Terbuka", business=BusinessFactory())
    ProductFactory(name="Besek Bambu Draf", business=BusinessFactory(status=Business.Status.DRAFT))
    inactive = ProductFactory(name="Besek Bambu Nonaktif", business=BusinessFactory())
    inactive.is_active = False
    inactive.save()

    def search(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        # The query that finds the matches reads the text (PostgreSQL's vector,
        # SQLite's stored text); the page's rows are then read by key.
        matching = [q["sql"] for q in queries if re.search(r"search_(vector|text)", q["sql"])]
        assert matching
        return response, *column_conditions(" ".join(matching), "is_public")

    page, plain, coalesced = search(reverse("ikm_registry:catalog") + "?q=besek")
    assert (plain, coalesced) == (False, True)
    body = page.content.decode()
    assert "Besek Bambu Terbuka" in body
    assert "Draf" not in body and "Nonaktif" not in body
    api, plain, coalesced = search("/api/v1/products/?q=besek")
    assert (plain, coalesced) == (False, True)
    assert [p["name"] for p in api.json()["results"]] == ["Besek Bambu Terbuka"]

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("ikm_registry:catalog")).status_code == 200
    plain, coalesced = column_conditions(" ".join(q["sql"] for q in queries), "is_public")
    assert not coalesced
    assert plain
