"""Businesses store the commodities they are listed under (Business.listed_commodities):
their own and their active products' categories. The directory's and the API's
commodity filter then reads one indexed table instead of a UNION over every product of
the commodity (3 s at national scale, 625,000 products in one commodity).

Filled in chunks of business ids, each committed on its own (the migration is not
atomic, as 0024 and 0025): one INSERT a chunk (search.fill_listings) on both databases.
"""

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
        ("ikm_registry", "0025_business_public_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="business",
            name="listed_commodities",
            field=models.ManyToManyField(
                blank=True,
                editable=False,
                related_name="listed_businesses",
                to="ikm_registry.commodity",
                verbose_name="terdaftar di komoditas",
            ),
        ),
        migrations.RunPython(store_listings, migrations.RunPython.noop, elidable=False),
        PostgreSQLOnlySQL(
            "ANALYZE ikm_registry_business_listed_commodities", migrations.RunSQL.noop
        ),
    ]
