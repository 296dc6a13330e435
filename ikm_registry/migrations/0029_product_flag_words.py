"""Products' search vectors get the words of their size class and export readiness
(search.FlagWords): a search with those filters in a large catalog searches them with
its words, so that the GIN index intersects them.

On PostgreSQL only (SQLite has no vector), in chunks of product ids, each committed on
its own (as 0024-0028): at national scale one UPDATE of 5,000,000 products would hold
every row version for the whole fill.
"""

from django.db import migrations, models

from ikm_registry.search import vector_expression

CHUNK = 50_000


def store_flag_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Product = apps.get_model("ikm_registry", "Product")
    vector = vector_expression(["name", "name_en"], flags=True)
    last = Product.objects.aggregate(last=models.Max("pk"))["last"] or 0
    for start in range(0, last + 1, CHUNK):
        Product.objects.filter(pk__gte=start, pk__lt=start + CHUNK).update(search_vector=vector)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("ikm_registry", "0028_product_size_class"),
    ]

    operations = [
        migrations.RunPython(store_flag_words, migrations.RunPython.noop, elidable=True),
    ]
