"""Businesses store the commodities they are listed under (Business.listed_commodities):
their own and their active products' categories. The directory's and the API's
commodity filter then reads one indexed table instead of a UNION over every product of
the commodity (3 s at national scale, 625,000 products in one commodity).

0027 fills it, with each business's name: the fill this migration first ran is gone
(the listing's SQL writes the name now, a column this migration's table lacks).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
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
    ]
