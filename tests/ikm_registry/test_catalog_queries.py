"""Public pages run a fixed number of queries however large the catalog grows (10x here)."""

import pytest
from django.db import connection

from tests.ikm_registry import catalog_fixtures
from tests.ikm_registry.catalog_fixtures import grow_catalog
from tests.queries import assert_fixed_queries

catalog_world = catalog_fixtures.catalog_world

pytestmark = pytest.mark.django_db

# (url, exact query count). Each count is itemised so that a change is a decision.
PAGES = [
    # count, page (cover photos annotated); the filter form's commodity and kecamatan
    # options come from the cache (forms_catalog._filter_choices), dropped only when
    # those tables change
    ("/katalog/", 2),
    # ... plus the vocabulary lookup that corrects typos (search.prepare); the ids of
    # the first matches replace the count; PostgreSQL also stems the words both ways,
    # and reads the tables' sizes and how common the words are (search._is_common)
    ("/en/katalog/?q=rotan&sort=name", "3 + 2 on PostgreSQL"),
    ("/katalog/?q=rottan", "3 + 2 on PostgreSQL"),
    # ... and the chosen commodity and kecamatan are among the cached options' rows
    ("/katalog/?commodity=kerajinan-rotan&certificate=svlk&export_ready=on&size=", 2),
    ("/ikm-direktori/?commodity=kerajinan-rotan&kecamatan=36.03.18", 2),
    # count, page (the cards' commodities come with the businesses: facts.py)
    ("/ikm-direktori/", 2),
    # ... plus the vocabulary lookup (and on PostgreSQL the stems, the size and sample)
    ("/en/ikm-direktori/?q=rotan", "3 + 2 on PostgreSQL"),
    # product, photos, more products; the certificates, exports and commodities come with
    # the business (facts.py), and the day's US$ rate is kept until the rate table
    # changes (pricing.usd_rate)
    ("/katalog/keranjang-rotan-bundar/", 3),
    ("/en/katalog/keranjang-rotan-bundar/", 3),
    # business (with its facts), the products' keys (the count), the page's products
    # (catalog.products_page), their covers (one photo query: cheaper than three cover
    # subqueries to compile)
    ("/ikm-direktori/anyaman-rotan-sejahtera/", 4),
    # none: the featured cards are kept per registry data version (tangerang_ikm.views.home);
    # the first request after a registry write reads them again (one query, tested below)
    ("/", 0),
]


def grow_everything(world):
    """Ten times the data: more businesses and products everywhere, and on the pages shown."""

    def grow():
        grow_catalog(20)
        for n in range(20):
            product = catalog_fixtures.ProductFactory(
                business=world.business, category=world.rotan, name=f"Tikar Rotan {n}"
            )
            catalog_fixtures.add_photo(product)

    return grow


def expected_count(expected):
    if isinstance(expected, int):
        return expected
    base, _, extra = expected.partition(" + ")
    return int(base) + (int(extra.split()[0]) if connection.vendor == "postgresql" else 0)


@pytest.mark.parametrize(("address", "expected"), PAGES)
def test_public_pages_run_a_fixed_number_of_queries(client, catalog_world, address, expected):
    grow_catalog(2)
    queries = assert_fixed_queries(client, address, grow_everything(catalog_world))
    assert queries == expected_count(expected)


@pytest.mark.parametrize(
    ("address", "expected"),
    [page for page in PAGES if page[0] in {"/katalog/", "/katalog/keranjang-rotan-bundar/"}],
)
def test_signed_in_owner_adds_only_the_user(client, catalog_world, owner, address, expected):
    client.force_login(owner)
    grow_catalog(2)
    queries = assert_fixed_queries(client, address, grow_everything(catalog_world))
    # The user, and the session when sessions come from the database: with a per-process
    # cache (locmem) settings.SESSION_ENGINE keeps them there; with Redis they are
    # cached_db and cost no query.
    from django.conf import settings

    session_read = settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert queries == expected + 1 + session_read


def test_home_runs_one_catalog_query_even_when_the_catalog_is_empty(client, db):
    from tests.queries import count_queries

    assert count_queries(client, "/") == 1


def test_the_filter_options_are_read_once_and_follow_their_tables(client, catalog_world):
    """The first page reads both option lists; later pages read neither, until a
    commodity or a kecamatan changes. A new product does not drop them."""
    from ikm_registry.models import Commodity, Kecamatan
    from tests.queries import count_queries

    cold = count_queries(client, "/katalog/")
    assert count_queries(client, "/katalog/") == cold - 2
    grow_catalog(1)
    assert count_queries(client, "/katalog/") == cold - 2
    commodity = Commodity.objects.get(slug="kerajinan-rotan")
    commodity.name = "Kerajinan Rotan dan Bambu"
    commodity.save()
    assert count_queries(client, "/katalog/") == cold
    assert "Kerajinan Rotan dan Bambu" in client.get("/katalog/").content.decode()
    kecamatan = Kecamatan.objects.order_by("name").first()
    kecamatan.name = "Cikupa Baru"
    kecamatan.save()
    assert ">Cikupa Baru</option>" in client.get("/katalog/").content.decode()


def test_sitemap_query_count_is_fixed(client, catalog_world):
    grow_catalog(2)
    queries = assert_fixed_queries(client, "/sitemap.xml", grow_everything(catalog_world))
    # one query per section of database rows: businesses, products, gerai events, missions
    assert queries == 4


@pytest.mark.parametrize("language", ["id", "en"])
def test_product_cards_written_in_python_match_the_card_template(catalog_world, language):
    """catalog_cards.product_cards writes what _product_card.html writes, byte for byte:
    with and without a photo, a minimum order, an export badge and an English name,
    and with text that must be escaped."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from ikm_registry.catalog import public_products
    from ikm_registry.templatetags.catalog_cards import product_cards

    catalog_fixtures.ProductFactory(
        business=catalog_world.business,
        category=catalog_world.rotan,
        name='Tikar <Rotan> & "Pandan"',
        name_en="",
        min_order=1500,
        unit="lembar",
    )
    products = list(public_products().order_by("pk"))
    assert any(p.cover_thumbnail for p in products)
    assert any(not p.cover_thumbnail for p in products)
    assert any(p.min_order for p in products) and any(not p.min_order for p in products)
    with translation.override(language):
        expected = "".join(
            render_to_string("ikm_registry/catalog/_product_card.html", {"product": p})
            for p in products
        )
        assert product_cards(products) == expected
    assert "&lt;Rotan&gt; &amp; &quot;Pandan&quot;" in expected
    assert "1.500 lembar" in expected


@pytest.mark.parametrize("language", ["id", "en"])
def test_business_cards_written_in_python_match_the_card_template(catalog_world, language):
    """catalog_cards.business_cards writes what _business_card.html writes, byte for byte:
    with and without commodities, a size class, an English description, a description
    longer than 30 words, products, and text that must be escaped."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from ikm_registry import facts
    from ikm_registry.catalog import directory_businesses
    from ikm_registry.templatetags.catalog_cards import business_cards

    catalog_fixtures.BusinessFactory(
        name='Tenun <Ikat> & "Songket"',
        description=" ".join(f"kata{n}" for n in range(40)) + " <b>",
        description_en="",
        verified_at=catalog_world.business.verified_at,
    )
    businesses = list(directory_businesses().order_by("pk"))
    assert any(b.public_products for b in businesses)
    assert any(not b.public_products for b in businesses)
    assert any(facts.commodities(b) for b in businesses)
    assert any(not facts.commodities(b) for b in businesses)
    with translation.override(language):
        expected = "".join(
            render_to_string("ikm_registry/catalog/_business_card.html", {"business": b})
            for b in businesses
        )
        assert business_cards(businesses) == expected
    assert "Tenun &lt;Ikat&gt; &amp; &quot;Songket&quot;" in expected
    assert "kata29 …</p>" in expected


def test_directory_page_shows_its_cards_or_says_none_match(client, catalog_world):
    page = client.get("/ikm-direktori/?q=rotan")
    assert page.status_code == 200
    assert 'href="/ikm-direktori/anyaman-rotan-sejahtera/">Anyaman Rotan Sejahtera</a>' in (
        page.content.decode()
    )
    empty = client.get("/ikm-direktori/?q=zzzzqqqq").content.decode()
    assert "Tidak ada IKM yang cocok" in empty
    assert 'class="card"' in empty  # the message in its card, inside the list


@pytest.mark.parametrize("value", [None, "", "kerajinan-rotan", "a&b", ["halal"]])
def test_filter_widgets_write_djangos_markup(value):
    """The filter form's widgets written in Python write what Django's (and QuickSelect)
    write: options escaped once, the chosen one selected; inputs attribute for attribute."""
    from django import forms

    from ikm_registry.fields import QuickSelect
    from ikm_registry.forms_catalog import (
        OptionsSelect,
        QuickCheckbox,
        QuickInput,
        _options,
    )

    choices = [
        ("", "Semua"),
        ("kerajinan-rotan", "Rotan <&>"),
        ("a&b", 'A "b"'),
        ("halal", "Halal"),
    ]
    expected = QuickSelect(choices=choices).render("pick", value, {"id": "id_pick"})
    cached = OptionsSelect()
    cached.options = _options(choices)
    assert cached.render("pick", value, {"id": "id_pick"}) == expected
    fixed = OptionsSelect(choices=choices)  # escaped once per name and language
    for _ in range(2):
        assert fixed.render("pick", value, {"id": "id_pick"}) == expected
    text = value if isinstance(value, str | None) else "x"
    attrs = {"id": "id_q", "aria-describedby": "id_q_error", "required": True}
    django_input = forms.TextInput(attrs={"type": "search", "placeholder": "mis. <rotan>"})
    ours = QuickInput(attrs={"type": "search", "placeholder": "mis. <rotan>"})
    assert ours.render("q", text, attrs) == django_input.render("q", text, attrs)
    for checked in (None, False, True, "on"):
        assert QuickCheckbox().render("e", checked, {"id": "id_e"}) == forms.CheckboxInput().render(
            "e", checked, {"id": "id_e"}
        )


@pytest.mark.parametrize("orphans", [0, 3])
def test_keys_first_pages_hold_the_same_rows_as_djangos_paginator(db, orphans):
    """CappedPaginator and the admin's LargeTablePaginator find a page's keys in a
    subquery first: every page holds the rows Django's own paginator puts there, in order."""
    from django.core.paginator import Paginator

    from ikm_registry.catalog import CappedPaginator
    from ikm_registry.models import Desa
    from tangerang_ikm.admin_lists import LargeTablePaginator

    qs = Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "-code")
    reference = Paginator(qs, 7, orphans=orphans)
    assert reference.num_pages > 3
    capped = CappedPaginator(qs, 7, cap=10_000)
    capped.orphans = orphans
    keys_first = LargeTablePaginator(qs, 7, orphans=orphans)
    for number in reference.page_range:
        expected = [desa.pk for desa in reference.page(number)]
        assert [desa.pk for desa in capped.page(number)] == expected
        assert [desa.pk for desa in keys_first.page(number)] == expected


def test_keys_first_pages_read_rows_without_repeating_the_filters(db):
    """With `rows` (the list without its filters, in the same order), a page holds the
    filtered list's rows, and its query applies the filter once, to the keys only."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ikm_registry.catalog import CappedPaginator
    from ikm_registry.models import Desa

    rows = Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "-code")
    filtered = rows.filter(name__contains="a")
    reference = Paginator(filtered, 7)
    assert reference.num_pages > 3 and filtered.count() < rows.count()
    capped = CappedPaginator(filtered, 7, cap=10_000, rows=rows)
    assert capped.count == filtered.count()
    for number in reference.page_range:
        expected = [desa.pk for desa in reference.page(number)]
        with CaptureQueriesContext(connection) as queries:
            assert [desa.pk for desa in capped.page(number)] == expected
        (page_query,) = queries.captured_queries
        assert page_query["sql"].count("LIKE") == 1  # in the key subquery only
