"""The fragment cache helper and the shared-cache rate limit."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from tangerang_ikm import cache as fragments
from tangerang_ikm.ratelimit import client_ip, is_limited, login_username, ratelimit


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def counter():
    calls = []

    def compute():
        calls.append(1)
        return f"facets #{len(calls)}"

    return compute, calls


def test_cached_computes_once_until_the_area_is_bumped():
    compute, calls = counter()
    assert fragments.cached("catalog", "facets", compute) == "facets #1"
    assert fragments.cached("catalog", "facets", compute) == "facets #1"
    assert len(calls) == 1

    fragments.bump("catalog")
    assert fragments.cached("catalog", "facets", compute) == "facets #2"
    assert len(calls) == 2


def test_bumping_one_area_leaves_the_others():
    catalog, catalog_calls = counter()
    calendar, calendar_calls = counter()
    fragments.cached("catalog", "facets", catalog)
    fragments.cached("calendar", "2026-11", calendar)
    fragments.bump("catalog")
    fragments.cached("catalog", "facets", catalog)
    fragments.cached("calendar", "2026-11", calendar)
    assert (len(catalog_calls), len(calendar_calls)) == (2, 1)


def test_entries_are_per_language_unless_asked_otherwise():
    compute, calls = counter()
    with translation.override("id"):
        fragments.cached("dashboard", "figures", compute)
    with translation.override("en"):
        fragments.cached("dashboard", "figures", compute)
    assert len(calls) == 2
    with translation.override("id"):
        fragments.cached("dashboard", "count", compute, per_language=False)
    with translation.override("en"):
        fragments.cached("dashboard", "count", compute, per_language=False)
    assert len(calls) == 3


def test_bump_survives_an_evicted_version():
    compute, calls = counter()
    fragments.cached("catalog", "facets", compute)
    cache.delete("fragment-version:catalog")
    fragments.bump("catalog")
    fragments.cached("catalog", "facets", compute)
    assert len(calls) == 2


def test_a_falsy_value_is_cached_too():
    calls = []
    fragments.cached("catalog", "empty", lambda: calls.append(1) or [])
    fragments.cached("catalog", "empty", lambda: calls.append(1) or [])
    assert len(calls) == 1


@pytest.mark.django_db
def test_rate_limit_counts_in_the_shared_cache():
    assert [is_limited("t", "1.2.3.4", limit=3, window=60) for _ in range(4)] == [
        False,
        False,
        False,
        True,
    ]
    # Another client has its own count.
    assert not is_limited("t", "5.6.7.8", limit=3, window=60)


@pytest.mark.django_db
def test_ratelimit_decorator_answers_429_with_a_translated_page():
    view = ratelimit("ping", limit=2, window=60)(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    statuses = [view(factory.post("/", REMOTE_ADDR="9.9.9.9")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    # GET is not counted by default.
    assert view(factory.get("/", REMOTE_ADDR="9.9.9.9")).status_code == 200
    request = factory.post("/", REMOTE_ADDR="9.9.9.9")
    with translation.override("id"):
        response = view(request)
    assert response["Retry-After"] == "60"
    assert "Terlalu banyak permintaan dari alamat Anda" in response.content.decode()


def test_client_ip_trusts_only_the_configured_proxies(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.5"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"  # the spoofed left part is ignored


def test_login_username_is_normalised():
    request = RequestFactory().post("/", {"username": "  Owner@Example.COM "})
    assert login_username(request) == "owner@example.com"
    assert login_username(request, {"username": "X@Y.id"}) == "x@y.id"


def test_redis_urls_select_django_redis():
    """django-environ names django-redis for redis:// when it is installed (Django's own
    backend otherwise, which builds a new Redis client for every call)."""
    import environ

    for url in ("redis://cache.internal:6379/0", "rediss://cache.internal:6380/1"):
        config = environ.Env.cache_url_config(url)
        assert config["BACKEND"] == "django_redis.cache.RedisCache"


REDIS_TEST_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture
def redis_cache(settings):
    import os

    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "ikm-pytest",
        },
        "limits": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": "ikm-pytest-limits",
        },
    }
    from django.core.cache import cache as redis_backed

    redis_backed.clear()
    yield redis_backed
    redis_backed.clear()


def test_helpers_work_on_redis(redis_cache):
    compute, calls = counter()
    fragments.cached("catalog", "facets", compute)
    fragments.cached("catalog", "facets", compute)
    fragments.bump("catalog")
    fragments.cached("catalog", "facets", compute)
    assert len(calls) == 2
    assert [is_limited("redis", "1.1.1.1", limit=2, window=60) for _ in range(3)] == [
        False,
        False,
        True,
    ]


def test_settings_serve_redis_urls_with_django_redis():
    import os
    import subprocess
    import sys

    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/9", "DEBUG": "true"}
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "tangerang_ikm.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "django_redis.cache.RedisCache"


def test_a_warm_value_is_one_read_of_the_shared_cache(monkeypatch):
    """The area's version and the value come back together (one MGET on Redis)."""
    compute, calls = counter()
    fragments.cached("catalog", "facets", compute)
    reads, inside = [], []
    get, get_many = cache.get, cache.get_many

    def counted_get_many(*args, **kwargs):
        reads.append("get_many")
        inside.append(True)  # locmem's get_many calls get for each key
        try:
            return get_many(*args, **kwargs)
        finally:
            inside.pop()

    def counted_get(*args, **kwargs):
        if not inside:
            reads.append("get")
        return get(*args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted_get_many)
    monkeypatch.setattr(cache, "get", counted_get)
    assert fragments.cached("catalog", "facets", compute) == "facets #1"
    assert reads == ["get_many"]
    assert len(calls) == 1
