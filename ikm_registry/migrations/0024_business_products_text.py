"""Businesses store their active products' text (Business.products_text), in their own
search vector: the IKM directory and the API's business list find a business by what it
makes with one condition on the business's vector, instead of collecting the business of
every matching product (a UNION over the product index, or a walk of the businesses in
id order probing each one's products: 60-90 ms at regency scale for a common word, and
seconds at national scale when few businesses match).

Filled in chunks of business ids, each committed on its own (the migration is not
atomic): on PostgreSQL one UPDATE a chunk writes the text (search.fill_products_text)
and one the vector; elsewhere in Python.
"""

from django.db import migrations, models

from ikm_registry.search import fill_products_text
from tangerang_ikm.db import PostgreSQLOnlySQL

CHUNK = 20_000


def store_products_text(apps, schema_editor):
    Business = apps.get_model("ikm_registry", "Business")
    last = Business.objects.aggregate(last=models.Max("pk"))["last"] or 0
    for start in range(0, last + 1, CHUNK):
        fill_products_text(Business, start, start + CHUNK)


class Migration(migrations.Migration):
    # Each chunk commits on its own: at national scale (1,000,000 businesses) one UPDATE
    # of every business would hold its row versions for the whole fill.
    atomic = False

    dependencies = [
        ("ikm_registry", "0023_admin_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="business",
            name="products_text",
            field=models.TextField(
                blank=True, editable=False, verbose_name="teks pencarian produk"
            ),
        ),
        migrations.RunPython(store_products_text, migrations.RunPython.noop, elidable=False),
        PostgreSQLOnlySQL("ANALYZE ikm_registry_business", migrations.RunSQL.noop),
    ]
