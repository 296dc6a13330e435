"""Products store whether their business is public (Product.is_public), with partial
indexes for the catalog's sort orders over public products only; and, on PostgreSQL,
trigram indexes for the admin's business search.

The admin searches with `UPPER(column) LIKE UPPER('%term%')` (icontains): a pg_trgm GIN
index over UPPER(column) answers it without reading every business. SQLite keeps the
plain scan (PostgreSQLOnly).
"""

from django.db import migrations, models

from tangerang_ikm.db import PostgreSQLOnly


def store_is_public(apps, schema_editor):
    Business = apps.get_model("ikm_registry", "Business")
    Product = apps.get_model("ikm_registry", "Product")
    visible = Business.objects.filter(
        pk=models.OuterRef("business_id"), status="verified", archived_at__isnull=True
    )
    Product.objects.update(is_public=models.Exists(visible))


def admin_trigram(field):
    """CREATE INDEX … USING gin (UPPER(field) gin_trgm_ops): the expression the admin's
    icontains compiles to (the columns are varchar; UPPER reads them as text)."""
    name = f"business_{field}_upper_trgm"
    return migrations.RunSQL(
        f"CREATE INDEX {name} ON ikm_registry_business USING gin (UPPER({field}) gin_trgm_ops)",
        f"DROP INDEX IF EXISTS {name}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0015_people_history_contacts_erasure"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="is_public",
            field=models.BooleanField(default=False, editable=False, verbose_name="usaha publik"),
        ),
        migrations.RunPython(store_is_public, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True), ("is_public", True)),
                fields=["name", "id"],
                name="product_public_name",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True), ("is_public", True)),
                fields=["-created_at", "-id"],
                name="product_public_new",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True), ("is_public", True)),
                fields=["category", "name", "id"],
                name="product_public_category",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True), ("is_public", True)),
                fields=["-export_ready", "-created_at", "-id"],
                name="product_public_featured",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True), ("is_public", True)),
                fields=["business", "export_ready", "name"],
                name="product_public_business",
            ),
        ),
        PostgreSQLOnly(
            *[admin_trigram(field) for field in ("name", "owner_name", "email", "phone")]
        ),
    ]
