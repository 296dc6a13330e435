"""PostgreSQL only: GIN indexes on the stored search vectors and a trigram index on the
vocabulary, replacing migration 0005's per-column search indexes.

Apart from 0008 because PostgreSQL refuses CREATE INDEX in a transaction that has
just updated the table's rows (pending trigger events).
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from tangerang_ikm.db import PostgreSQLOnly, PostgreSQLOnlySQL

OLD_INDEXES = [
    "product_fts_id",
    "product_fts_en",
    "product_name_trgm",
    "product_name_en_trgm",
    "business_fts_id",
    "business_fts_en",
    "business_name_trgm",
]


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0008_search_text"),
    ]

    operations = [
        PostgreSQLOnlySQL(
            sql=[f"DROP INDEX IF EXISTS {name}" for name in OLD_INDEXES],
            reverse_sql=migrations.RunSQL.noop,
        ),
        PostgreSQLOnly(
            *[
                migrations.AddIndex(
                    model_name=model,
                    index=GinIndex(fields=["search_vector"], name=f"{model}_search_vector"),
                )
                for model in ("product", "business")
            ],
            migrations.AddIndex(
                model_name="searchterm",
                # New words go straight into the index (no pending list), so the
                # planner can trust it right after they are added.
                index=GinIndex(
                    fields=["word"],
                    opclasses=["gin_trgm_ops"],
                    name="searchterm_word_trgm",
                    fastupdate=False,
                ),
            ),
        ),
    ]
