"""The business and product admin lists as they must stay at national scale (issue #26):
each filter and search answers from an index, without a DISTINCT, a join in the
filter, or a fragment search of a NIB; and each still lists exactly the right rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ikm_registry.models import Business, Commodity
from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db

BUSINESSES = reverse("admin:ikm_registry_business_changelist")
PRODUCTS = reverse("admin:ikm_registry_product_changelist")
OTHER_DESA = "36.03.05.2002"  # kecamatan 36.03.05; the factory's desa is in 36.03.18


def listed(client, url, query=""):
    """(names on the page, SQL of every query the page ran)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url + query)
    assert response.status_code == 200
    names = {str(obj) for obj in response.context["cl"].result_list}
    return names, [q["sql"] for q in ctx.captured_queries]


def list_queries(sqls, table="ikm_registry_business"):
    """The queries that read the listed table (count and page), not the sidebar's."""
    return [sql for sql in sqls if f'FROM "{table}"' in sql]


def test_kecamatan_filter_matches_the_desa_codes_without_joining_the_desa(client, superuser):
    BusinessFactory(name="Di Sini", desa_id=OTHER_DESA)
    BusinessFactory(name="Di Sana")
    client.force_login(superuser)
    names, sqls = listed(client, BUSINESSES, "?kecamatan=36.03.05")
    assert names == {"Di Sini"}
    queries = list_queries(sqls)
    assert queries
    # The filter is the kecamatan's desa codes (the page itself joins the desa to show
    # its kecamatan, the count must not).
    counts = [sql for sql in queries if sql.startswith("SELECT COUNT")]
    assert counts and all("ikm_registry_desa" not in sql for sql in counts)
    assert listed(client, BUSINESSES, "?kecamatan=36.03.99")[0] == set()


def test_commodity_filter_lists_each_business_once_without_distinct(client, superuser):
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    mede = Commodity.objects.get(slug="kacang-mede")
    both = BusinessFactory(name="Dua Komoditas")
    both.commodities.add(rotan, mede)
    BusinessFactory(name="Mede Saja").commodities.add(mede)
    BusinessFactory(name="Tanpa Apa")
    client.force_login(superuser)

    names, sqls = listed(client, BUSINESSES, f"?commodities__id__exact={rotan.pk}")
    assert names == {"Dua Komoditas"}
    assert all("DISTINCT" not in sql for sql in list_queries(sqls))
    names, sqls = listed(client, BUSINESSES, f"?commodities__id__exact={mede.pk}")
    assert names == {"Dua Komoditas", "Mede Saja"}
    assert all("DISTINCT" not in sql for sql in list_queries(sqls))
    assert listed(client, BUSINESSES, "?commodities__id__exact=none")[0] == {"Tanpa Apa"}
    assert listed(client, BUSINESSES, "?commodities__id__exact=x")[0] == set()
    # The sidebar offers every commodity under Django's parameter, and the empty choice.
    html = client.get(BUSINESSES).content.decode()
    assert f"?commodities__id__exact={rotan.pk}" in html
    assert "?commodities__id__exact=none" in html


def test_a_thirteen_digit_search_is_an_exact_nib_lookup(client, superuser):
    BusinessFactory(name="Pemilik NIB", nib="8000000575307")
    # Thirteen digits inside a name are not a NIB: the lookup is exact, not a fragment.
    BusinessFactory(name="Toko 8000000575307", nib="8000000000001")
    client.force_login(superuser)
    names, sqls = listed(client, BUSINESSES, "?q=8000000575307")
    assert names == {"Pemilik NIB"}
    assert all("LIKE" not in sql for sql in list_queries(sqls))
    # Fewer digits are still a fragment of the names, as before.
    assert listed(client, BUSINESSES, "?q=800000057530")[0] == {"Toko 8000000575307"}


def test_a_phone_written_in_full_is_found_by_nib_or_phone(client, superuser):
    BusinessFactory(name="Telepon Penuh", phone="+62812345678901")
    client.force_login(superuser)
    # 13 digits starting 0: a mobile number written in full, looked up exactly too.
    assert listed(client, BUSINESSES, "?q=0812345678901")[0] == {"Telepon Penuh"}


def test_a_phone_search_stays_within_the_lists_filters(client, superuser):
    BusinessFactory(name="Terverifikasi", phone="+6281299990000")
    client.force_login(superuser)
    assert listed(client, BUSINESSES, "?q=0812-9999-0000")[0] == {"Terverifikasi"}
    # The phone's match used to be OR-ed with the whole table, filters and all.
    assert listed(client, BUSINESSES, "?status__exact=draft&q=0812-9999-0000")[0] == set()


def test_products_by_their_business_nib_exactly(client, superuser):
    business = BusinessFactory(name="Usaha Produk", nib="8000000123456")
    ProductFactory(business=business, name="Keranjang A")
    other = BusinessFactory(name="Usaha 8000000123456")
    ProductFactory(business=other, name="Keranjang B")
    client.force_login(superuser)
    assert listed(client, PRODUCTS, "?q=8000000123456")[0] == {"Keranjang A"}


def test_the_filter_queries_are_fixed_in_number(client, superuser):
    """Each filter adds at most its own small query (the kecamatan's desa codes)."""
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    BusinessFactory(desa_id=OTHER_DESA).commodities.add(rotan)
    client.force_login(superuser)
    queries = {
        query: len(listed(client, BUSINESSES, query)[1])
        for query in ("", "?kecamatan=36.03.05", f"?commodities__id__exact={rotan.pk}")
    }
    for _ in range(3):
        BusinessFactory(desa_id=OTHER_DESA).commodities.add(rotan)
    for query, count in queries.items():
        assert len(listed(client, BUSINESSES, query)[1]) == count, query
    # The kecamatan's desa codes are its one query more than another filter's.
    assert queries["?kecamatan=36.03.05"] == queries[f"?commodities__id__exact={rotan.pk}"] + 1


INDEXES = {
    "ikm_registry_business": [
        "business_admin_name_id",
        "business_admin_scale",
        "business_admin_capital",
        "business_admin_sales",
        "business_admin_changed",
        "business_admin_deletion",
        "business_phone",
    ],
    "ikm_registry_certificate": ["certificate_kind_business", "certificate_valid_business"],
    "ikm_registry_product": [
        "product_admin_category",
        "product_admin_inactive",
        "product_export_business",
    ],
}


def test_the_admin_lists_indexes_exist(is_postgres):
    """PostgreSQL's (SQLite rebuilds a table when a later migration alters it, and keeps
    only the indexes the models declare; 0023 adds them there too, for nothing)."""
    if not is_postgres:
        pytest.skip("the indexes serve PostgreSQL")
    with connection.cursor() as cursor:
        for table, names in INDEXES.items():
            existing = connection.introspection.get_constraints(cursor, table)
            assert set(names) <= set(existing), table


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("?ikm_scale__exact=besar", "business_admin_scale"),
        ("?changed_since_verification__exact=1", "business_admin_changed"),
        ("?deletion_requested_at__isempty=0", "business_admin_deletion"),
    ],
)
def test_a_rare_filter_value_reads_its_index(client, superuser, is_postgres, query, index):
    """PostgreSQL: a filter value no business has is a range of its index, not a walk
    of every business in name order (the planner's choice, checked with EXPLAIN)."""
    if not is_postgres:
        pytest.skip("the plan is PostgreSQL's")
    from django.db.models import Q

    Business.objects.bulk_create(
        [
            Business(
                name=f"Usaha {n}",
                slug=f"usaha-{n}",
                nib=f"{7000000000000 + n}",
                owner_name="Pemilik",
                address="Jl.",
                desa_id="36.03.18.2004",
            )
            for n in range(2000)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ikm_registry_business")
    client.force_login(superuser)
    assert listed(client, BUSINESSES, query)[0] == set()
    field = {
        "business_admin_scale": Q(ikm_scale="besar"),
        "business_admin_changed": Q(changed_since_verification=True),
        "business_admin_deletion": Q(deletion_requested_at__isnull=False),
    }[index]
    plan = Business.objects.filter(field).order_by("name", "pk").values("pk")[:50].explain()
    assert index in plan


def ordered(client, query):
    response = client.get(BUSINESSES + query)
    assert response.status_code == 200
    return [b.name for b in response.context["cl"].result_list]


def test_searched_or_commodity_lists_are_in_key_order_others_by_name(client, superuser):
    """A common word or a commodity clusters in name order: searched, or filtered by a
    commodity, the list is in registration order; unfiltered, or filtered otherwise, by
    name; a column header still sorts by its column."""
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    for name in ("Zeta Rotan", "Alpha Rotan", "Mid Rotan"):
        BusinessFactory(name=name).commodities.add(rotan)
    client.force_login(superuser)
    registered = ["Zeta Rotan", "Alpha Rotan", "Mid Rotan"]
    by_name = sorted(registered)
    assert ordered(client, "?q=Rotan") == registered
    assert ordered(client, f"?commodities__id__exact={rotan.pk}") == registered
    assert ordered(client, "") == by_name
    assert ordered(client, "?status__exact=verified") == by_name
    # The "name" column (the first of list_display) sorted by hand, searched or not.
    assert ordered(client, "?q=Rotan&o=1") == by_name
    assert ordered(client, "?q=Rotan&o=-1") == by_name[::-1]


def test_searched_products_are_in_key_order_others_by_name(client, superuser):
    business = BusinessFactory(name="Usaha Urut")
    for name in ("Keranjang Zeta", "Keranjang Alpha", "Keranjang Mid"):
        ProductFactory(business=business, name=name)
    client.force_login(superuser)

    def products(query):
        response = client.get(PRODUCTS + query)
        return [p.name for p in response.context["cl"].result_list]

    registered = ["Keranjang Zeta", "Keranjang Alpha", "Keranjang Mid"]
    assert products("?q=Keranjang") == registered
    assert products("") == sorted(registered)
    assert products("?q=Keranjang&o=1") == sorted(registered)
