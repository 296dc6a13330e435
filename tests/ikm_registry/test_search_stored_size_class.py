"""Product.size_class: the products' stored copy of their business's size class.

The catalog's and the API's size filter read it instead of joining every matching
product to its business (national scale: a common word with `?size=mikro` checked
73,000 products through their businesses), so every way a business's size class is
written must keep it: a business's save, the XLSX import, the search rebuild,
seed_scale's bulk insert and migration 0028's fill.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from ikm_registry import search
from ikm_registry.models import Business, Desa, Product
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.stored_copies import run_fill, seed_function, seed_small

pytestmark = pytest.mark.django_db

MICRO_SALES = Decimal("800000000")  # Rp800 juta a year: mikro (PP 7/2021)
SMALL_SALES = Decimal("5000000000")  # Rp5 miliar: kecil


def out_of_sync():
    wrong = Product.objects.exclude(size_class=F("business__size_class"))
    return sorted(wrong.values_list("name", flat=True))


def micro_product(name):
    return ProductFactory(name=name, business__annual_sales=MICRO_SALES)


def catalog_names(client, size, **params):
    page = client.get("/katalog/", {"size": size, **params})
    assert page.status_code == 200
    return [p.name for p in page.context["page_obj"].object_list]


def test_a_saved_product_stores_its_business_size_class():
    business = BusinessFactory(annual_sales=MICRO_SALES, status=Business.Status.VERIFIED)
    product = ProductFactory(name="Tampah Bambu", business=business)
    product.refresh_from_db()
    assert business.size_class == "mikro"
    assert product.size_class == "mikro"
    assert out_of_sync() == []


def test_a_business_that_grows_moves_its_products_to_its_new_class(client):
    business = BusinessFactory(annual_sales=MICRO_SALES, status=Business.Status.VERIFIED)
    ProductFactory(name="Keripik Tempe", business=business)
    ProductFactory(name="Keripik Singkong", business=business)
    assert catalog_names(client, "mikro") == ["Keripik Singkong", "Keripik Tempe"]
    business.annual_sales = SMALL_SALES
    business.save()
    assert out_of_sync() == []
    assert catalog_names(client, "mikro") == []
    assert catalog_names(client, "kecil") == ["Keripik Singkong", "Keripik Tempe"]
    assert catalog_names(client, "kecil", q="keripik") == ["Keripik Singkong", "Keripik Tempe"]


def test_the_filters_read_the_stored_copy_without_joining_the_business(client):
    """The filter trusts the product's row: a copy written wrong shows in the wrong
    class (which the write paths here never leave behind), and the query that finds
    the page's products does not read the business table."""
    business = BusinessFactory(annual_sales=MICRO_SALES, status=Business.Status.VERIFIED)
    product = ProductFactory(name="Kap Lampu Rotan", business=business)
    Product.objects.filter(pk=product.pk).update(size_class="menengah")
    assert catalog_names(client, "mikro") == []
    assert catalog_names(client, "menengah") == ["Kap Lampu Rotan"]
    assert catalog_names(client, "menengah", q="lampu") == ["Kap Lampu Rotan"]
    answer = client.get("/api/v1/products/", {"size": "menengah"}).json()
    assert [p["name"] for p in answer["results"]] == ["Kap Lampu Rotan"]
    assert client.get("/api/v1/products/", {"size": "mikro"}).json()["results"] == []

    table = connection.ops.quote_name(Business._meta.db_table)
    with CaptureQueriesContext(connection) as queries:
        client.get("/katalog/", {"size": "menengah", "q": "lampu"})
    searches = [q["sql"] for q in queries if "size_class" in q["sql"]]
    assert searches, "no query filtered by size class"
    assert all(table not in sql for sql in searches), searches


def test_the_search_rebuild_repairs_rows_written_without_save():
    micro_product("Emping Melinjo")
    micro_product("Dodol Betawi")
    Product.objects.update(size_class="")
    assert out_of_sync() == ["Dodol Betawi", "Emping Melinjo"]
    search.rebuild()
    assert out_of_sync() == []


def test_migration_0028_fills_every_product():
    micro_product("Sambal Roa")
    micro_product("Sirup Pala")
    Product.objects.update(size_class="")
    run_fill("0028_product_size_class", "copy_size_classes")
    assert out_of_sync() == []


def test_the_import_moves_the_products_of_a_business_whose_class_it_changes(client, admin_staff):
    from tests.ikm_registry.test_import_bulk import _existing, _import, _row

    desa = Desa.objects.order_by("code").first()
    business = _existing(1, desa)
    Business.objects.filter(pk=business.pk).update(size_class="menengah")
    Product.objects.filter(business=business).update(size_class="menengah")
    client.force_login(admin_staff)
    # The same name and desa, Rp800 juta of sales a year: only its class changes.
    _import(client, [_row(1, desa, nib=business.nib, name=business.name, status="verified")])
    business.refresh_from_db()
    assert business.size_class == "mikro"
    assert out_of_sync() == []


def test_seed_scale_writes_the_size_class_with_each_product():
    seed_function(ikm=12, products=40, batch=7)
    assert Product.objects.count() == 40
    assert out_of_sync() == []
    assert Product.objects.exclude(size_class="").count() == 40


def test_seed_scale_command_keeps_it_in_sync():
    seed_small()
    assert Product.objects.count() == 15
    assert out_of_sync() == []
