"""Load the regency's 29 kecamatan and 274 desa/kelurahan (Kepmendagri 300.2.2-2138/2025).

The CSVs are copies of shared/data; see ikm_registry/data/SOURCES.md. Codes are
keys: the loader never matches on names, which repeat across kecamatan.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Kecamatan = apps.get_model("ikm_registry", "Kecamatan")
    Desa = apps.get_model("ikm_registry", "Desa")
    with open(DATA / "kodepos_desa_kabupaten_tangerang_unverified.csv", encoding="utf-8") as f:
        postal = {row["code"]: row["postal_code"] for row in csv.DictReader(f)}
    with open(DATA / "wilayah_kabupaten_tangerang.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["level"] == "kecamatan":
            Kecamatan.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    for row in rows:
        if row["level"] in ("desa", "kelurahan"):
            Desa.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "kind": row["level"],
                    "kecamatan_id": row["parent_code"],
                    "postal_code": postal.get(row["code"], ""),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("ikm_registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
