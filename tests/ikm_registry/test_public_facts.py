"""Business.public_facts: the business's stored copy of its commodities, certificates and
export history, which product pages, IKM pages, directory cards and the API read instead
of three queries more (ikm_registry/facts.py).

Every way those rows are written must keep it: a certificate's or an export record's
save, move and delete, a business's commodities changed from either side, a commodity's
rename, the import (test_import_bulk), erasure (test_erasure's dump finds any copy of a
scrubbed number), seed_scale and migration 0025's fill.
"""

from datetime import date, timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from ikm_registry import facts, scale
from ikm_registry.models import Business, Certificate, Commodity, ExportRecord
from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db


def stored(business):
    return Business.objects.get(pk=business.pk).public_facts


def computed(business):
    (row,) = facts.with_relations(Business.objects.filter(pk=business.pk))
    return facts.build(
        commodities=row.commodities.all(),
        certificates=row.certificates.all(),
        exports=row.exports.all(),
    )


def out_of_sync():
    return [b.name for b in Business.objects.order_by("name") if stored(b) != computed(b)]


def test_certificates_are_stored_as_saved_moved_and_deleted(django_capture_on_commit_callbacks):
    business, other = BusinessFactory(name="CV Satu"), BusinessFactory(name="CV Dua")
    certificate = Certificate.objects.create(
        business=business, kind="halal", number="ID-HALAL-1", issuer="BPJPH",
        valid_until=date(2030, 1, 31),
    )  # fmt: skip
    assert stored(business)["certificates"] == [["halal", "ID-HALAL-1", "BPJPH", "2030-01-31"]]
    certificate.number = "ID-HALAL-2"
    certificate.save()
    assert stored(business)["certificates"][0][1] == "ID-HALAL-2"
    # Moved by staff (the certificate admin): both businesses' copies follow.
    certificate = Certificate.objects.get(pk=certificate.pk)
    certificate.business = other
    certificate.save()
    assert stored(business)["certificates"] == []
    assert stored(other)["certificates"][0][1] == "ID-HALAL-2"
    with django_capture_on_commit_callbacks(execute=True):
        certificate.delete()
    assert stored(other)["certificates"] == []
    assert out_of_sync() == []


def test_export_records_are_stored_as_saved_and_deleted(django_capture_on_commit_callbacks):
    business = BusinessFactory()
    ExportRecord.objects.create(business=business, country="MY", year=2023)
    record = ExportRecord.objects.create(business=business, country="JP", year=2025)
    ExportRecord.objects.create(business=business, country="MY", year=2025)
    assert stored(business)["exports"] == [["JP", 2025], ["MY", 2025], ["MY", 2023]]
    history = facts.export_history(Business.objects.get(pk=business.pk))
    assert [(c.code, years) for c, years in history] == [("JP", [2025]), ("MY", [2023, 2025])]
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()
    assert stored(business)["exports"] == [["MY", 2025], ["MY", 2023]]
    assert out_of_sync() == []


def test_commodities_changed_from_either_side_are_stored():
    business = BusinessFactory()
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    mede = Commodity.objects.get(slug="kacang-mede")
    business.commodities.add(rotan)
    assert [c.slug for c in facts.commodities(Business.objects.get(pk=business.pk))] == [
        "kerajinan-rotan"
    ]
    mede.businesses.add(business)  # from the commodity's side: pk_set names the business
    assert {row[0] for row in stored(business)["commodities"]} == {"kerajinan-rotan", "kacang-mede"}
    business.commodities.remove(rotan)
    assert [row[0] for row in stored(business)["commodities"]] == ["kacang-mede"]
    mede.businesses.clear()
    assert stored(business)["commodities"] == []
    assert out_of_sync() == []


def test_a_renamed_commodity_is_renamed_in_its_businesses_facts(
    client, django_capture_on_commit_callbacks
):
    product = ProductFactory(business=BusinessFactory(name="UD Rotan Jaya"))
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    product.business.commodities.add(rotan)
    rotan.name = "Kriya Rotan"
    with django_capture_on_commit_callbacks(execute=True):
        rotan.save()  # refreshed by a task after the commit (run at once in tests)
    assert out_of_sync() == []
    page = client.get(f"/katalog/{product.slug}/").content.decode()
    assert "Kriya Rotan" in page


def test_pages_read_validity_on_the_day_they_are_shown(client):
    """The stored dates, not a stored "valid": a certificate expires without a write."""
    product = ProductFactory()
    today = timezone.localdate()
    Certificate.objects.create(
        business=product.business, kind="pirt", number="P-IRT-7", valid_until=today
    )
    Certificate.objects.create(
        business=product.business, kind="halal", number="H-9", valid_until=today - timedelta(1)
    )
    business = Business.objects.get(pk=product.business.pk)
    listed = facts.certificates(business)
    assert [(c.number, c.is_expired) for c in listed] == [("P-IRT-7", False), ("H-9", True)]
    api = client.get(f"/api/v1/businesses/{business.slug}/").json()
    assert [c["kind"] for c in api["certificates"]] == ["pirt"]  # valid kinds only


def test_migration_0025_fills_every_business():
    business = BusinessFactory()
    business.commodities.add(Commodity.objects.get(slug="gula-semut"))
    Certificate.objects.create(business=business, kind="sni", number="SNI-1")
    Certificate.objects.create(
        business=business, kind="halal", number="H-1", issuer="BPJPH", valid_until=date(2031, 5, 2)
    )
    Certificate.objects.create(business=business, kind="halal", number="H-0", issuer="MUI")
    ExportRecord.objects.create(business=business, country="SG", year=2024)
    ExportRecord.objects.create(business=business, country="AU", year=2024)
    ExportRecord.objects.create(business=business, country="JP", year=2026)
    empty = BusinessFactory()
    Business.objects.update(public_facts={})
    migration = import_module("ikm_registry.migrations.0025_business_public_facts")

    migration.store_public_facts(django_apps, schema_editor=None)
    assert stored(business)["certificates"][-1] == ["sni", "SNI-1", "", None]
    assert stored(business)["exports"] == [["JP", 2026], ["AU", 2024], ["SG", 2024]]
    assert out_of_sync() == []  # on PostgreSQL the fill is SQL: the same lists, in order
    assert stored(empty) == {"commodities": [], "certificates": [], "exports": []}


def test_seed_scale_writes_each_business_facts():
    scale.seed(ikm=9, products=20, batch=4, progress=lambda label, total: lambda n: None)
    assert out_of_sync() == []
    assert not Business.objects.filter(public_facts={}).exists()


def test_refresh_search_repairs_them():
    """After a load that skips save(): `manage.py refresh_search` stores them again."""
    from django.core.management import call_command

    business = BusinessFactory()
    Certificate.objects.create(business=business, kind="svlk", number="V-LEGAL-3")
    Business.objects.update(public_facts={})
    call_command("refresh_search", verbosity=0, batch=2)
    assert stored(business)["certificates"] == [["svlk", "V-LEGAL-3", "", None]]
    assert out_of_sync() == []
