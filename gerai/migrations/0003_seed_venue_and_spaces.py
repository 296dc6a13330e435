"""Reference data: Gerai Tangerang Gemilang and its spaces. Staff edit them in the admin.

Sources (DOMAIN.md (h)): Jl. Raya Serang Km 18,5, Desa Talaga, Kec. Cikupa (36.03.18.2004),
postal code 15710; 1.5 ha of grounds and a three-storey building with a hall, a
performance stage, showrooms for local products and support facilities. Capacities are
planning figures for staff to correct; the grounds have no measured coordinates yet.
Existing rows are never overwritten (get_or_create on the slug).
"""

from decimal import Decimal

from django.db import migrations

VENUE = {
    "slug": "gerai-tangerang-gemilang",
    "name": "Gerai Tangerang Gemilang",
    "address": "Jl. Raya Serang Km 18,5",
    "postal_code": "15710",
    "area_hectares": Decimal("1.50"),
    "description": (
        "Pusat promosi produk IKM Kabupaten Tangerang di lahan 1,5 ha: gedung tiga lantai "
        "dengan aula, panggung pertunjukan, ruang pamer produk lokal, dan fasilitas penunjang."
    ),
    "description_en": (
        "The showcase for Kabupaten Tangerang's small and medium industries on 1.5 ha: a "
        "three-storey building with a hall, a performance stage, showrooms for local "
        "products and support facilities."
    ),
}

# slug, name, name_en, kind, floor, capacity, booth_capacity, position
SPACES = [
    ("halaman-depan", "Halaman depan", "Front grounds", "halaman", 0, 1500, 60, 10),
    ("panggung-utama", "Panggung pertunjukan", "Performance stage", "panggung", 1, 800, 0, 20),
    (
        "ruang-pamer-1",
        "Ruang pamer lantai 1",
        "Showroom, ground floor",
        "ruang_pamer",
        1,
        120,
        20,
        30,
    ),
    ("kafe", "Kafe Gerai", "Gerai café", "kafe", 1, 60, 0, 40),
    ("aula", "Aula", "Hall", "aula", 2, 300, 30, 50),
    (
        "ruang-pamer-2",
        "Ruang pamer lantai 2",
        "Showroom, first floor",
        "ruang_pamer",
        2,
        80,
        12,
        60,
    ),
    (
        "ruang-pelatihan-3",
        "Ruang pelatihan lantai 3",
        "Training room, second floor",
        "ruang_rapat",
        3,
        40,
        0,
        70,
    ),
]


def load(apps, schema_editor):
    Venue = apps.get_model("gerai", "Venue")
    Space = apps.get_model("gerai", "Space")
    Desa = apps.get_model("ikm_registry", "Desa")
    venue, _created = Venue.objects.get_or_create(
        slug=VENUE["slug"],
        defaults={**VENUE, "desa": Desa.objects.filter(code="36.03.18.2004").first()},
    )
    for slug, name, name_en, kind, floor, capacity, booths, position in SPACES:
        Space.objects.get_or_create(
            slug=slug,
            defaults={
                "venue": venue,
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "floor": floor,
                "capacity": capacity,
                "booth_capacity": booths,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("gerai", "0002_booking_exclusion_postgres"),
        ("ikm_registry", "0002_load_wilayah"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
