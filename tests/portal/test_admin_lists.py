"""Change lists on large tables: estimated totals on PostgreSQL, short filter lists."""

import pytest
from django.db import connection
from django.urls import reverse

from missions.models import Deal
from tangerang_ikm import admin_lists
from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal, make_mission

pytestmark = pytest.mark.django_db


def test_a_filtered_list_is_counted_exactly(client, coordinator):
    mission = make_mission()
    for n in range(3):
        make_deal(mission, BusinessFactory(), amount=str(n + 1))
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_changelist")
    body = client.get(url + f"?mission__id__exact={mission.pk}").content.decode()
    assert "sekitar" not in body
    assert "3 transaksi" in body


@pytest.mark.postgres
def test_an_unfiltered_huge_table_shows_the_planners_estimate(client, coordinator, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the row estimate is PostgreSQL's")
    mission = make_mission()
    for n in range(3):
        make_deal(mission, BusinessFactory(), amount=str(n + 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE missions_deal")
    monkeypatch.setattr(admin_lists, "ESTIMATE_ABOVE", 0)  # three rows count as huge here
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_deal_changelist")).content.decode()
    assert f"sekitar {admin_lists.estimated_rows(Deal)} transaksi" in body


def test_small_tables_and_sqlite_are_counted_exactly(client, coordinator):
    make_deal(make_mission(), BusinessFactory(), amount="1")
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_deal_changelist")).content.decode()
    assert "1 transaksi" in body
    assert "sekitar" not in body


def test_the_mission_filter_lists_the_newest_missions_and_the_chosen_one(
    client, coordinator, monkeypatch
):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    old = make_mission(title="Misi Lama Sekali", start_date=today - datetime.timedelta(days=900))
    newest = [
        make_mission(title=f"Misi Baru {n}", start_date=today - datetime.timedelta(days=n))
        for n in range(admin_lists.RECENT_CHOICES)
    ]
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_changelist")
    body = client.get(url).content.decode()
    assert newest[0].title in body and newest[-1].title in body
    assert "Misi Lama Sekali" not in body
    chosen = client.get(url + f"?mission__id__exact={old.pk}").content.decode()
    assert "Misi Lama Sekali" in chosen


def test_inline_rows_still_name_their_raw_id_objects(client, superuser, world):
    """SharedLookupsInline looks the names up once, and still shows each row's."""
    mission = world["mission_done"]
    client.force_login(superuser)
    body = client.get(reverse("admin:missions_trademission_change", args=[mission.pk])).content
    body = body.decode()
    business = world["business_a"]
    # The raw-id widget's label links to the business beside its id.
    change = reverse("admin:ikm_registry_business_change", args=[business.pk])
    assert f'<a href="{change}">{business.name}</a>' in body
    assert 'name="participations-0-business"' in body


def test_every_row_of_a_change_list_has_its_checkbox(client, coordinator):
    mission = make_mission()
    deals = [make_deal(mission, BusinessFactory(), amount=str(n + 1)) for n in range(3)]
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_deal_changelist")).content.decode()
    for deal in deals:
        assert f'name="_selected_action" value="{deal.pk}" class="action-select"' in body


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_written_out_checkbox_is_djangos_markup(language):
    """ListRowsMixin.action_checkbox gives what Django's CheckboxInput renders, escaping too."""
    from django.contrib import admin
    from django.utils import translation

    from ikm_registry.models import Business

    business = BusinessFactory(name='Kripik "Mak" <Ijah> & Anak\'s')
    deal = make_deal(make_mission(), business, amount="5")
    with translation.override(language):
        for obj in (business, deal):
            model_admin = admin.site._registry[type(obj)]
            ours = model_admin.action_checkbox(obj)
            djangos = admin.ModelAdmin.action_checkbox(model_admin, obj)
            assert ours == djangos
            assert "&amp; Anak&#x27;s" in ours
    assert isinstance(admin.site._registry[Business], admin_lists.ListRowsMixin)


def test_a_long_filtered_list_is_counted_up_to_the_cap_then_estimated(
    client, coordinator, monkeypatch
):
    """Above COUNT_UP_TO rows a filtered list shows the planner's estimate (PostgreSQL) or
    its exact count (SQLite); its pages still open."""
    mission = make_mission()
    for n in range(4):
        make_deal(mission, BusinessFactory(), amount=str(n + 1))
    # A second mission: with one mission only, Django's related filter has a single choice,
    # shows nothing and filters nothing, and the list would not be a filtered one.
    make_deal(make_mission(), BusinessFactory(), amount="9")
    monkeypatch.setattr(admin_lists, "COUNT_UP_TO", 2)
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_changelist") + f"?mission__id__exact={mission.pk}"
    response = client.get(url)
    body = response.content.decode()
    paginator = response.context["cl"].paginator
    if connection.vendor == "postgresql":
        assert paginator.estimated
        assert paginator.count >= 3  # never below what was counted
        assert f"sekitar {paginator.count} transaksi" in body
    else:
        assert not paginator.estimated
        assert "4 transaksi" in body and "sekitar" not in body
    assert body.count('class="action-select"') == 4


def test_a_short_filtered_list_is_counted_exactly_with_one_query():
    from django.contrib import admin
    from django.test.utils import CaptureQueriesContext

    mission = make_mission()
    for n in range(3):
        make_deal(mission, BusinessFactory(), amount=str(n + 1))
    queryset = Deal.objects.filter(mission=mission).order_by("-date", "-pk")
    paginator = admin_lists.LargeTablePaginator(queryset, 2)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 3
    assert len(queries) == 1 and "LIMIT" in queries[0]["sql"]
    assert not paginator.estimated
    assert admin.site._registry[Deal].paginator is admin_lists.LargeTablePaginator


def test_an_inline_does_not_read_its_parent_table(client, superuser):
    """A business's inlines (certificates, exports, contacts…) point back at it: their
    forms never offer that key as a choice, so the whole business table is never read
    for it (at regency scale five reads of 10,000 businesses made the page take 8 s)."""
    from django.test.utils import CaptureQueriesContext

    business = BusinessFactory()
    BusinessFactory.create_batch(2)
    client.force_login(superuser)
    url = reverse("admin:ikm_registry_business_change", args=[business.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    whole_table = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "ikm_registry_business"' in q["sql"] and "WHERE" not in q["sql"]
    ]
    assert whole_table == []


def test_a_mission_page_shows_its_first_rows_and_links_to_all(client, coordinator, monkeypatch):
    """The mission's inlines show their first rows by key (max_rows), in their own order
    (deals newest first); its "all rows" links open the whole lists, filtered to the
    mission."""
    import datetime

    from missions import admin as missions_admin
    from tests.missions.conftest import make_participation

    monkeypatch.setattr(missions_admin.ParticipationInline, "max_rows", 2)
    monkeypatch.setattr(missions_admin.MissionDealInline, "max_rows", 2)
    mission = make_mission()
    participations = [make_participation(mission) for _ in range(3)]
    deals = [
        make_deal(
            mission, p.business, amount="1", date=mission.start_date + datetime.timedelta(days=n)
        )
        for n, p in enumerate(participations)
    ]
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_trademission_change", args=[mission.pk])).content
    body = body.decode()
    assert 'name="participations-INITIAL_FORMS" value="2"' in body
    assert 'name="deals-INITIAL_FORMS" value="2"' in body
    # The first two by key (the third, newest of all, is left out), newest first.
    assert f'name="deals-0-id" value="{deals[1].pk}"' in body
    assert f'name="deals-1-id" value="{deals[0].pk}"' in body
    assert 'name="deals-2-id"' not in body and 'name="participations-2-id"' not in body
    lists = {}
    for model in ("participation", "meeting", "deal"):
        link = reverse(f"admin:missions_{model}_changelist") + f"?mission__id__exact={mission.pk}"
        assert f'href="{link}"' in body
        response = client.get(link)
        assert response.status_code == 200
        lists[model] = response.content.decode()
    # The whole lists: every row the mission's page left out is there.
    assert "3 transaksi" in lists["deal"]
    assert all(p.business.name in lists["participation"] for p in participations)
