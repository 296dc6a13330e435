"""Business.listed_commodities: the commodities the directory's and the API's commodity
filter find a business under, its own and its active products' categories, each listing
with the business's name (models.Listing), which the list in name order reads.

Every way either is written must keep it: a business's commodities changed from either
side, a product's save (new, recategorised, deactivated, moved) and delete, a business
renamed, the import (test_import_bulk), the search rebuild, seed_scale and migration
0027's fill.
"""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from ikm_registry import scale, search
from ikm_registry.models import Business, Commodity, Desa, Product
from tests.api.helpers import walk
from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db


def listed(business):
    return sorted(
        Business.objects.get(pk=business.pk).listed_commodities.values_list("slug", flat=True)
    )


def out_of_sync():
    """Businesses whose listing is not their commodities and active products' categories."""
    wrong = []
    for business in Business.objects.order_by("name"):
        declared = set(business.commodities.values_list("pk", flat=True))
        made = set(business.products.filter(is_active=True).values_list("category", flat=True))
        stored = set(business.listed_commodities.values_list("pk", flat=True))
        copies = set(business.listings.values_list("name", "kecamatan"))
        if stored != declared | made or copies - {(business.name, business.desa.kecamatan_id)}:
            wrong.append(business.name)
    return wrong


def directory(client, slug):
    page = client.get("/ikm-direktori/", {"commodity": slug})
    assert page.status_code == 200
    return sorted(b.name for b in page.context["page_obj"].object_list)


def api(client, slug):
    page = client.get("/api/v1/businesses/", {"commodity": slug})
    assert page.status_code == 200
    return sorted(b["name"] for b in page.json()["results"])


@pytest.fixture
def sectors(db):
    return {c.slug: c for c in Commodity.objects.filter(slug__in=["gula-semut", "kacang-mede"])}


def test_a_business_is_listed_under_its_own_and_its_products_commodities(client, sectors):
    business = BusinessFactory(name="UD Aren Manis")
    business.commodities.set([sectors["gula-semut"]])
    assert directory(client, "kacang-mede") == []
    product = ProductFactory(business=business, category=sectors["kacang-mede"])
    assert listed(business) == ["gula-semut", "kacang-mede"]
    assert directory(client, "kacang-mede") == api(client, "kacang-mede") == ["UD Aren Manis"]
    assert directory(client, "gula-semut") == api(client, "gula-semut") == ["UD Aren Manis"]

    # Recategorised, then deactivated: listed by what it still makes or declares.
    product.category = sectors["gula-semut"]
    product.save()
    assert listed(business) == ["gula-semut"]
    product.category = sectors["kacang-mede"]
    product.is_active = False
    product.save()
    assert listed(business) == ["gula-semut"]
    assert directory(client, "kacang-mede") == []
    assert out_of_sync() == []


def test_commodities_changed_from_either_side_are_listed(sectors):
    first, second = BusinessFactory(name="CV Satu"), BusinessFactory(name="CV Dua")
    for business in (first, second):
        business.commodities.clear()
    gula = sectors["gula-semut"]
    first.commodities.add(gula)
    gula.businesses.add(second)
    assert listed(first) == listed(second) == ["gula-semut"]
    first.commodities.remove(gula)
    assert listed(first) == []
    gula.businesses.clear()
    assert listed(second) == []
    assert out_of_sync() == []


def test_a_product_moved_or_deleted_takes_its_commodity_along(
    sectors, django_capture_on_commit_callbacks
):
    first, second = BusinessFactory(name="UD Pertama"), BusinessFactory(name="UD Kedua")
    for business in (first, second):
        business.commodities.clear()
    product = ProductFactory(business=first, category=sectors["kacang-mede"])
    product = Product.objects.get(pk=product.pk)  # as a form loads it
    product.business = second
    product.save()
    assert (listed(first), listed(second)) == ([], ["kacang-mede"])
    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert listed(second) == []
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()  # its listing goes with it
    assert out_of_sync() == []


def test_the_search_rebuild_repairs_it():
    ProductFactory()
    ProductFactory()
    Business.listed_commodities.through.objects.all().delete()
    assert len(out_of_sync()) == 2
    search.rebuild()
    assert out_of_sync() == []


def test_migration_0027_fills_every_business(sectors):
    business = BusinessFactory()
    business.commodities.set([sectors["gula-semut"]])
    ProductFactory(business=business, category=sectors["kacang-mede"])
    ProductFactory(business=business, category=sectors["gula-semut"])  # listed once
    idle = BusinessFactory()
    idle.commodities.clear()
    ProductFactory(business=idle, is_active=False)
    Business.listed_commodities.through.objects.all().delete()
    migration = import_module("ikm_registry.migrations.0027_listing")

    migration.store_listings(django_apps, schema_editor=None)
    assert listed(business) == ["gula-semut", "kacang-mede"]
    assert listed(idle) == []
    assert out_of_sync() == []


def test_a_renamed_business_is_listed_under_its_new_name(client, sectors):
    business = BusinessFactory(name="UD Aren Manis")
    business.commodities.set([sectors["gula-semut"]])
    business = Business.objects.get(pk=business.pk)  # as a form loads it
    business.name = "CV Gula Aren Nusantara"
    business.save()
    assert out_of_sync() == []
    # The list in name order joins the listing by its name: a stale one would drop it.
    assert directory(client, "gula-semut") == api(client, "gula-semut")
    assert directory(client, "gula-semut") == ["CV Gula Aren Nusantara"]


def test_a_business_moved_to_another_kecamatan_is_listed_there(client, sectors):
    business = BusinessFactory(name="UD Aren Manis")  # in Cikupa (36.03.18)
    business.commodities.set([sectors["gula-semut"]])
    business = Business.objects.get(pk=business.pk)
    business.desa = Desa.objects.filter(kecamatan="36.03.05").first()
    business.save()
    assert out_of_sync() == []
    query = {"commodity": "gula-semut", "kecamatan": "36.03.05"}
    found = client.get("/ikm-direktori/", query).context["page_obj"].object_list
    assert [b.name for b in found] == ["UD Aren Manis"]
    assert [b["name"] for b in client.get("/api/v1/businesses/", query).json()["results"]] == [
        "UD Aren Manis"
    ]
    query["kecamatan"] = "36.03.18"
    assert client.get("/ikm-direktori/", query).context["page_obj"].object_list == []


def test_a_commodity_in_name_order_is_the_plain_filter_in_name_order(client, sectors):
    """The directory and the API list a commodity by name from the listing's index
    (filter_businesses): the same businesses, in the same order, as the plain filter."""
    names = [
        "Sentra Rotan 3",
        "Dapur Gula 2",
        "UD Aren 1",
        "CV Aren 1",
        "Karya Mede 9",
        "UD Aren 1",
    ]
    for name in names:
        BusinessFactory(name=name).commodities.set([sectors["gula-semut"]])
    BusinessFactory(name="UD Lain").commodities.set([sectors["kacang-mede"]])
    unverified = BusinessFactory(name="AA Belum", status=Business.Status.DRAFT)
    unverified.commodities.set([sectors["gula-semut"]])
    expected = list(
        Business.objects.verified()
        .filter(listed_commodities=sectors["gula-semut"])
        .order_by("name", "pk")
        .values_list("name", flat=True)
    )
    page = client.get("/ikm-direktori/", {"commodity": "gula-semut", "sort": "name"})
    assert [b.name for b in page.context["page_obj"].object_list] == expected
    response = client.get("/api/v1/businesses/", {"commodity": "gula-semut"})
    assert [b["name"] for b in response.json()["results"]] == expected
    assert expected[:2] == ["CV Aren 1", "Dapur Gula 2"]
    # The API's cursor pages by the listing's name: two at a time, every one once.
    assert walk(client, "/api/v1/businesses/?commodity=gula-semut&page_size=2", "name") == expected
    # ... and in one kecamatan (the listing's copy of it), as the plain filters find them.
    elsewhere = BusinessFactory(name="Aa Gula Jauh", desa=Desa.objects.get(code="36.03.05.2001"))
    elsewhere.commodities.set([sectors["gula-semut"]])
    for kecamatan, names in (("36.03.18", expected), ("36.03.05", ["Aa Gula Jauh"])):
        query = {"commodity": "gula-semut", "kecamatan": kecamatan}
        page = client.get("/ikm-direktori/", query)
        assert [b.name for b in page.context["page_obj"].object_list] == names
        assert page.context["page_obj"].paginator.count == len(names)


def test_seed_scale_lists_each_business():
    scale.seed(ikm=9, products=20, batch=4, progress=lambda label, total: lambda n: None)
    assert out_of_sync() == []
    assert Business.listed_commodities.through.objects.count() == 9
