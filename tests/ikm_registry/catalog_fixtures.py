"""Data for the catalog tests: one public business per access case, and every hidden kind.

Import the fixtures you need into a test module: `from tests.ikm_registry.catalog_fixtures
import catalog_world  # noqa: F401`.
"""

import datetime
import io
import re
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from ikm_registry.models import (
    Business,
    Certificate,
    Commodity,
    Desa,
    ExportRecord,
    Product,
    ProductPhoto,
)
from tests.factories import BusinessFactory, ProductFactory

# Marker strings: a hidden object's name must never appear on a public page.
HIDDEN_MARKERS = [
    "DraftSecret",
    "SubmittedSecret",
    "ReturnedSecret",
    "ArchivedSecret",
    "InactiveSecret",
]


def jpeg(color=(180, 120, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return buffer.getvalue()


def add_photo(product, position=0, alt="Foto produk"):
    photo = ProductPhoto(product=product, position=position, alt_text=alt)
    photo.image.save(f"{product.slug}-{position}.jpg", ContentFile(jpeg()), save=False)
    photo.thumbnail.save(f"{product.slug}-{position}-t.jpg", ContentFile(jpeg()), save=False)
    photo.save()
    return photo


def column_conditions(sql, column):
    """Whether `sql` has a plain condition on the boolean `column` (PostgreSQL:
    `"U0"."export_ready")` or `... AND`, SQLite: `= 1`; not the column in a SELECT list,
    followed by a comma) and whether it has the COALESCE form of models.unindexed."""
    plain = re.search(rf'"\w+"\."{column}"(?: = 1|\)| AND)', sql)
    coalesced = re.search(rf'COALESCE\("\w+"\."{column}", ', sql)
    return bool(plain), bool(coalesced)


def commodity(slug):
    return Commodity.objects.get(slug=slug)


@pytest.fixture
def catalog_world(owner, other_owner):
    """A verified business of `owner` with products, and hidden data of every kind."""
    rotan = commodity("kerajinan-rotan")
    mede = Commodity.objects.filter(slug__contains="mede").first() or rotan
    talaga = Desa.objects.get(code="36.03.18.2004")  # Cikupa
    elsewhere = Desa.objects.exclude(kecamatan=talaga.kecamatan).order_by("code").first()

    business = BusinessFactory(
        owner=owner,
        name="Anyaman Rotan Sejahtera",
        slug="anyaman-rotan-sejahtera",
        description="Perajin anyaman rotan di Cikupa sejak 1998.",
        description_en="Rattan weavers in Cikupa since 1998.",
        email="usaha-rahasia@example.com",
        address="Jl. Kenanga Rahasia No. 7",
        phone="+6281234567890",
        whatsapp_public=True,
        capital=3_000_000_000,  # kecil by PP 7/2021 (derived on save)
        verified_at=timezone.now(),
        founded_year=1998,
    )
    business.commodities.add(rotan)
    Certificate.objects.create(
        business=business, kind=Certificate.Kind.SVLK, number="SVLK-NOMOR-RAHASIA-123"
    )
    Certificate.objects.create(
        business=business,
        kind=Certificate.Kind.HALAL,
        number="EXPIRED-HALAL-1",
        valid_until=datetime.date(2020, 1, 1),
    )
    ExportRecord.objects.create(business=business, country="JP", year=2024)
    basket = ProductFactory(
        business=business,
        name="Keranjang Rotan Bundar",
        name_en="Round Rattan Basket",
        slug="keranjang-rotan-bundar",
        description="Keranjang anyaman rotan alami, dibuat tangan.",
        description_en="Handwoven natural rattan basket.",
        category=rotan,
        export_ready=True,
        min_order=100,
        capacity_per_month=2000,
    )
    add_photo(basket, alt="Keranjang rotan bundar di atas meja")
    chair = ProductFactory(
        business=business,
        name="Kursi Rotan Teras",
        name_en="",
        slug="kursi-rotan-teras",
        description="Kursi rotan untuk teras.",
        description_en="",
        category=rotan,
    )

    other = BusinessFactory(
        owner=other_owner,
        name="Kacang Mede Makmur",
        slug="kacang-mede-makmur",
        description="Pengolah kacang mede goreng.",
        desa=elsewhere,
        capital=500_000_000,  # mikro
        verified_at=timezone.now(),
    )
    other.commodities.add(mede)
    cashew = ProductFactory(
        business=other,
        name="Kacang Mede Goreng",
        name_en="Fried Cashew Nuts",
        slug="kacang-mede-goreng",
        description="Kacang mede goreng renyah.",
        description_en="Crispy fried cashews.",
        category=mede,
    )

    hidden = {}
    for status, marker in [
        (Business.Status.DRAFT, "DraftSecret"),
        (Business.Status.SUBMITTED, "SubmittedSecret"),
        (Business.Status.RETURNED, "ReturnedSecret"),
    ]:
        b = BusinessFactory(
            owner=other_owner,
            name=f"Rotan {marker} Usaha",
            slug=f"rotan-{marker.lower()}-usaha",
            status=status,
        )
        b.commodities.add(rotan)
        hidden[marker] = ProductFactory(
            business=b,
            name=f"Keranjang Rotan {marker}",
            slug=f"keranjang-rotan-{marker.lower()}",
            category=rotan,
        )
    archived = BusinessFactory(
        owner=other_owner,
        name="Rotan ArchivedSecret Usaha",
        slug="rotan-archivedsecret-usaha",
        archived_at=timezone.now(),
    )
    hidden["ArchivedSecret"] = ProductFactory(
        business=archived, name="Keranjang Rotan ArchivedSecret", category=rotan
    )
    hidden["InactiveSecret"] = ProductFactory(
        business=business,
        name="Keranjang Rotan InactiveSecret",
        slug="keranjang-rotan-inactivesecret",
        category=rotan,
        is_active=False,
    )
    return SimpleNamespace(
        business=business,
        other=other,
        basket=basket,
        chair=chair,
        cashew=cashew,
        hidden=hidden,
        hidden_businesses=[p.business for p in hidden.values() if p.business != business],
        rotan=rotan,
        mede=mede,
    )


def grow_catalog(n, *, with_photos=True):
    """Add n verified businesses, each with two products (one with two photos)."""
    rotan = commodity("kerajinan-rotan")
    for _ in range(n):
        business = BusinessFactory()
        business.commodities.add(rotan)
        Certificate.objects.create(business=business, kind=Certificate.Kind.SNI, number="1")
        ExportRecord.objects.create(business=business, country="SG", year=2023)
        first = ProductFactory(business=business, category=rotan)
        ProductFactory(business=business, category=rotan)
        if with_photos:
            add_photo(first, 0)
            add_photo(first, 1)
    return Product.objects.count()
