"""The admin's searches by index: exact NIB and account e-mail, names by their trigram
indexes, a product by its business's name or NIB without a join in the OR."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db

BUSINESSES = reverse("admin:ikm_registry_business_changelist")
PRODUCTS = reverse("admin:ikm_registry_product_changelist")


@pytest.fixture
def world(owner):
    rotan = BusinessFactory(owner=owner, name="Anyaman Rotan Jaya", nib="1234567890123")
    mede = BusinessFactory(name="Mede Sejahtera", nib="9876543210987")
    ProductFactory(business=rotan, name="Keranjang Bundar")
    ProductFactory(business=mede, name="Kacang Mede Goreng")
    return rotan, mede


def names(client, url, term):
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def test_businesses_by_name_exact_nib_and_owner_email(client, admin_staff, owner, world):
    client.force_login(admin_staff)
    assert names(client, BUSINESSES, "rotan") == {"Anyaman Rotan Jaya"}
    assert names(client, BUSINESSES, "9876543210987") == {"Mede Sejahtera"}
    assert names(client, BUSINESSES, "98765432") == set()  # a NIB is matched whole
    assert names(client, BUSINESSES, owner.email.upper()) == {"Anyaman Rotan Jaya"}


def test_products_by_their_name_or_their_business(client, admin_staff, world):
    client.force_login(admin_staff)
    assert names(client, PRODUCTS, "bundar") == {"Keranjang Bundar"}
    assert names(client, PRODUCTS, "sejahtera") == {"Kacang Mede Goreng"}
    assert names(client, PRODUCTS, "1234567890123") == {"Keranjang Bundar"}


def test_a_search_runs_a_fixed_number_of_queries(client, admin_staff, world):
    client.force_login(admin_staff)

    def count(url, term):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, {"q": term})
        return len(ctx.captured_queries)

    assert count(BUSINESSES, "rotan") == count(BUSINESSES, "mede")
    BusinessFactory.create_batch(3, name="Rotan Lain")
    assert count(BUSINESSES, "rotan") == count(BUSINESSES, "mede")
    assert count(PRODUCTS, "rotan") == count(PRODUCTS, "kacang")


def test_staff_are_told_when_a_business_name_matches_too_many(
    client, admin_staff, world, monkeypatch
):
    from ikm_registry.admin import ProductAdmin

    monkeypatch.setattr(ProductAdmin, "BUSINESS_MATCH_LIMIT", 1)
    first, second = (BusinessFactory(name=f"Sentosa {n}") for n in (1, 2))
    ProductFactory(business=first, name="Tikar", name_en="Mat")
    ProductFactory(business=second, name="Tampah", name_en="Tray")
    client.force_login(admin_staff)
    response = client.get(PRODUCTS, {"q": "sentosa"})  # two businesses' names, no product's
    shown = {str(obj) for obj in response.context["cl"].result_list}
    assert len(shown) == 1  # the products of one business only
    assert "Lebih dari 1 IKM bernama mirip “sentosa”" in response.text
    response = client.get(PRODUCTS, {"q": "sejahtera"})  # one business: nothing cut
    assert "Lebih dari" not in response.text
