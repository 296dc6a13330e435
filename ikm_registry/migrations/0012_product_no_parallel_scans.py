"""PostgreSQL: no parallel workers for scans of the product table.

A catalog search reads the first matches of a large table (ikm_registry/search.py,
_is_common) and stops: a few milliseconds of work, for which PostgreSQL started two
parallel workers per query. Under concurrent load on two cores those workers only added
process start-ups: uncached national-scale searches went from 18 to 30 a second, p95 at
four clients 280 -> 177 ms (docs/benchmarks.md). Other tables keep parallel scans, which
the dashboard's aggregates over deals use.
"""

from django.db import migrations

from tangerang_ikm.db import PostgreSQLOnly


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0011_photo_medium"),
    ]

    operations = [
        PostgreSQLOnly(
            migrations.RunSQL(
                "ALTER TABLE ikm_registry_product SET (parallel_workers = 0)",
                "ALTER TABLE ikm_registry_product RESET (parallel_workers)",
            )
        ),
    ]
