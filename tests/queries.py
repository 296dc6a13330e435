"""Query-count helpers: a page must run the same number of queries at any data size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, *, status=200):
    """Render `url` once and return how many SQL queries it ran."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(ctx.captured_queries)


def assert_fixed_queries(client, url, grow, *, status=200):
    """Count queries for `url`, call `grow()` to add data, and require the same count.

    Returns the count so that the caller can also assert it exactly.
    """
    client.get(url)  # warm per-process caches (content types, sessions) first
    before = count_queries(client, url, status=status)
    grow()
    # The writes bumped the data versions of cached fragments (home's featured cards, the
    # day's US$ rate): the first request refills them, so compare warm with warm.
    client.get(url)
    after = count_queries(client, url, status=status)
    assert before == after, f"{url}: {before} queries before, {after} after the data grew"
    return after


def session_queries():
    """Queries a signed-in request spends reading its session: one with database
    sessions (the default without a shared cache), none when a shared cache holds them."""
    from django.conf import settings

    return int(settings.SESSION_ENGINE == "django.contrib.sessions.backends.db")
