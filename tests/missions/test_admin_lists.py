"""The deal list at regency scale: what each row shows stays what Django's columns showed."""

import pytest
from django.urls import reverse
from django.utils import translation

from missions.models import Deal
from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal, make_mission

pytestmark = pytest.mark.django_db


def test_the_currency_column_shows_the_fields_label(client, coordinator):
    mission = make_mission()
    make_deal(mission, BusinessFactory(), amount="7", currency="JPY", rate="105")
    make_deal(mission, BusinessFactory(), amount="9", currency="IDR")
    labels = dict(Deal._meta.get_field("currency").flatchoices)  # the admin is Indonesian
    jpy, idr = str(labels["JPY"]), str(labels["IDR"])
    assert jpy != idr and "JPY - " in jpy
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_deal_changelist")).content.decode()
    assert f'<td class="field-currency_label">{jpy}</td>' in body
    assert f'<td class="field-currency_label">{idr}</td>' in body


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_currency_label_follows_the_active_language(language):
    from django.contrib import admin

    deal = make_deal(make_mission(), BusinessFactory(), amount="7", currency="JPY", rate="105")
    with translation.override(language):
        expected = dict(Deal._meta.get_field("currency").flatchoices)["JPY"]
        assert admin.site._registry[Deal].currency_label(deal) == expected


def test_the_currency_column_sorts_by_the_code(client, coordinator):
    mission = make_mission()
    make_deal(mission, BusinessFactory(), amount="7", currency="JPY", rate="105")
    make_deal(mission, BusinessFactory(), amount="9", currency="EUR", rate="17000")
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_changelist")
    body = client.get(url + "?o=6").content.decode()  # the 6th column: currency
    assert body.index("EUR - ") < body.index("JPY - ")
    body = client.get(url + "?o=-6").content.decode()
    assert body.index("JPY - ") < body.index("EUR - ")


@pytest.mark.parametrize(
    "term,found",
    [
        ("jaya", 3),
        ("JAYA", 3),
        ("Busan", 2),
        ("pembeli", 2),
        ("jaya busan", 1),
        ("Sari Rasa", 2),
        ('"sari rasa"', 1),
        ("xyz", 0),
        ("", 5),
        # Several words split between the business, the buyer and the buyer's name.
        ("rasa jaya", 1),
        ("busan sari rasa", 1),
        ("trade abadi", 1),
        ("co jaya", 1),
        ("uji abadi", 1),
        ("mart pembeli", 0),
        ("cv jaya abadi", 2),
    ],
)
def test_the_deal_search_finds_what_djangos_search_finds(rf, coordinator, term, found):
    """DealAdmin.get_search_results looks sellers and buyers up first, and adds a narrower
    condition for several words; the deals found are those Django's own search over
    search_fields finds (every word in one field)."""
    from django.contrib import admin

    from missions.models import Buyer

    mission = make_mission()
    busan = Buyer.objects.create(company="Busan Trade Co", country="KR", kind="importer")
    make_deal(mission, BusinessFactory(name="CV Jaya Abadi"), amount="1", buyer=busan)
    make_deal(mission, BusinessFactory(name="CV Jaya Abadi 2"), amount="2")  # "Pembeli Uji"
    make_deal(mission, BusinessFactory(name="Sari Rasa"), amount="3", buyer=busan)
    typed = make_deal(mission, BusinessFactory(name="Rasa Sari"), amount="4")
    typed.buyer_name = "Jaya Mart"
    typed.save()
    make_deal(mission, BusinessFactory(name="UD Makmur"), amount="5")
    model_admin = admin.site._registry[Deal]
    request = rf.get("/")
    request.user = coordinator
    queryset = Deal.objects.all()
    ours, duplicates = model_admin.get_search_results(request, queryset, term)
    djangos, _ = admin.ModelAdmin.get_search_results(model_admin, request, queryset, term)
    ours = set(ours.values_list("pk", flat=True))
    assert ours == set(djangos.values_list("pk", flat=True))
    assert len(ours) == found
    assert duplicates is False


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:missions_deal_changelist",
        "admin:ikm_registry_business_changelist",
        "admin:ikm_registry_product_changelist",
        "admin:gerai_spacebooking_changelist",
    ],
)
def test_the_large_lists_offer_no_facet_counts(client, superuser, changelist):
    """Counting every filter choice over 200,000 deals took seconds a click."""
    client.force_login(superuser)
    response = client.get(reverse(changelist))
    assert "_facets" not in response.content.decode()  # no "show counts" link
    response = client.get(reverse(changelist) + "?_facets=True")
    assert response.status_code == 200
    assert response.context["cl"].add_facets is False


@pytest.mark.postgres
def test_the_buyer_lookup_of_the_deal_search_can_use_its_trigram_index():
    """Migration 0011: UPPER(company) LIKE '%…%' (icontains) by a pg_trgm index."""
    from django.db import connection

    from missions.models import Buyer

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL index")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Buyer.objects.filter(company__icontains="busan").order_by().values("pk").explain()
    assert "buyer_company_upper_trgm" in plan, plan


@pytest.mark.postgres
@pytest.mark.parametrize(
    "query,index",
    [
        ("q=Jaya", "deal_buyer_name_upper_trgm"),
        ("q=Jaya&currency__exact=JPY", "deal_currency"),
        ("q=Jaya&parties=one", "deal_buyer_answer"),
        ("q=Jaya&parties=both", "deal_ikm_answer"),
    ],
)
def test_a_filtered_deal_search_can_read_its_rows_off_indexes(rf, superuser, query, index):
    """Migration 0012: a rare filter beside a search word, or a rare word, is found through
    indexes (the filter's, the search's), not by reading every deal in date order. The
    buyer-name index is partial (names only): the search must say buyer_name <> ''."""
    from django.contrib import admin
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL indexes")
    make_deal(make_mission(), BusinessFactory(name="CV Jaya Abadi"), amount="1")
    request = rf.get("/", dict(pair.split("=") for pair in query.split("&")))
    request.user = superuser
    changelist = admin.site._registry[Deal].get_changelist_instance(request)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = changelist.queryset.order_by().values("pk").explain()
    assert index in plan, plan


@pytest.mark.postgres
def test_the_deal_search_sends_its_sellers_as_one_array(client, superuser):
    """keys_in: on PostgreSQL a word's businesses and buyers go as one array parameter
    (`= ANY(...)`), not one placeholder per key in each of the page's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL arrays")
    mission = make_mission()
    businesses = [BusinessFactory(name=f"CV Jaya {n}") for n in range(3)]
    for n, business in enumerate(businesses):
        make_deal(mission, business, amount=str(n + 1))
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("admin:missions_deal_changelist") + "?q=jaya").content.decode()
    assert "3 transaksi" in body
    searched = [q["sql"] for q in queries if '"missions_deal"."buyer_name"' in q["sql"]]
    assert searched and all('"business_id" = ANY(' in sql for sql in searched), searched
    assert not any('"business_id" IN (' in sql for sql in searched), searched
