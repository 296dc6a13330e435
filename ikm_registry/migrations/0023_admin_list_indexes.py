"""Indexes for the admin's business and product lists at national scale (issue #26).

The lists are ordered by `name, id`. A filter whose value is rare or absent (a scale
class nobody has, "changed since verification", "deletion requested") made PostgreSQL
walk the whole name index looking for rows, twice: once to count up to 1,001 and once
for the page (1-2 s each at 1,000,000 businesses, `EXPLAIN ANALYZE`). With the filter's
column first and `name, id` after it, both are a range of one index. Deep pages of the
whole list skip their offset in `(name, id)` without reading each row (page 150:
7,500 rows read, 142 ms). The phone's own index lets the search's phone equality join
the indexed OR of the other columns instead of making it a scan of every business.
The certificate filters find their businesses by kind or date, and the export-ready
filter a business's export-ready products from an index of their businesses (it read
every product to hash the export-ready ones: 80-100 ms at regency scale). The product list's
category filter and "inactive" read their range of an index, as the businesses do.

Written as SQL like 0020 and 0021, so that the models' Meta stays as it is; runs on
PostgreSQL and SQLite alike and changes no migration state.
"""

from django.db import migrations

INDEXES = [
    # name, table, columns and condition
    ("business_admin_name_id", "ikm_registry_business", "(name, id)"),
    ("business_admin_scale", "ikm_registry_business", "(ikm_scale, name, id)"),
    ("business_admin_capital", "ikm_registry_business", "(size_class_by_capital, name, id)"),
    ("business_admin_sales", "ikm_registry_business", "(size_class_by_sales, name, id)"),
    (
        "business_admin_changed",
        "ikm_registry_business",
        "(name, id) WHERE changed_since_verification",
    ),
    (
        "business_admin_deletion",
        "ikm_registry_business",
        "(name, id) WHERE deletion_requested_at IS NOT NULL",
    ),
    ("business_phone", "ikm_registry_business", "(phone)"),
    ("certificate_kind_business", "ikm_registry_certificate", "(kind, business_id)"),
    ("certificate_valid_business", "ikm_registry_certificate", "(valid_until, business_id)"),
    ("product_admin_category", "ikm_registry_product", "(category_id, name, id)"),
    ("product_admin_inactive", "ikm_registry_product", "(name, id) WHERE NOT is_active"),
    ("product_export_business", "ikm_registry_product", "(business_id) WHERE export_ready"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0022_product_kecamatan"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON {table} {definition}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, definition in INDEXES
    ]
