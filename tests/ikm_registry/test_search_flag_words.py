"""A product's size class and export readiness as words of its search vector
(search.FlagWords), searched with a query's words in a large catalog when those filters
are chosen (search.first_matches' `flags`).

Searching them can only narrow the matches; it must never drop one: so every way a
product's vector is written (its save, its business's save, the search rebuild,
seed_scale's bulk insert, migration 0029's fill) holds the words of its current values.
"""

from decimal import Decimal

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ikm_registry import search
from ikm_registry.models import Business, Product
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.stored_copies import run_fill, seed_function

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]

# Yearly sales per size class (PP 7/2021), so that save() derives that class.
SALES = {
    "mikro": Decimal("800000000"),
    "kecil": Decimal("5000000000"),
    "menengah": Decimal("20000000000"),
}


@pytest.fixture
def large(monkeypatch):
    """The test catalog counts as large; no query is common enough to read in id order."""
    monkeypatch.setattr(search, "LARGE", 0)
    monkeypatch.setattr(search, "COMMON", 10**12)


@pytest.fixture
def every_kind(db):
    """Two 'anyaman' products of each size class, one export-ready and one not."""
    for size, sales in SALES.items():
        business = BusinessFactory(annual_sales=sales)
        assert business.size_class == size
        for ready in (True, False):
            ProductFactory(
                business=business, name=f"Anyaman {size} {ready}", name_en="", export_ready=ready
            )


def with_words(*words):
    """The names of the products whose stored vector holds every one of `words`."""
    query = SearchQuery(" & ".join(words), search_type="raw", config="simple")
    qs = Product.objects.filter(search_vector__matches=query)
    return sorted(qs.values_list("name", flat=True))


def flagged(size, ready):
    return sorted(
        Product.objects.filter(
            size_class=size, **({"export_ready": True} if ready else {})
        ).values_list("name", flat=True)
    )


def check_every_vector():
    for size in SALES:
        assert with_words(f"skala{size}") == flagged(size, False), size
        assert with_words(f"skala{size}", "siapekspor") == flagged(size, True), size
    ready = sorted(Product.objects.filter(export_ready=True).values_list("name", flat=True))
    assert with_words("siapekspor") == ready


def test_a_products_vector_holds_its_size_class_and_export_readiness(every_kind):
    check_every_vector()
    assert with_words("skalamikro") == ["Anyaman mikro False", "Anyaman mikro True"]


def test_the_words_follow_the_product_and_its_business(every_kind):
    product = Product.objects.get(name="Anyaman kecil False")
    product.export_ready = True
    product.save()
    business = Business.objects.get(size_class="mikro")
    business.annual_sales = SALES["menengah"]
    business.save()
    assert with_words("skalamikro") == []
    assert "Anyaman kecil False" in with_words("siapekspor")
    check_every_vector()


def test_the_rebuild_the_seed_and_migration_0029_write_them(every_kind):
    plain = search.vector_expression(["name", "name_en"])
    Product.objects.update(search_vector=plain)
    assert with_words("siapekspor") == []
    run_fill("0029_product_flag_words", "store_flag_words")
    check_every_vector()
    Product.objects.update(search_vector=plain)
    search.rebuild()
    check_every_vector()
    seed_function(ikm=12, products=40, batch=7)
    check_every_vector()


def found(q, *, flags=(), **filters):
    query = search.prepare(q)
    qs = Product.objects.public(indexed=False).filter(**filters)
    return set(search.first_matches(qs, query, 10_000, flags=flags))


def test_searching_the_flag_words_never_drops_a_match(every_kind, large):
    for size in SALES:
        for ready in (True, False):
            filters = {"size_class": size, **({"export_ready": True} if ready else {})}
            expected = found("anyaman", **filters)
            assert len(expected) == (1 if ready else 2)
            flags = search.flag_words(size=size, export_ready=ready)
            assert found("anyaman", flags=flags, **filters) == expected, (size, ready)


def test_catalog_and_api_searches_with_these_filters_search_the_words(client, every_kind, large):
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/katalog/", {"q": "anyaman", "size": "kecil", "export_ready": "on"})
    assert [p.name for p in page.context["page_obj"].object_list] == ["Anyaman kecil True"]
    assert any(
        "'skalakecil'" in q["sql"] and "'siapekspor'" in q["sql"] for q in ctx.captured_queries
    )

    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/products/", {"q": "anyaman", "size": "menengah"})
    names = sorted(row["name"] for row in response.json()["results"])
    assert names == ["Anyaman menengah False", "Anyaman menengah True"]
    assert any("'skalamenengah'" in q["sql"] for q in ctx.captured_queries)
    assert not any("siapekspor" in q["sql"] for q in ctx.captured_queries)


def test_a_small_catalog_does_not_search_them(client, every_kind):
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/katalog/", {"q": "anyaman", "size": "kecil", "export_ready": "on"})
    assert [p.name for p in page.context["page_obj"].object_list] == ["Anyaman kecil True"]
    assert not any("skalakecil" in q["sql"] for q in ctx.captured_queries)


def test_the_directory_does_not_search_them(client, every_kind, large):
    """A business's vector has no flag words: its size filter stays a condition."""
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/ikm-direktori/", {"q": "anyaman", "size": "kecil"})
    assert [b.size_class for b in page.context["page_obj"].object_list] == ["kecil"]
    assert not any("skalakecil" in q["sql"] for q in ctx.captured_queries)
