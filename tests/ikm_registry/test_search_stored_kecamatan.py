"""Product.kecamatan: the products' stored copy of their business's kecamatan.

The catalog's kecamatan filter reads it instead of joining every product to its business
and desa (national scale: 5,000,000 products), so every way a product or its business's
desa is written must keep it: a product's save, a business's save (its desa moved), the
XLSX import, the search rebuild, seed_scale's bulk insert, and the repairs
(`sync_kecamatan`, migration 0022's fill).
"""

import pytest
from django.db.models import F

from ikm_registry import search
from ikm_registry.models import Business, Desa, Kecamatan, Product
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.stored_copies import run_fill, seed_function, seed_small

pytestmark = pytest.mark.django_db


def out_of_sync():
    """Products whose stored kecamatan is not their business's desa's (a missing one
    too: exclude() counts NULL as different)."""
    wrong = Product.objects.exclude(kecamatan=F("business__desa__kecamatan"))
    return sorted(wrong.values_list("name", flat=True))


def desa_in_other_kecamatan(desa):
    return Desa.objects.exclude(kecamatan=desa.kecamatan_id).order_by("code").first()


def catalog_names(client, kecamatan):
    page = client.get("/katalog/", {"kecamatan": kecamatan.pk})
    assert page.status_code == 200
    return [p.name for p in page.context["page_obj"].object_list]


def test_a_saved_product_stores_its_business_kecamatan():
    product = ProductFactory(name="Tampah Bambu")
    product.refresh_from_db()
    assert product.kecamatan_id == product.business.desa.kecamatan_id
    assert out_of_sync() == []


def test_a_product_moved_to_another_business_takes_its_kecamatan():
    product = ProductFactory(name="Besek")
    there = BusinessFactory(desa=desa_in_other_kecamatan(product.business.desa))
    product.business = there
    product.save()
    product.refresh_from_db()
    assert product.kecamatan_id == there.desa.kecamatan_id
    assert out_of_sync() == []


@pytest.mark.parametrize("update_fields", [None, ["desa"]])
def test_a_business_moved_to_another_kecamatan_moves_its_products(client, update_fields):
    business = BusinessFactory()
    ProductFactory(name="Keranjang Pandan", business=business)
    ProductFactory(name="Tikar Pandan", business=business)
    before = business.desa.kecamatan
    business.desa = desa_in_other_kecamatan(business.desa)
    business.save(update_fields=update_fields)
    assert out_of_sync() == []
    after = Kecamatan.objects.get(pk=business.desa.kecamatan_id)
    assert catalog_names(client, before) == []
    assert catalog_names(client, after) == ["Keranjang Pandan", "Tikar Pandan"]


def test_the_catalog_filter_reads_the_stored_copy(client):
    """The filter trusts the product's row: a copy written wrong shows in the wrong
    kecamatan (which the write paths above never leave behind)."""
    product = ProductFactory(name="Kap Lampu Rotan")
    home = Kecamatan.objects.get(pk=product.business.desa.kecamatan_id)
    elsewhere = Kecamatan.objects.exclude(pk=home.pk).order_by("code").first()
    assert catalog_names(client, home) == ["Kap Lampu Rotan"]
    Product.objects.filter(pk=product.pk).update(kecamatan=elsewhere)
    assert catalog_names(client, home) == []
    assert catalog_names(client, elsewhere) == ["Kap Lampu Rotan"]
    searched = client.get("/katalog/", {"q": "lampu", "kecamatan": elsewhere.pk})
    assert [p.name for p in searched.context["page_obj"].object_list] == ["Kap Lampu Rotan"]


def test_the_api_filter_reads_the_stored_copy(client):
    product = ProductFactory(name="Kursi Rotan")
    code = product.business.desa.kecamatan_id
    answer = client.get("/api/v1/products/", {"kecamatan": code}).json()
    assert [p["name"] for p in answer["results"]] == ["Kursi Rotan"]
    Product.objects.filter(pk=product.pk).update(kecamatan=None)
    assert client.get("/api/v1/products/", {"kecamatan": code}).json()["results"] == []


def test_the_search_rebuild_and_sync_kecamatan_repair_rows_written_without_save():
    ProductFactory(name="Emping Melinjo")
    ProductFactory(name="Dodol Betawi")
    Product.objects.update(kecamatan=None)
    assert out_of_sync() == ["Dodol Betawi", "Emping Melinjo"]
    search.rebuild()
    assert out_of_sync() == []

    Product.objects.update(kecamatan=None)
    assert Product.objects.sync_kecamatan() == 2
    assert out_of_sync() == []


def test_migration_0022_fills_every_product():
    ProductFactory(name="Sambal Roa")
    ProductFactory(name="Sirup Pala")
    Product.objects.update(kecamatan=None)
    run_fill("0022_product_kecamatan", "store_kecamatan")
    assert out_of_sync() == []


def test_the_import_moves_the_products_of_a_business_it_moves(client, admin_staff):
    from tests.ikm_registry.test_import_bulk import _existing, _import, _update

    first = Desa.objects.order_by("code").first()
    other = desa_in_other_kecamatan(first)
    business = _existing(1, first)
    client.force_login(admin_staff)
    _import(client, [_update(business, 1, other)])
    business.refresh_from_db()
    assert business.desa == other
    assert out_of_sync() == []


def test_seed_scale_writes_the_kecamatan_with_each_product():
    seed_function(ikm=12, products=40, batch=7)
    assert Product.objects.count() == 40
    assert out_of_sync() == []


def test_seed_scale_command_keeps_it_in_sync():
    seed_small()
    assert Product.objects.count() == 15
    assert Business.objects.count() == 6
    assert out_of_sync() == []
