"""Business.products_text: the business's stored copy of its active products' text.

The IKM directory and the API's business list find a business by what it makes from
this copy (in the business's own search vector), so every way a product is written or
deleted must keep it: a product's save (new, renamed, deactivated, moved), its delete, a
business's save, the search rebuild, seed_scale, and migration 0024's fill.
"""

from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db.models import F, Prefetch

from ikm_registry import scale, search
from ikm_registry.models import Business, Product
from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db


def out_of_sync():
    """Businesses whose stored products_text is not their active products' text, and,
    on PostgreSQL, whose vector is not the one their texts give."""
    active = Prefetch("products", queryset=search.active_products(), to_attr="active")
    wrong = [
        b.name
        for b in Business.objects.prefetch_related(active).order_by("name")
        if b.products_text != search.products_text(b.active)
    ]
    if search.is_postgresql():
        expected = search.vector_expression(["name"], products=True)
        stale = Business.objects.alias(expected=expected).exclude(search_vector=F("expected"))
        wrong += sorted(stale.values_list("name", flat=True))
    return wrong


def directory_names(client, q):
    page = client.get("/ikm-direktori/", {"q": q})
    assert page.status_code == 200
    return sorted(b.name for b in page.context["page_obj"].object_list)


def test_a_new_product_makes_its_business_found_by_it(client):
    business = BusinessFactory(name="UD Sumber Rejeki")
    assert directory_names(client, "tampah") == []
    ProductFactory(business=business, name="Tampah Bambu Besar", name_en="")
    assert out_of_sync() == []
    assert directory_names(client, "tampah") == ["UD Sumber Rejeki"]


def test_a_renamed_or_deactivated_product_no_longer_finds_its_business(client):
    business = BusinessFactory(name="CV Anyam Jaya")
    product = ProductFactory(business=business, name="Besek Pandan", name_en="")
    assert directory_names(client, "besek") == ["CV Anyam Jaya"]
    product.name = "Tikar Pandan"
    product.save()
    assert out_of_sync() == []
    assert directory_names(client, "besek") == []
    assert directory_names(client, "tikar") == ["CV Anyam Jaya"]
    product.is_active = False
    product.save(update_fields=["is_active"])
    assert out_of_sync() == []
    assert directory_names(client, "tikar") == []


def test_a_deleted_product_no_longer_finds_its_business(client, django_capture_on_commit_callbacks):
    business = BusinessFactory(name="UD Kriya Lestari")
    product = ProductFactory(business=business, name="Kap Lampu Bambu", name_en="")
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert out_of_sync() == []
    assert directory_names(client, "lampu") == []


def test_a_business_deleted_with_its_products_leaves_nothing_to_refresh(
    django_capture_on_commit_callbacks,
):
    business = BusinessFactory()
    ProductFactory(business=business)
    ProductFactory(business=business)
    with django_capture_on_commit_callbacks(execute=True):
        business.delete()
    assert not Business.objects.exists()


def test_a_product_moved_to_another_business_finds_only_the_new_one(client):
    first = BusinessFactory(name="UD Pertama")
    second = BusinessFactory(name="UD Kedua")
    product = ProductFactory(business=first, name="Sirup Pala", name_en="")
    product = Product.objects.get(pk=product.pk)  # as a form loads it
    product.business = second
    product.save()
    assert out_of_sync() == []
    assert directory_names(client, "pala") == ["UD Kedua"]


def test_a_business_save_keeps_its_products_text(client):
    business = BusinessFactory(name="UD Dapur Betawi")
    ProductFactory(business=business, name="Dodol Betawi", name_en="")
    business.name = "UD Dapur Betawi Asli"
    business.save()
    assert out_of_sync() == []
    assert directory_names(client, "dodol") == ["UD Dapur Betawi Asli"]


def test_the_search_rebuild_repairs_it():
    ProductFactory(name="Emping Melinjo")
    ProductFactory(name="Kerupuk Ikan")
    Business.objects.update(products_text="")
    assert len(set(out_of_sync())) == 2
    search.rebuild()
    assert out_of_sync() == []


def test_migration_0024_fills_every_business():
    ProductFactory(name="Sambal Roa")
    ProductFactory(name="Kopi Robusta", is_active=False)
    Business.objects.update(products_text="")
    migration = import_module("ikm_registry.migrations.0024_business_products_text")

    migration.store_products_text(django_apps, schema_editor=None)
    assert out_of_sync() == []
    assert Business.objects.filter(products_text__contains="Robusta").count() == 0


def test_seed_scale_writes_each_business_products_text():
    scale.seed(ikm=9, products=30, batch=4, progress=lambda label, total: lambda n: None)
    assert Product.objects.count() == 30
    assert out_of_sync() == []
    assert not Business.objects.filter(products_text="").exists()


def test_a_renamed_category_reaches_businesses_outside_its_sector(
    client, django_capture_on_commit_callbacks
):
    """A business whose sectors do not include the category still names it in its
    products_text when one of its products is in it."""
    from ikm_registry.models import Commodity

    business = BusinessFactory(name="CV Serba Guna")
    category = Commodity.objects.create(name="Anyaman Purun", name_en="Purun weaving")
    ProductFactory(business=business, category=category, name="Tas Kecil", name_en="")
    assert category not in business.commodities.all()
    category.name_en = "Sedge basketry"
    with django_capture_on_commit_callbacks(execute=True):
        category.save()  # refreshed by a task after the commit (run at once in tests)
    assert out_of_sync() == []
    assert directory_names(client, "sedge") == ["CV Serba Guna"]
