"""Catalog search: typos and word forms on PostgreSQL, substrings on SQLite, both languages."""

import pytest
from django.contrib.postgres.lookups import TrigramSimilar
from django.db import connection
from django.db.models import F, Value
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ikm_registry import search
from ikm_registry.models import Business, Product, SearchTerm
from tests.ikm_registry import catalog_fixtures
from tests.ikm_registry.catalog_fixtures import HIDDEN_MARKERS, grow_catalog

catalog_world = catalog_fixtures.catalog_world

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="typo and word-form search use PostgreSQL full-text search and pg_trgm; "
    "SQLite searches by substring (run with DATABASE_URL=postgres://...)",
)
needs_sqlite = pytest.mark.skipif(
    "connection.vendor != 'sqlite'",
    reason="the substring fallback is the SQLite path; PostgreSQL ranks by text and trigrams",
)


def product_names(q):
    return [p.name for p in Product.objects.public().search(q)]


def business_names(q):
    return [b.name for b in Business.objects.verified().search(q)]


@needs_postgres
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("rottan", "Keranjang Rotan Bundar"),  # a doubled letter
        ("keranjng rotan", "Keranjang Rotan Bundar"),  # a dropped letter
        ("mete", "Kacang Mede Goreng"),  # the other spelling of cashew
        ("kacang mete", "Kacang Mede Goreng"),
        ("rattan baskit", "Keranjang Rotan Bundar"),  # English, with a typo
    ],
)
def test_postgres_search_forgives_typos_and_spelling_variants(catalog_world, q, expected):
    assert expected in product_names(q)


@needs_postgres
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("menganyam", "Keranjang Rotan Bundar"),  # Indonesian stemming: anyaman ~ menganyam
        ("baskets", "Keranjang Rotan Bundar"),  # English stemming: basket ~ baskets
        ("handwoven", "Keranjang Rotan Bundar"),  # the English description
        ("renyah", "Kacang Mede Goreng"),  # the Indonesian description
    ],
)
def test_postgres_search_finds_word_forms_in_both_languages(catalog_world, q, expected):
    assert expected in product_names(q)


@needs_postgres
def test_postgres_search_ranks_a_name_match_above_a_mention(catalog_world):
    """'rotan' in a product's name counts more than in its category or business."""
    grow_catalog(3, with_photos=False)
    mat = catalog_fixtures.ProductFactory(
        business=catalog_world.business,
        name="Tikar Pandan",
        name_en="Pandan Mat",
        category=catalog_world.rotan,
    )
    results = list(Product.objects.public().search("rotan").order_by("-search_rank", "name"))
    assert len(results) > 3
    assert results[-1] == mat
    assert results[0].search_rank > results[-1].search_rank


@needs_postgres
def test_postgres_search_uses_the_gin_indexes(catalog_world):
    """Matches go through migration 0008's GIN indexes on the stored vectors."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    query = search.prepare("rottan")
    plan = search.matching(Product.objects.all(), query).order_by().values("pk").explain()
    assert "product_search_vector" in plan, plan
    plan = search.matching(Business.objects.all(), query).order_by().values("pk").explain()
    assert "business_search_vector" in plan, plan
    # A national vocabulary: the trigram index finds typos among many words.
    SearchTerm.objects.bulk_create([SearchTerm(word=f"kata{n}x") for n in range(5000)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ikm_registry_searchterm")
    similar = TrigramSimilar(F("word"), Value("rottan"))
    plan = SearchTerm.objects.filter(similar).values("pk").explain()
    assert "searchterm_word_trgm" in plan, plan


@needs_postgres
def test_postgres_corrects_a_typo_from_the_vocabulary(catalog_world):
    query = search.prepare("rottan keranjng")
    assert "rotan" in query.alternatives[0] and "rattan" in query.alternatives[0]
    assert "keranjang" in query.alternatives[1]
    known = search.prepare("rotan")
    assert known.alternatives == [["rotan", "rattan"]]  # a known word is not "corrected"


def test_the_stored_texts_follow_their_sources(catalog_world, django_capture_on_commit_callbacks):
    """A renamed business or commodity is found by its new name, in every product."""
    from ikm_registry.models import Commodity

    business = catalog_world.business
    business.name = "Griya Purun Talaga"
    business.save()
    assert "Kursi Rotan Teras" in product_names("purun")
    assert "Griya Purun Talaga" in business_names("purun")
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    rotan.name_en = "Wickerwork"
    with django_capture_on_commit_callbacks(execute=True):
        rotan.save()  # refreshed by a task after the commit (run at once in tests)
    assert "Kursi Rotan Teras" in product_names("wickerwork")
    business.commodities.remove(rotan)
    business.refresh_from_db()
    assert "Wickerwork" not in business.search_text
    assert "Griya Purun Talaga" in business_names("wickerwork")  # still, by its products


def test_refresh_search_rebuilds_texts_and_vocabulary(catalog_world):
    from django.core.management import call_command

    Product.objects.update(search_text="")
    SearchTerm.objects.all().delete()
    call_command("refresh_search", verbosity=0)
    assert "Keranjang Rotan Bundar" in product_names("bundar")
    assert SearchTerm.objects.filter(word="bundar").exists()


@needs_sqlite
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("anjang rot", "Keranjang Rotan Bundar"),  # substrings of two words
        ("RATTAN", "Keranjang Rotan Bundar"),  # English name, any case
        ("ede gor", "Kacang Mede Goreng"),
        ("mete", "Kacang Mede Goreng"),  # spelling variants work here too
    ],
)
def test_sqlite_search_finds_substrings(catalog_world, q, expected):
    assert expected in product_names(q)


@needs_sqlite
def test_sqlite_search_needs_every_word(catalog_world):
    assert product_names("keranjang kacang") == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Cashew", "Kacang Mede Goreng"),  # the commodity's English name
        ("Kerajinan Rotan", "Kursi Rotan Teras"),  # the commodity's Indonesian name
        ("Anyaman Rotan Sejahtera", "Kursi Rotan Teras"),  # the business's name
    ],
)
def test_search_by_commodity_and_business_in_both_languages(catalog_world, q, expected):
    assert expected in product_names(q)


def test_search_by_kecamatan(catalog_world):
    kecamatan = catalog_world.other.desa.kecamatan.name
    assert "Kacang Mede Goreng" in product_names(kecamatan)
    assert "Kacang Mede Makmur" in business_names(kecamatan)
    assert "Anyaman Rotan Sejahtera" in business_names("Cikupa")


def test_directory_search_finds_a_business_by_its_products(catalog_world):
    assert business_names("Goreng") == ["Kacang Mede Makmur"]
    assert "Anyaman Rotan Sejahtera" in business_names("rattan")


@pytest.mark.parametrize("q", ["rotan", "keranjang", "secret", "usaha", *HIDDEN_MARKERS])
def test_search_never_returns_hidden_data(catalog_world, q):
    hidden = {p.pk for p in catalog_world.hidden.values()}
    hidden_businesses = {b.pk for b in catalog_world.hidden_businesses}
    assert not hidden & {p.pk for p in Product.objects.public().search(q)}
    assert not hidden_businesses & {b.pk for b in Business.objects.verified().search(q)}


def test_empty_or_blank_query_returns_everything_unranked(catalog_world):
    assert Product.objects.public().search("   ").count() == Product.objects.public().count()


def test_search_page_lists_matches_and_says_how_many(client, catalog_world):
    body = client.get("/katalog/?q=mede").content.decode()
    assert "Kacang Mede Goreng</a></h2>" in body
    assert "Keranjang Rotan Bundar</a></h2>" not in body
    assert "1 produk ditemukan" in body
    english = client.get("/en/katalog/?q=cashew").content.decode()
    assert "Fried Cashew Nuts</a></h2>" in english


def test_odd_queries_do_not_break_the_page(client, catalog_world):
    for q in ["'", "\\", "a & b | !c", "x" * 500, "%", "<script>", "  "]:
        response = client.get("/katalog/", {"q": q})
        assert response.status_code == 200, q
        assert "<script>" not in response.content.decode().split("</header>", 1)[1]
    assert client.get("/ikm-direktori/", {"q": "':*"}).status_code == 200


@given(q=st.text(max_size=150))
@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_is_a_safe_query(catalog_world, q):
    hidden = {p.pk for p in catalog_world.hidden.values()}
    found = {p.pk for p in Product.objects.public().search(q)}
    assert not hidden & found
    list(Business.objects.verified().search(q))


@given(q=st.text(max_size=150), sort=st.sampled_from(["", "name", "newest", "relevance", "x"]))
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_search_form_input_answers_without_error(client, catalog_world, q, sort):
    # A NUL byte is refused before the view with a page saying why (middleware.py);
    # any other text is searched.
    expected = 400 if "\x00" in q else 200
    for address in ("/katalog/", "/en/ikm-direktori/"):
        assert client.get(address, {"q": q, "sort": sort}).status_code == expected


def test_the_sort_shown_is_the_sort_used(client, catalog_world):
    body = client.get("/katalog/?q=rotan").content.decode()
    assert '<option value="relevance" selected>' in body
    body = client.get("/katalog/?commodity=kerajinan-rotan").content.decode()
    assert '<option value="name" selected>' in body
    assert "sort=" not in body.split('class="pagination"')[-1]


def test_a_search_with_more_matches_than_it_ranks_says_more_than(
    client, catalog_world, monkeypatch
):
    from ikm_registry import catalog

    grow_catalog(2, with_photos=False)
    monkeypatch.setattr(search, "RANKED", 2)
    monkeypatch.setattr(catalog, "COUNT_CAP", 2)
    body = client.get("/katalog/?q=rotan").content.decode()
    assert "Lebih dari 2 produk ditemukan" in body
    assert body.count('class="card product-card"') == 2
    browse = client.get("/katalog/").content.decode()
    assert "Lebih dari 2 produk ditemukan" in browse
    one = client.get("/katalog/?q=bundar").content.decode()
    assert "1 produk ditemukan" in one


@needs_postgres
@pytest.mark.parametrize("q", ["rotan", "keranjang rotan", "rottan", "kacang mede", "tidakada"])
def test_a_common_word_in_a_large_catalog_reads_rows_in_id_order(catalog_world, monkeypatch, q):
    """Where a query matches a large share of a large table, the first matches are read in
    id order instead of collecting every match from the GIN index; they are the same
    products, the lowest ids first."""
    from django.test.utils import CaptureQueriesContext

    grow_catalog(3, with_photos=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ikm_registry_product")  # the table's size, as autovacuum keeps it
    query = search.prepare(q)
    qs = Product.objects.public()
    everything = list(search.first_matches(qs, query, 10_000))
    # A small table: the GIN index answers, and only the table's size is read (sampling
    # 2,000 vectors cost 30-35 ms a search at regency scale).
    with CaptureQueriesContext(connection) as ctx:
        assert not search._is_common(Product.objects.all(), query)
    assert [q["sql"] for q in ctx.captured_queries if "ts_match_vq" in q["sql"]] == []
    assert len(ctx.captured_queries) == 1
    monkeypatch.setattr(search, "LARGE", 0)  # make the test catalog "large"
    monkeypatch.setattr(search, "COMMON", 0)
    assert search._is_common(Product.objects.all(), query) == bool(everything)
    with CaptureQueriesContext(connection) as ctx:
        first = list(search.first_matches(qs, query, 3))
    assert ("ts_match_vq" in ctx.captured_queries[-1]["sql"]) == bool(everything)
    assert first == sorted(everything)[:3]
    assert list(search.first_matches(qs, query, 10_000)) == sorted(everything)
    monkeypatch.setattr(search, "SAMPLE", 1)
    # A one-row sample: common exactly when the lowest-id product matches.
    lowest = Product.objects.order_by("pk").values_list("pk", flat=True).first()
    lowest_matches = search.matching(Product.objects.filter(pk=lowest), query).exists()
    assert search._is_common(Product.objects.all(), query) == lowest_matches
    # The list's own filters count: in a list where the word never occurs it is rare,
    # and reading every row in id order would find nothing.
    assert not search._is_common(Product.objects.filter(name="no such product"), query)


def test_the_first_matches_are_found_on_every_database(catalog_world):
    grow_catalog(2, with_photos=False)
    query = search.prepare("rotan")
    ids = list(search.first_matches(Product.objects.public(), query, 1000))
    assert ids and set(ids) == set(
        search.matching(Product.objects.public(), query).values_list("pk", flat=True)
    )
    assert len(list(search.first_matches(Product.objects.public(), query, 1))) == 1


@needs_postgres
def test_product_scans_start_no_parallel_workers(db):
    """Migration 0012: a search's short scans never fork parallel workers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'ikm_registry_product'")
        assert "parallel_workers=0" in (cursor.fetchone()[0] or [])


@pytest.mark.parametrize("q", ["rotan", "keranjang", "kacang mede", "sejahtera", "tidakada"])
@pytest.mark.parametrize("filtered", [False, True])
def test_a_directory_search_finds_a_business_by_its_own_text_or_its_products(
    catalog_world, q, filtered
):
    """One condition on the business's own row (its text and its products' text,
    products_text) finds every business whose own text matches or that has an active
    product that matches, on every database; the first matches are some of them."""
    grow_catalog(3, with_photos=False)
    query = search.prepare(q)
    qs = Business.objects.verified()
    if filtered:
        qs = qs.filter(size_class=Business.SizeClass.MIKRO)
    found = set(search.matching_businesses(qs, query).values_list("pk", flat=True))
    active = Product.objects.filter(is_active=True)
    by_products = set(
        qs.filter(products__in=search.matching(active, query)).values_list("pk", flat=True)
    )
    first = list(search.first_matches(qs, query, 2))
    assert set(first) <= found and len(first) == min(2, len(found))
    # The businesses' own text alone: products_text emptied.
    Business.objects.update(products_text="")
    search.store_vectors(Business, list(Business.objects.values_list("pk", flat=True)), ["name"])
    own = set(search.matching(qs, query).values_list("pk", flat=True))
    assert own | by_products <= found
    if " " not in q:  # two words may also match one in its text and one in a product's
        assert found == own | by_products
    if not filtered:
        assert (q == "tidakada") == (not found)
