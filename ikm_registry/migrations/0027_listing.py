"""The listing of a business under a commodity (Business.listed_commodities) becomes a
model of its own, models.Listing, on the same table, with the business's name and
kecamatan and indexes (commodity, name, business) and (commodity, kecamatan, name,
business): a commodity's businesses (in a kecamatan) in name order are read from them
in order instead of walking every business's name (2 s at national scale for a
commodity whose businesses' names sort late). Products get the same for a commodity in
a kecamatan by name.

The field's automatic through table is taken over as Django documents it (state only).
Its rows are deleted, the columns added, and every business listed again in chunks of
business ids, each committed on its own (not atomic, as 0024-0026): one INSERT a chunk
(search.fill_listings), the same SQL on both databases.
"""

import django.db.models.deletion
from django.db import migrations, models

from ikm_registry.search import fill_listings
from tangerang_ikm.db import PostgreSQLOnlySQL

CHUNK = 20_000


def store_listings(apps, schema_editor):
    Business = apps.get_model("ikm_registry", "Business")
    last = Business.objects.aggregate(last=models.Max("pk"))["last"] or 0
    for start in range(0, last + 1, CHUNK):
        fill_listings(Business, start, start + CHUNK)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("ikm_registry", "0026_business_listed_commodities"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Listing",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "business",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="listings",
                                to="ikm_registry.business",
                            ),
                        ),
                        (
                            "commodity",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="listings",
                                to="ikm_registry.commodity",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "ikm_registry_business_listed_commodities",
                        "unique_together": {("business", "commodity")},
                    },
                ),
                migrations.AlterField(
                    model_name="business",
                    name="listed_commodities",
                    field=models.ManyToManyField(
                        blank=True,
                        editable=False,
                        related_name="listed_businesses",
                        through="ikm_registry.Listing",
                        to="ikm_registry.commodity",
                        verbose_name="terdaftar di komoditas",
                    ),
                ),
            ],
        ),
        # Listed again below, with the new columns (which then need no default).
        migrations.RunSQL(
            "DELETE FROM ikm_registry_business_listed_commodities", migrations.RunSQL.noop
        ),
        migrations.AddField(
            model_name="listing",
            name="name",
            field=models.CharField(default="", editable=False, max_length=150),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="listing",
            name="kecamatan",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ikm_registry.kecamatan",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(store_listings, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(
                fields=["commodity", "name", "business"], name="ikm_listing_by_name"
            ),
        ),
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(
                fields=["commodity", "kecamatan", "name", "business"],
                name="ikm_listing_by_place",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True), ("is_public", True)),
                fields=["category", "kecamatan", "name", "id"],
                name="product_public_category_place",
            ),
        ),
        PostgreSQLOnlySQL(
            "ANALYZE ikm_registry_business_listed_commodities", migrations.RunSQL.noop
        ),
    ]
