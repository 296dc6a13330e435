"""A public search the database cannot answer in time says so, never a 500 (issue #26).

search.time_limit cancels the running query after TIME_LIMIT seconds (PostgreSQL): the
catalog and the directory answer with the filters kept and a message under the search
box, not kept by any cache; the API answers 503 with the message. The tests make the
search slow with pg_sleep; they run outside a test transaction (a cancelled query aborts
the transaction around it, so time_limit is not armed inside one), with the reference
rows that another test's flush empties put back first (the reference_data fixture).
"""

import pytest
from django.db import connection

from ikm_registry import search
from tests.factories import ProductFactory

needs_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the time limit cancels PostgreSQL queries"
)
pytestmark = [
    needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def slow_search(monkeypatch):
    """Every search's first query sleeps for a second; the limit is a tenth of that."""
    monkeypatch.setattr(search, "TIME_LIMIT", 0.1)
    original = search.first_matches

    def sleeping(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")
        return original(*args, **kwargs)

    monkeypatch.setattr(search, "first_matches", sleeping)


@pytest.fixture
def product(db):
    return ProductFactory(name="Keranjang Rotan Bundar")


@pytest.mark.parametrize("path", ["/katalog/", "/ikm-direktori/", "/en/katalog/"])
def test_a_page_whose_search_is_cancelled_asks_for_a_narrower_one(
    client, product, slow_search, path
):
    page = client.get(path, {"q": "rotan", "kecamatan": product.business.desa.kecamatan_id})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.errors["q"] == [str(form.TOO_BROAD)]
    assert list(page.context["page_obj"].object_list) == []
    assert str(form.TOO_BROAD) in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert 'value="rotan"' in page.content.decode()  # the words stay in the box


@pytest.mark.parametrize("endpoint", ["/api/v1/products/", "/api/v1/businesses/"])
def test_an_api_search_that_is_cancelled_answers_503_with_the_message(
    client, product, slow_search, endpoint
):
    from ikm_registry.forms_catalog import CatalogFilterForm

    answer = client.get(endpoint, {"q": "rotan"})
    assert answer.status_code == 503
    assert answer.json() == {"detail": str(CatalogFilterForm.TOO_BROAD)}


def test_the_connection_answers_normally_after_a_cancel(client, product, slow_search, monkeypatch):
    assert client.get("/katalog/", {"q": "rotan"}).context["form"].gave_up
    monkeypatch.undo()
    page = client.get("/katalog/", {"q": "rotan"})
    assert not page.context["form"].gave_up
    assert [p.name for p in page.context["page_obj"].object_list] == ["Keranjang Rotan Bundar"]
    with connection.cursor() as cursor:  # no cancel left over for a later query
        cursor.execute("SELECT pg_sleep(0.3), 1")
        assert cursor.fetchone()[1] == 1


def test_a_quick_search_is_not_cancelled(client, product):
    page = client.get("/katalog/", {"q": "rotan"})
    assert not page.context["form"].gave_up
    assert "no-store" not in page.get("Cache-Control", "")


def test_a_server_statement_timeout_is_reported_the_same_way():
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 50")
    try:
        with pytest.raises(search.SearchTooBroad), search.time_limit(seconds=10):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(1)")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


def test_other_database_errors_are_not_hidden():
    from django.db import ProgrammingError

    with pytest.raises(ProgrammingError), search.time_limit():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")


def test_one_watchdog_thread_serves_every_search(monkeypatch):
    """A thread per search (threading.Timer) cost 0.3-1 ms of each catalog page: the
    process's one watchdog thread guards every block, and a new one starts only where
    it does not run (a forked worker: here, a thread that has ended)."""
    import threading

    started = []
    real_start = threading.Thread.start

    def start(thread):
        started.append(thread.name)
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", start)
    for _ in range(20):
        with search.time_limit():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
    assert len(started) <= 1  # none when an earlier test started it
    assert search._watchdog.thread.is_alive()
    assert search._watchdog.deadlines == set()  # every block took its deadline away

    ended = threading.Thread(target=lambda: None)
    real_start(ended)
    ended.join()
    monkeypatch.setattr(search._watchdog, "thread", ended)
    with search.time_limit():
        pass
    assert started[-1] == "search-time-limit"
    assert search._watchdog.thread.is_alive()
