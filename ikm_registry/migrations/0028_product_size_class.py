"""Products get a copy of their business's size class (Product.size_class), kept like
their copy of its kecamatan: the catalog's size filter then reads the product's own row
instead of joining every matching product to its business.

Filled in chunks of product ids, each committed on its own (as 0024-0027): at national
scale one UPDATE of 5,000,000 products would hold every row version for the whole fill.
"""

from django.db import migrations, models

CHUNK = 50_000


def copy_size_classes(apps, schema_editor):
    Business = apps.get_model("ikm_registry", "Business")
    Product = apps.get_model("ikm_registry", "Product")
    size = Business.objects.filter(pk=models.OuterRef("business_id")).values("size_class")[:1]
    last = Product.objects.aggregate(last=models.Max("pk"))["last"] or 0
    for start in range(0, last + 1, CHUNK):
        chunk = Product.objects.filter(pk__gte=start, pk__lt=start + CHUNK)
        chunk.update(size_class=models.Subquery(size))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("ikm_registry", "0027_listing"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="size_class",
            field=models.CharField(
                blank=True,
                choices=[
                    ("mikro", "mikro"),
                    ("kecil", "kecil"),
                    ("menengah", "menengah"),
                    ("besar", "besar"),
                ],
                editable=False,
                max_length=10,
                verbose_name="skala usaha",
            ),
        ),
        migrations.RunPython(copy_size_classes, migrations.RunPython.noop, elidable=True),
    ]
