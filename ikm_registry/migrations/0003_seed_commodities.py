"""The program's commodities with default HS (AHTN 2022) and KBLI 2020 codes.

Codes follow shared/DOMAIN.md (c) and (d); staff can edit them in the admin.
"""

from django.db import migrations

COMMODITIES = [
    # slug, name, name_en, hs_code, kbli_code, flagship
    ("kerajinan-rotan", "Kerajinan Rotan", "Rattan Crafts", "4602.12.90", "16291", True),
    ("kacang-mede", "Kacang Mede", "Cashew Nuts", "0801.32.00", "10393", True),
    (
        "gula-semut",
        "Gula Jawa Kristal / Gula Semut",
        "Crystal Palm Sugar",
        "1702.90.59",
        "10722",
        True,
    ),
    (
        "makanan-minuman",
        "Makanan dan Minuman Olahan",
        "Processed Food and Drink",
        "",
        "10799",
        False,
    ),
    (
        "keripik-kerupuk",
        "Keripik, Kerupuk dan Camilan",
        "Chips, Crackers and Snacks",
        "",
        "10794",
        False,
    ),
    ("batik-tekstil", "Batik dan Tekstil", "Batik and Textiles", "", "13134", False),
    ("kerajinan-bambu", "Kerajinan Bambu", "Bamboo Crafts", "4602.11.90", "16291", False),
    (
        "anyaman-pandan",
        "Anyaman Pandan dan Mendong",
        "Pandan and Mendong Weaving",
        "",
        "16292",
        False,
    ),
    (
        "furnitur",
        "Furnitur Rotan dan Kayu",
        "Rattan and Wood Furniture",
        "9403.83.00",
        "31002",
        False,
    ),
    ("fesyen-aksesori", "Fesyen dan Aksesori", "Fashion and Accessories", "", "", False),
    ("alas-kaki", "Alas Kaki", "Footwear", "", "", False),
    ("lainnya", "Lainnya", "Other", "", "", False),
]


def load(apps, schema_editor):
    Commodity = apps.get_model("ikm_registry", "Commodity")
    for position, (slug, name, name_en, hs, kbli, flagship) in enumerate(COMMODITIES, start=1):
        Commodity.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "hs_code": hs,
                "kbli_code": kbli,
                "kbli_version": "2020",
                "is_flagship": flagship,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("ikm_registry", "0002_load_wilayah")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
