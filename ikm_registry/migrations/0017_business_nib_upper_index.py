"""The admin's searches by index: exact NIB (`=nib` compiles to UPPER(nib) = UPPER(term))
on every database, and on PostgreSQL trigram indexes over UPPER() of the product names
the product admin searches with icontains (see 0016 for the businesses')."""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

from tangerang_ikm.db import PostgreSQLOnly


def product_trigram(field):
    name = f"product_{field}_upper_trgm"
    return migrations.RunSQL(
        f"CREATE INDEX {name} ON ikm_registry_product USING gin (UPPER({field}) gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {name}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0016_product_is_public"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="business",
            index=models.Index(
                django.db.models.functions.text.Upper("nib"), name="business_nib_upper"
            ),
        ),
        PostgreSQLOnly(product_trigram("name"), product_trigram("name_en")),
    ]
