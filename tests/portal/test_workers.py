"""Sessions and limits hold across worker processes with the default configuration, and
`check --deploy` refuses a per-process cache in production with several workers.

(The proof with two real gunicorn processes is tests/multiprocess.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import Error
from django.core.management import call_command

from tangerang_ikm import checks

ROOT = Path(__file__).resolve().parents[2]


def settings_of(env_overrides, expression):
    """Evaluate `expression` against tangerang_ikm.settings loaded with `env_overrides`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CACHE_URL", "DEBUG", "WEB_CONCURRENCY", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "tangerang_ikm.settings"})
    env.update(env_overrides)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr(({expression})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_a_shared_cache_sessions_and_limits_live_in_the_database():
    expression = "settings.SESSION_ENGINE, settings.CACHES['limits']['BACKEND']"
    assert settings_of({}, expression) == repr(
        ("django.contrib.sessions.backends.db", "django.core.cache.backends.db.DatabaseCache")
    )


def test_with_redis_sessions_are_cached_and_limits_count_in_redis():
    expression = "settings.SESSION_ENGINE, settings.CACHES['limits']['BACKEND']"
    out = settings_of({"CACHE_URL": "redis://127.0.0.1:6379/0"}, expression)
    assert out == repr(
        (
            "django.contrib.sessions.backends.cached_db",
            "django_redis.cache.RedisCache",
        )
    )


@pytest.mark.django_db
def test_migrate_alone_creates_the_limits_table():
    from django.db import connection

    assert "ikm_ratelimit_cache" in connection.introspection.table_names()


@pytest.mark.django_db
def test_limits_survive_another_workers_fresh_memory():
    from django.core.cache import caches

    from tangerang_ikm.ratelimit import is_limited

    results = [is_limited("t", "10.0.0.1", limit=2, window=60) for _ in range(2)]
    caches["default"].clear()  # a worker's own memory holds none of it
    results.append(is_limited("t", "10.0.0.1", limit=2, window=60))
    assert results == [False, False, True]


def _errors(settings):
    return [m for m in checks.per_process_cache_with_several_workers(None) if isinstance(m, Error)]


@pytest.mark.parametrize(
    ("workers", "servers", "refused"), [(1, 1, False), (2, 1, True), (1, 2, True), (3, 3, True)]
)
def test_deploy_check_refuses_a_per_process_cache_with_several_workers(
    settings, workers, servers, refused
):
    settings.DEBUG = False
    settings.SHARED_CACHE = False
    settings.WEB_CONCURRENCY, settings.APP_SERVERS = workers, servers
    errors = _errors(settings)
    assert bool(errors) == refused
    if refused:
        assert errors[0].id == "tangerang_ikm.E001"
        assert "CACHE_URL" in errors[0].hint


def test_deploy_check_passes_with_a_shared_cache(settings):
    settings.DEBUG = False
    settings.SHARED_CACHE = True
    settings.WEB_CONCURRENCY = 4
    assert _errors(settings) == []


@pytest.mark.django_db
def test_check_deploy_fails_on_it(settings):
    from django.core.management.base import SystemCheckError

    settings.DEBUG = False
    settings.SHARED_CACHE = False
    settings.WEB_CONCURRENCY = 2
    with pytest.raises(SystemCheckError, match=r"tangerang_ikm\.E001"):
        call_command("check", deploy=True)


def test_language_cookie_is_secure_in_production(settings):
    out = settings_of(
        {"DEBUG": "false"},
        "settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SAMESITE, "
        "settings.LANGUAGE_COOKIE_HTTPONLY",
    )
    assert out == "(True, 'Lax', True)"


def test_deploy_check_reminds_when_the_app_does_not_serve_media(settings):
    settings.DEBUG = False
    settings.STORAGE_BACKEND = "filesystem"
    settings.SERVE_MEDIA = False
    assert [m.id for m in checks.media_is_served(None)] == ["tangerang_ikm.I002"]
    settings.SERVE_MEDIA = True
    assert checks.media_is_served(None) == []


@pytest.mark.django_db
def test_a_number_another_worker_claimed_is_never_counted_twice():
    """The database cache has no atomic increment: each request claims its own number.
    A worker whose hint is stale (another worker just claimed the next number) moves on
    to the following one instead of counting the same number again."""
    import time

    from django.core.cache import caches

    from tangerang_ikm.ratelimit import _key, hit

    assert hit("race", "10.0.0.9", window=600) == 1
    bucket = int(time.time() // 600)
    key = _key("race", "10.0.0.9", bucket)
    caches["limits"].add(f"{key}:2", 1, timeout=600)  # claimed by the other worker
    assert hit("race", "10.0.0.9", window=600) == 3
    assert hit("race", "10.0.0.9", window=600) == 4
