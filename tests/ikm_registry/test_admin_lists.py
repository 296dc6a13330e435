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
