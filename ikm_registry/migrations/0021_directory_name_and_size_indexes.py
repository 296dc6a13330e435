"""Indexes over verified businesses for the IKM directory's order and filters.

The directory lists verified businesses by name, `name, id`; its size filter and the
kecamatan filter (through the desa) read `size_class` and `desa_id`. The only index
by name held every status (`status, name`), so each business was read from the table:
a commodity's page 3 hash-joined the commodity's 1,250 businesses to a scan of the
whole table (25 ms at regency scale, `EXPLAIN ANALYZE`), and page 7 of one size took
8 ms. Over verified businesses only, with the filters' columns in the key, the same
pages are index-only scans (9 ms and 0.4 ms).

The catalog's size filter joins public products to their businesses by `size_class`:
`size_class, id` answers it from the index instead of reading every business.

Written as SQL like 0019 and 0020, so that Business.Meta stays as it is; runs on
PostgreSQL and SQLite alike and changes no migration state.
"""

from django.db import migrations

VERIFIED = "WHERE status = 'verified' AND archived_at IS NULL"


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0020_directory_filter_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX business_public_name ON ikm_registry_business "
            f"(name, id, size_class, desa_id) {VERIFIED}",
            "DROP INDEX IF EXISTS business_public_name",
        ),
        migrations.RunSQL(
            "CREATE INDEX business_size_class ON ikm_registry_business (size_class, id)",
            "DROP INDEX IF EXISTS business_size_class",
        ),
    ]
