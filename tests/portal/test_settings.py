import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _start(env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "tangerang_ikm.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _start({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_starts_with_a_secret_key():
    result = _start({"DEBUG": "false", "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


def test_debug_is_refused_on_a_public_host():
    result = _start({"DEBUG": "true", "ALLOWED_HOSTS": "ikm.tangerangkab.go.id"})
    assert result.returncode != 0
    assert "Turn DEBUG off in production" in result.stderr


def test_debug_runs_with_a_development_key_on_localhost():
    result = _start({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_time_zone_and_languages():
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]


def test_report_which_database_ran(record_property):
    # Shown in the junit output and the pytest header: the same suite runs on both.
    from django.db import connection

    record_property("database", connection.vendor)
    assert connection.vendor in {"postgresql", "sqlite"}


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="only CI promises PostgreSQL")
def test_ci_runs_postgres_when_asked():
    from django.db import connection

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"


def _postgresql_setting(expression, name, value):
    """`expression` (over `settings`) as printed by a fresh process on a PostgreSQL URL,
    with the environment variable `name` set to `value`, or unset when it is None."""
    env = {k: v for k, v in os.environ.items() if k not in {name, "DJANGO_SETTINGS_MODULE"}}
    env.update(DEBUG="true", DATABASE_URL="postgres://postgres@127.0.0.1:5432/unused")
    if value is not None:
        env[name] = value
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print({expression})",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "tangerang_ikm.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_server_side_cursors_can_be_turned_off_for_pgbouncer():
    """docs/deployment.md: behind PgBouncer in transaction mode they must be off."""
    expression = "settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS']"
    for value, expected in (("true", "True"), (None, "False")):
        assert _postgresql_setting(expression, "DISABLE_SERVER_SIDE_CURSORS", value) == expected


@pytest.mark.django_db
def test_postgresql_connections_start_with_jit_and_synchronized_scans_off():
    """JIT compiled for 0.5-0.9 s on national-scale searches that ran in 31 ms."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        # The same search must show the same first matches every time.
        cursor.execute("SHOW synchronize_seqscans")
        assert cursor.fetchone()[0] == "off"
        # Index lookups priced for SSD (settings.py).
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_session_options_can_be_left_to_the_database_behind_a_pooler():
    """docs/deployment.md: DATABASE_SESSION_OPTIONS empty sends no startup options."""
    expression = "repr(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    default = "'-c jit=off -c synchronize_seqscans=off -c random_page_cost=1.1'"
    for value, expected in (("", "None"), (None, default)):
        assert _postgresql_setting(expression, "DATABASE_SESSION_OPTIONS", value) == expected


def test_prepared_statements_are_on_and_can_be_turned_off():
    """docs/deployment.md: values bound on the server, statements prepared from their
    fifth run; DATABASE_PREPARE_THRESHOLD=off is Django's default (neither)."""
    expression = (
        "[settings.DATABASES['default']['OPTIONS'].get(k)"
        " for k in ('server_side_binding', 'prepare_threshold')]"
    )
    for value, expected in ((None, "[True, 5]"), ("0", "[True, 0]"), ("off", "[None, None]")):
        assert _postgresql_setting(expression, "DATABASE_PREPARE_THRESHOLD", value) == expected
    with pytest.raises(AssertionError, match="a number of runs"):
        _postgresql_setting(expression, "DATABASE_PREPARE_THRESHOLD", "yes")


@pytest.mark.django_db
def test_a_query_run_with_other_values_is_prepared_once():
    """The same page query for other slugs is one statement, kept parsed by PostgreSQL."""
    from django.db import connection

    from ikm_registry.models import Product

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if "ikm_registry_product" in row[0]]

    assert prepared() == []
    for n in range(6):
        assert not Product.objects.filter(slug=f"tidak-ada-{n}").exists()
    statements = prepared()
    assert len(statements) == 1
    assert "$1" in statements[0] and "tidak-ada" not in statements[0]
