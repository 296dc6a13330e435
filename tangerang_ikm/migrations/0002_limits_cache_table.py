"""The table of the "limits" cache (settings.CACHES["limits"] without a shared cache).

Rate limits and used form start times must count alike in every worker process. With
no shared cache configured they live in this table, which `migrate` creates on SQLite
and PostgreSQL alike (Django's `createcachetable`, for this one table). When a shared
cache (Redis) is configured the table stays empty.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "ikm_ratelimit_cache"  # settings.RATELIMIT_CACHE_TABLE


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    quoted = schema_editor.connection.ops.quote_name(TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {quoted}")


class Migration(migrations.Migration):
    dependencies = [("tangerang_ikm", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
