"""The registry's long admin lists keep an order their indexes can give."""

import pytest
from django.urls import reverse

from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_products_of_one_name_are_listed_by_key_ascending(client, superuser):
    """ORDER BY name, id: the index product_name_id, not Django's name, -id (a sort of
    every product for each page)."""
    business = BusinessFactory()
    products = [ProductFactory(business=business, name="Keripik Sama") for _ in range(3)]
    ProductFactory(business=business, name="Abon Dulu")
    client.force_login(superuser)
    response = client.get(reverse("admin:ikm_registry_product_changelist"))
    shown = [obj.pk for obj in response.context["cl"].result_list]
    assert shown[1:] == [p.pk for p in products]
    assert response.context["cl"].result_list[0].name == "Abon Dulu"


def test_businesses_of_one_name_are_listed_by_key_ascending(client, superuser):
    businesses = [BusinessFactory(name="UD Sama") for _ in range(3)]
    client.force_login(superuser)
    response = client.get(reverse("admin:ikm_registry_business_changelist") + "?q=UD+Sama")
    shown = [obj.pk for obj in response.context["cl"].result_list]
    assert shown == [b.pk for b in businesses]


def test_a_filtered_count_reads_keys_not_each_rows_product_count(client, superuser):
    """The count of a filtered list is of keys: the product-count annotation was computed
    for every business a commodity filter left (a DISTINCT over every column)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ikm_registry.models import Commodity

    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    for _ in range(3):
        BusinessFactory().commodities.add(rotan)
    client.force_login(superuser)
    url = reverse("admin:ikm_registry_business_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + f"?commodities__id__exact={rotan.pk}")
    assert response.context["cl"].result_count == 3
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT")]
    assert counts and all("ikm_registry_product" not in sql for sql in counts)


def test_fifty_products_a_page(client, superuser):
    business = BusinessFactory()
    for n in range(51):
        ProductFactory(business=business, name=f"Produk {n:02d}")
    client.force_login(superuser)
    response = client.get(reverse("admin:ikm_registry_product_changelist"))
    assert len(response.context["cl"].result_list) == 50
    assert response.context["cl"].multi_page
