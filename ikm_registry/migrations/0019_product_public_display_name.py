"""The English catalog's order by name: public products by the name they show in English
(the English name, or the Indonesian one when it is empty), as forms_catalog sorts them:
`COALESCE(NULLIF(name_en, ''), name), id`.

product_public_name (name, id) serves only the Indonesian pages; without this index an
English catalog page sorted every public product (a sequential scan, 100-200 ms at
regency scale for any page); with it the page reads its keys off the index (1-2 ms for
page 42). The second index does the same within one commodity (the commodity filter).

Written as SQL because an index over that expression in Product.Meta would need the
model to repeat forms_catalog's expression; the SQL runs on PostgreSQL and SQLite alike
and changes no migration state.
"""

from django.db import migrations

DISPLAY = "(COALESCE(NULLIF(name_en, ''), name))"
PUBLIC = "WHERE is_active AND is_public"


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0018_product_trade_terms_certificate_reminders"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX product_public_display_name ON ikm_registry_product "
            f"({DISPLAY}, id) {PUBLIC}",
            "DROP INDEX IF EXISTS product_public_display_name",
        ),
        migrations.RunSQL(
            f"CREATE INDEX product_public_category_display ON ikm_registry_product "
            f"(category_id, {DISPLAY}, id) {PUBLIC}",
            "DROP INDEX IF EXISTS product_public_category_display",
        ),
    ]
