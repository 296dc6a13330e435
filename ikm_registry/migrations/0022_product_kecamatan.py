"""Products store their business's kecamatan (Product.kecamatan), as they store whether
it is public (0016): the catalog's kecamatan filter reads the product's own row.

With the filter through business and desa, a search at national scale (5,000,000
products) fetched every matching product's business to test its desa: 422 ms of SQL for
'keranjang' in one kecamatan. The copy is filled here in chunks of ids, each UPDATE
committed on its own (the migration is not atomic), then indexed (the kecamatan's
public products by name and newest first, as the catalog's other lists are) and
analyzed. Regency scale (50,000 products): 12 s.
"""

import django.db.models.deletion
from django.db import migrations, models

from tangerang_ikm.db import PostgreSQLOnlySQL

CHUNK = 50_000


def store_kecamatan(apps, schema_editor):
    Business = apps.get_model("ikm_registry", "Business")
    Product = apps.get_model("ikm_registry", "Product")
    products = Product.objects.using(schema_editor.connection.alias)
    kecamatan = Business.objects.filter(pk=models.OuterRef("business_id")).values(
        "desa__kecamatan"
    )[:1]
    last = products.aggregate(last=models.Max("pk"))["last"] or 0
    for start in range(0, last + 1, CHUNK):
        products.filter(pk__gte=start, pk__lt=start + CHUNK).update(
            kecamatan=models.Subquery(kecamatan)
        )


class Migration(migrations.Migration):
    # Each chunk's UPDATE commits on its own: at national scale one UPDATE of every
    # product would hold its row versions (and locks) for the whole fill.
    atomic = False

    dependencies = [
        ("ikm_registry", "0021_directory_name_and_size_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="kecamatan",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ikm_registry.kecamatan",
                verbose_name="kecamatan usaha",
            ),
        ),
        migrations.RunPython(store_kecamatan, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True), ("is_public", True)),
                fields=["kecamatan", "name", "id"],
                name="product_public_kecamatan",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True), ("is_public", True)),
                fields=["kecamatan", "-created_at", "-id"],
                name="product_public_kecamatan_new",
            ),
        ),
        # The planner's statistics for the new column (else it guesses a kecamatan's
        # share of products until autovacuum analyzes the table).
        PostgreSQLOnlySQL("ANALYZE ikm_registry_product", migrations.RunSQL.noop),
    ]
