"""Every list endpoint runs the same number of queries at two data sizes (no N+1)."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import make_deal, make_mission, make_participation
from tests.gerai.factories import EventFactory, soon
from tests.ikm_registry.catalog_fixtures import grow_catalog
from tests.queries import assert_fixed_queries as assert_fixed_total

# The rate limiter counts in the "limits" cache: Redis in production, else a database
# table (tangerang_ikm.ratelimit), whose few queries per request are the same at any
# size. The counts below are the API's own: its data, without the limiter's table.


SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def data_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    table = settings.RATELIMIT_CACHE_TABLE
    return len(
        [
            q
            for q in ctx.captured_queries
            # The cache table's queries, and the savepoints its writes are wrapped in.
            if table not in q["sql"] and not q["sql"].startswith(SAVEPOINTS)
        ]
    )


def assert_fixed_queries(client, url, grow):
    """The total is the same at both sizes, and so is the API's own share of it."""
    client.get(url)
    before = data_queries(client, url)
    assert_fixed_total(client, url, grow)
    after = data_queries(client, url)
    assert before == after, f"{url}: {before} queries before, {after} after the data grew"
    return after


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
        # the chosen commodity is among the filter form's cached options (forms_catalog)
        ("/api/v1/products/?commodity=kerajinan-rotan&certificate=sni&size=mikro", 1, False),
        ("/api/v1/businesses/?commodity=kerajinan-rotan&kecamatan=36.03.18", 1, False),
        # the commodities, certificates and exports come with each row (facts.py)
        ("/api/v1/businesses/", 1, False),
        ("/api/v1/businesses/?q=rotan&export_ready=true", 3, True),
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
