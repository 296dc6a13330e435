"""The list serializers build their answers by hand (to_representation): each answer
must equal DRF's own walk of the declared fields, which the schema is made from.

And the product's trade terms (issue #23): the terms in every answer, the business's
certificates with their validity, its export history and the indicative US$ figure in
the product's own answer; never a certificate number.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from gerai.api import EventSerializer, EventViewSet
from ikm_registry.api import (
    BusinessSerializer,
    ProductDetailSerializer,
    ProductSerializer,
    api_products,
    public_businesses,
)
from ikm_registry.models import Product
from missions.models import ExchangeRate
from tests.api.helpers import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(api_world):
    Product.objects.filter(slug="keranjang-rotan-bundar").update(
        lead_time_days=30,
        samples=Product.Samples.PAID,
        incoterms=["FOB", "CIF"],
        port_of_loading="Tanjung Priok, Jakarta",
        payment_terms="T/T 30% uang muka",
        price_min=Decimal("163000"),
        price_max=Decimal("326000"),
        fob_price_usd=Decimal("12.50"),
    )
    return api_world


def drf_walk(serializer, instance):
    """DRF's representation: every declared field's get_attribute and to_representation."""
    return serializers.Serializer.to_representation(serializer, instance)


def request():
    return Request(APIRequestFactory().get("/api/v1/"))


@pytest.mark.parametrize("language", ["id", "en"])
def test_hand_built_answers_equal_drfs_walk(terms, language):
    ExchangeRate.objects.create(
        currency="USD", date=timezone.localdate(), rate_to_idr="16300", source="jisdor"
    )
    context = {"request": request()}
    cases = [
        (ProductSerializer, api_products().order_by("pk")),
        (ProductDetailSerializer, api_products().order_by("pk")),
        (BusinessSerializer, public_businesses().order_by("pk")),
        (EventSerializer, EventViewSet().get_queryset().order_by("pk")),
    ]
    with translation.override(language):
        for serializer_class, queryset in cases:
            rows = list(queryset)
            assert rows, serializer_class
            serializer = serializer_class(context=context)
            for row in rows:
                fast = serializer.to_representation(row)
                assert fast == drf_walk(serializer, row), (serializer_class, row)
                assert list(fast) == list(serializer.fields), serializer_class


def test_every_product_answer_has_its_trade_terms(client, terms):
    products = {p["slug"]: p for p in client.get("/api/v1/products/").json()["results"]}
    basket = products["keranjang-rotan-bundar"]
    assert basket["lead_time_days"] == 30
    assert basket["samples"] == "paid"
    assert basket["samples_label"] == "tersedia, berbayar"
    assert basket["incoterms"] == ["FOB", "CIF"]
    assert basket["port_of_loading"] == "Tanjung Priok, Jakarta"
    assert basket["payment_terms"] == "T/T 30% uang muka"
    assert basket["business"]["verified_at"]
    chair = products["kursi-rotan-teras"]
    assert chair["samples"] is None and chair["samples_label"] is None
    assert chair["incoterms"] == []
    english = client.get("/api/v1/products/?lang=en").json()["results"]
    basket_en = next(p for p in english if p["slug"] == "keranjang-rotan-bundar")
    assert basket_en["samples_label"] == "available, paid"


def test_a_products_answer_has_certificates_exports_and_usd(client, terms):
    url = "/api/v1/products/keranjang-rotan-bundar/"
    product = client.get(url).json()
    # The valid certificate first, then the expired one; numbers never.
    assert product["certificates"] == [
        {"kind": "svlk", "label": "SVLK/V-Legal", "issuer": "", "valid_until": None, "valid": True},
        {
            "kind": "halal",
            "label": "Halal",
            "issuer": "",
            "valid_until": "2020-01-01",
            "valid": False,
        },
    ]
    assert "NOMOR" not in str(product) and "EXPIRED-HALAL-1" not in str(product)
    assert product["export_history"] == [{"code": "JP", "name": "Jepang", "years": [2024]}]
    assert product["indicative_usd"] is None  # no rate in the table yet

    ExchangeRate.objects.create(
        currency="USD",
        date=timezone.localdate() - datetime.timedelta(days=1),
        rate_to_idr="16300",
        source="jisdor",
    )
    price = client.get(url + "?lang=en").json()["indicative_usd"]
    assert price["low"] == "10.00" and price["high"] == "20.00"
    assert price["rate"] == "16300.0000"
    assert price["date"] == str(timezone.localdate() - datetime.timedelta(days=1))
    assert price["source"]


def test_newest_businesses_are_the_directorys_newest_verified(client, api_world):
    # Created first, verified last: the directory lists it first under "terbaru".
    from ikm_registry.models import Business

    now = timezone.now()
    Business.objects.filter(pk=api_world.business.pk).update(
        created_at=now - datetime.timedelta(days=30), verified_at=now
    )
    Business.objects.filter(pk=api_world.other.pk).update(
        created_at=now, verified_at=now - datetime.timedelta(days=10)
    )
    api = client.get("/api/v1/businesses/?sort=newest").json()["results"]
    api_order = [b["slug"] for b in api]
    assert api_order.index("anyaman-rotan-sejahtera") < api_order.index("kacang-mede-makmur")
    # Paged one at a time, the cursor walks the same order.
    assert walk(client, "/api/v1/businesses/?sort=newest&page_size=1", "slug") == api_order


def test_a_searchs_page_reads_its_rows_by_key_without_the_filters(client, api_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cases = [
        ("/api/v1/businesses/?q=rotan&commodity=kerajinan-rotan", '"website"', "commodit"),
        ("/api/v1/products/?q=rotan&certificate=svlk", '"payment_terms"', "certificate"),
    ]
    for url, page_column, filter_table in cases:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            results = client.get(url).json()["results"]
        assert results, url
        page_reads = [q["sql"] for q in ctx.captured_queries if page_column in q["sql"]]
        assert len(page_reads) == 1, url
        # The filter ran once, in the search; the page's rows are read by key alone.
        assert filter_table not in page_reads[0], url
        assert any(filter_table in q["sql"] for q in ctx.captured_queries), url
    products = client.get("/api/v1/products/?q=rotan&certificate=svlk").json()["results"]
    assert {p["slug"] for p in products} == {"keranjang-rotan-bundar", "kursi-rotan-teras"}
    assert client.get("/api/v1/products/?q=rotan&certificate=haccp").json()["results"] == []


def test_missions_are_titled_in_the_asked_language(client, api_world):
    from missions.models import TradeMission

    TradeMission.objects.filter(slug="misi-osaka").update(title_en="Osaka Trade Mission")
    english = {
        m["slug"]: m["title"] for m in client.get("/api/v1/missions/?lang=en").json()["results"]
    }
    assert english == {"misi-osaka": "Osaka Trade Mission", "misi-busan": "Misi Busan"}
    indonesian = client.get("/api/v1/missions/misi-osaka/").json()
    assert indonesian["title"] == "Misi Osaka"
    results = client.get("/api/v1/missions/misi-osaka/results/?lang=en").json()
    assert results["title"] == "Osaka Trade Mission"
