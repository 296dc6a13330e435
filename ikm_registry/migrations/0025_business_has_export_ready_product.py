"""Businesses store whether an active product of theirs is export-ready
(Business.has_export_ready_product): the directory's and the API's export-ready filter
reads the business's own row instead of joining the set of every export-ready product's
business to the commodity filter's set (35 ms of SQL at regency scale for the API's
first 25 businesses of a commodity).

Filled with one UPDATE a chunk of business ids, each committed on its own, as 0024.
The query is written here with the migration's own models, not taken from the live
code (BusinessQuerySet.sync_export_ready does the same for bulk loads).
"""

from django.db import migrations, models

from tangerang_ikm.db import PostgreSQLOnlySQL

CHUNK = 20_000


def store_export_ready(apps, schema_editor):
    Business = apps.get_model("ikm_registry", "Business")
    Product = apps.get_model("ikm_registry", "Product")
    ready = Product.objects.filter(
        business=models.OuterRef("pk"), is_active=True, export_ready=True
    )
    last = Business.objects.aggregate(last=models.Max("pk"))["last"] or 0
    for start in range(0, last + 1, CHUNK):
        Business.objects.filter(pk__gte=start, pk__lt=start + CHUNK).update(
            has_export_ready_product=models.Exists(ready)
        )


class Migration(migrations.Migration):
    # Each chunk commits on its own (see 0024).
    atomic = False

    dependencies = [
        ("ikm_registry", "0024_business_products_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="business",
            name="has_export_ready_product",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="punya produk siap ekspor"
            ),
        ),
        migrations.RunPython(store_export_ready, migrations.RunPython.noop, elidable=False),
        PostgreSQLOnlySQL("ANALYZE ikm_registry_business", migrations.RunSQL.noop),
    ]
