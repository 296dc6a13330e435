"""Every list endpoint runs the same number of queries at two data sizes (no N+1)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tests.api.conftest import make_deal, make_mission, make_participation
from tests.gerai.factories import EventFactory, soon
from tests.ikm_registry.catalog_fixtures import grow_catalog
from tests.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db


def grow_events():
    for n in range(5):
        EventFactory(start=soon(30 + n, 9))


def grow_missions(world):
    for _ in range(4):
        mission = make_mission()
        mission.commodities.add(world.rotan, world.mede)
        make_participation(mission, world.business)
    past = timezone.localdate() - datetime.timedelta(days=30)
    done = make_mission(
        start_date=past,
        registration_opens=timezone.now() - datetime.timedelta(days=60),
        registration_closes=timezone.now() - datetime.timedelta(days=40),
        status="completed",
    )
    make_deal(done, world.business, amount="1000")


# A search on PostgreSQL adds two queries (stemming the words, and the sample that tells
# whether they are common: ikm_registry/search.py); nothing grows with the rows.
SEARCH_ON_POSTGRESQL = 2


@pytest.mark.parametrize(
    ("url", "queries", "searches"),
    [
        ("/api/v1/products/", 1, False),
        ("/api/v1/products/?page_size=2&sort=newest", 1, False),
        ("/api/v1/products/?q=rotan", 3, True),
        ("/api/v1/products/?commodity=kerajinan-rotan&certificate=sni&size=mikro", 2, False),
        ("/api/v1/businesses/", 4, False),
        ("/api/v1/businesses/?q=rotan&export_ready=true", 6, True),
        ("/api/v1/commodities/", 1, False),
        ("/api/v1/kecamatan/", 1, False),
    ],
)
def test_catalog_lists_run_fixed_queries(client, api_world, no_rate_limit, url, queries, searches):
    count = assert_fixed_queries(client, url, lambda: grow_catalog(4))
    if searches and connection.vendor == "postgresql":
        queries += SEARCH_ON_POSTGRESQL
    assert count == queries


@pytest.mark.parametrize(("url", "queries"), [("/api/v1/events/", 2)])
def test_event_list_runs_fixed_queries(client, api_world, no_rate_limit, url, queries):
    assert assert_fixed_queries(client, url, grow_events) == queries


@pytest.mark.parametrize(("url", "queries"), [("/api/v1/missions/", 2)])
def test_mission_list_runs_fixed_queries(client, api_world, no_rate_limit, url, queries):
    assert assert_fixed_queries(client, url, lambda: grow_missions(api_world)) == queries


def test_directory_download_runs_fixed_queries(client, api_world, no_rate_limit):
    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            b"".join(response.streaming_content)
        return len(ctx.captured_queries)

    before = count("/api/data/direktori-ikm.csv")
    grow_catalog(4, with_photos=False)
    assert count("/api/data/direktori-ikm.csv") == before
