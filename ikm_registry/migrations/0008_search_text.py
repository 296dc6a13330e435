"""One stored search text per product and per business, and the search vocabulary.

The texts are filled here for existing rows (ikm_registry/search.py composes them);
on PostgreSQL `search_vector` is a tsvector column computed from the text and the
names (0009 indexes it). SQLite searches the texts by substring and leaves
`search_vector` empty.
"""

from django.db import migrations, models

import ikm_registry.fields

from ikm_registry.search import business_text, product_text, vector_expression, vocabulary_words


def fill_texts(apps, schema_editor):
    Business = apps.get_model("ikm_registry", "Business")
    Product = apps.get_model("ikm_registry", "Product")
    SearchTerm = apps.get_model("ikm_registry", "SearchTerm")
    words = set()
    businesses = list(
        Business.objects.select_related("desa__kecamatan").prefetch_related("commodities")
    )
    for business in businesses:
        business.search_text = business_text(business)
        words |= vocabulary_words(business.search_text)
    Business.objects.bulk_update(businesses, ["search_text"], batch_size=1000)
    products = list(Product.objects.select_related("business__desa__kecamatan", "category"))
    for product in products:
        product.search_text = product_text(product)
        words |= vocabulary_words(product.search_text)
    Product.objects.bulk_update(products, ["search_text"], batch_size=1000)
    SearchTerm.objects.bulk_create([SearchTerm(word=w) for w in sorted(words)], batch_size=1000)
    if schema_editor.connection.vendor == "postgresql":
        Business.objects.update(search_vector=vector_expression(["name"]))
        Product.objects.update(search_vector=vector_expression(["name", "name_en"]))


class Migration(migrations.Migration):
    dependencies = [
        ("ikm_registry", "0007_list_order_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "word",
                    models.CharField(
                        max_length=60, primary_key=True, serialize=False, verbose_name="kata"
                    ),
                ),
            ],
            options={
                "verbose_name": "kata pencarian",
                "verbose_name_plural": "kata pencarian",
            },
        ),
        migrations.AddField(
            model_name="business",
            name="search_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Nama, deskripsi, kecamatan dan komoditas, untuk pencarian katalog.",
                verbose_name="teks pencarian",
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="search_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Nama, deskripsi, kategori, usaha dan kecamatan, untuk pencarian katalog.",
                verbose_name="teks pencarian",
            ),
        ),
        migrations.AddField(
            model_name="business",
            name="search_vector",
            field=ikm_registry.fields.SearchVectorColumn(
                blank=True, editable=False, verbose_name="vektor pencarian"
            ),
        ),
        migrations.AddField(
            model_name="product",
            name="search_vector",
            field=ikm_registry.fields.SearchVectorColumn(
                blank=True, editable=False, verbose_name="vektor pencarian"
            ),
        ),
        migrations.RunPython(fill_texts, migrations.RunPython.noop),
    ]
