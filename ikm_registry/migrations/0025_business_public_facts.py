"""Businesses store their commodities, certificates and export history as the public
pages show them (Business.public_facts, see ikm_registry/facts.py): a product or IKM
page reads them with the business instead of three queries more.

Filled in chunks of business ids, each committed on its own (the migration is not
atomic): on PostgreSQL one UPDATE a chunk (facts.fill), elsewhere in Python.
"""

from django.db import migrations, models

from ikm_registry import facts
from tangerang_ikm.db import PostgreSQLOnlySQL

CHUNK = 20_000


def store_public_facts(apps, schema_editor):
    Business = apps.get_model("ikm_registry", "Business")
    last = Business.objects.aggregate(last=models.Max("pk"))["last"] or 0
    for start in range(0, last + 1, CHUNK):
        facts.fill(Business, start, start + CHUNK)


class Migration(migrations.Migration):
    # Each chunk commits on its own, as in 0024.
    atomic = False

    dependencies = [
        ("ikm_registry", "0024_business_products_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="business",
            name="public_facts",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="data publik terkait"
            ),
        ),
        migrations.RunPython(store_public_facts, migrations.RunPython.noop, elidable=False),
        PostgreSQLOnlySQL("ANALYZE ikm_registry_business", migrations.RunSQL.noop),
    ]
