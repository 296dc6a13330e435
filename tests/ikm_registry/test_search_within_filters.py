"""A large catalog's search with a commodity or kecamatan filter (search.first_matches'
`within`, search.match_plan): the filter's name is searched with the words, and
a query the sample finds rare is answered from the index.

Searching the name can only narrow the matches; it must never drop one. That holds
because every product's text holds its category's and its kecamatan's names: checked
here for every commodity and every kecamatan of the reference data, whose names are the
ones the index must tokenise alike in a name and in a text.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ikm_registry import search
from ikm_registry.models import Business, Commodity, Desa, Kecamatan, Product
from tests.factories import BusinessFactory, ProductFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search"),
]


@pytest.fixture
def everywhere(db):
    """A product of each commodity in each kecamatan, all with the word 'bingkisan'."""
    commodities = list(Commodity.objects.order_by("pk"))
    for i, kecamatan in enumerate(Kecamatan.objects.order_by("code")):
        business = BusinessFactory(desa=Desa.objects.filter(kecamatan=kecamatan).first())
        for j, commodity in enumerate(commodities):
            ProductFactory(
                business=business,
                category=commodity,
                name=f"Bingkisan {i}-{j}",
                name_en="",
            )
    return commodities


@pytest.fixture
def large(monkeypatch):
    """The test catalog counts as large; no query is common enough to read in id order."""
    monkeypatch.setattr(search, "LARGE", 0)
    monkeypatch.setattr(search, "COMMON", 10**12)


SERIAL = "SET LOCAL max_parallel_workers_per_gather = 0"
SCANS_OFF = ["SET LOCAL enable_seqscan = off", "SET LOCAL enable_indexscan = off"]


def found(qs, q, within=()):
    query = search.prepare(q)
    return set(search.first_matches(qs, query, 10_000, within=within))


def kept_with_name(qs, name):
    """The matches of 'bingkisan' in `qs`, checked to be the same with `name` searched."""
    expected = found(qs, "bingkisan")
    assert found(qs, "bingkisan", within=[name]) == expected, name
    return expected


def test_a_filter_names_every_product_it_keeps(everywhere, large):
    public = Product.objects.public()
    for commodity in everywhere:
        kept = kept_with_name(public.filter(category=commodity), commodity.name)
        assert len(kept) == Kecamatan.objects.count()
    for kecamatan in Kecamatan.objects.all():
        kept = kept_with_name(public.filter(kecamatan=kecamatan), kecamatan.name)
        assert len(kept) == len(everywhere)


def test_a_filter_names_every_business_it_keeps(everywhere, large):
    """The directory: a business's text holds its kecamatan's name and the names of every
    commodity it is listed under, its own (none here) and its products' categories."""
    verified = Business.objects.verified()
    for commodity in everywhere:
        kept = kept_with_name(verified.filter(listed_commodities=commodity), commodity.name)
        assert len(kept) == Kecamatan.objects.count()
    declared = BusinessFactory(name="UD Bingkisan Sendiri")
    declared.commodities.set(everywhere[:1])
    qs = verified.filter(listed_commodities=everywhere[0])
    assert declared.pk in found(qs, "bingkisan", within=[everywhere[0].name])
    for kecamatan in Kecamatan.objects.all():
        assert kept_with_name(verified.filter(desa__kecamatan=kecamatan), kecamatan.name)


def test_catalog_pages_with_filters_show_the_same_products_as_a_small_catalog(
    client, everywhere, monkeypatch
):
    commodity = everywhere[2]
    kecamatan = Kecamatan.objects.order_by("code")[3]
    path = f"/katalog/?q=bingkisan&commodity={commodity.slug}&kecamatan={kecamatan.code}"

    def names():
        page = client.get(path)
        assert page.status_code == 200
        return [p.name for p in page.context["page_obj"].object_list]

    small = names()
    assert small == ["Bingkisan 3-2"]
    monkeypatch.setattr(search, "LARGE", 0)
    with CaptureQueriesContext(connection) as ctx:
        assert names() == small
    assert any("plainto_tsquery('indonesian'" in q["sql"] for q in ctx.captured_queries)


def test_a_query_the_sample_finds_nowhere_is_answered_from_the_index(
    client, everywhere, large, monkeypatch
):
    """No product of the sample matches: the query that finds the matches runs with
    table scans off, and still finds the matches beyond the sample."""
    monkeypatch.setattr(search, "SAMPLE", Product.objects.count())
    beyond = ProductFactory(name="Tudung Saji Langka", name_en="")  # beyond the sample
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/katalog/?q=langka")
    assert [p.pk for p in page.context["page_obj"].object_list] == [beyond.pk]
    sql = [q["sql"] for q in ctx.captured_queries]
    start = sql.index(SERIAL)
    assert sql[start : start + 3] == [SERIAL, *SCANS_OFF] and sql.count(SCANS_OFF[0]) == 1
    assert "ts_rank" in sql[start + 3]
    # A word the sample finds is read without parallel workers only.
    with CaptureQueriesContext(connection) as ctx:
        client.get("/katalog/?q=bingkisan")
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [q for q in sql if "enable_seqscan" in q]
    assert sql.count(SERIAL) == 1 and "ts_rank" in sql[sql.index(SERIAL) + 1]
