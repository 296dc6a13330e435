"""Demo data for the registry; called by `manage.py seed_demo`.

Fictional IKM (names and NIBs are made up; NIBs start 9990 so they cannot clash with
real OSS numbers) across several kecamatan and commodities. Photos are drawn here with
Pillow and go through the same processing as an upload.
"""

import io
import random
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from ikm_registry import services
from ikm_registry.hs import suggest_hs_code
from ikm_registry.models import Business, Certificate, Commodity, Desa, ExportRecord, Product

# (nib, name, legal form, owner index or None, desa, commodity, status, capital, sales,
#  workers f/m, products: [(name, name_en, unit, price_min, price_max, export_ready)],
#  certificates: [(kind, number, valid_until)], exports: [(country, year)])
BUSINESSES = [
    (
        "9990100000011",
        "Anyaman Rotan Talaga Jaya",
        "perorangan",
        0,
        "36.03.18.2004",
        "kerajinan-rotan",
        "verified",
        "450000000",
        "1800000000",
        (9, 6),
        [
            ("Keranjang Rotan Bulat", "Round Rattan Basket", "pcs", 85000, 150000, True),
            ("Kap Lampu Rotan", "Rattan Lamp Shade", "pcs", 120000, 240000, True),
        ],
        [("svlk", "VLK-0099-DEMO-01", date(2027, 6, 30))],
        [("KR", 2021), ("AE", 2021), ("JP", 2023)],
    ),
    (
        "9990100000028",
        "Gula Semut Aren Cisoka",
        "cv",
        0,
        "36.03.05.2002",
        "gula-semut",
        "submitted",
        "180000000",
        "950000000",
        (7, 2),
        [("Gula Semut Aren 500 g", "Palm Sugar Crystals 500 g", "kg", 38000, 45000, True)],
        [
            ("halal", "ID36110000999990001", None),
            ("pirt", "209360301999901", date(2026, 12, 31)),
        ],
        [("AE", 2022)],
    ),
    (
        "9990100000035",
        "Mede Sangrai Mauk Barokah",
        "perorangan",
        1,
        "36.03.08.2001",
        "kacang-mede",
        "verified",
        "95000000",
        "600000000",
        (4, 1),
        [("Kacang Mede Panggang Original", "Roasted Cashew Original", "kg", 160000, 190000, False)],
        [("halal", "ID36110000999990002", None)],
        [],
    ),
    (
        "9990100000042",
        "Keripik Singkong Mak Eti",
        "perorangan",
        1,
        "36.03.12.2008",
        "keripik-kerupuk",
        "returned",
        "30000000",
        "240000000",
        (3, 0),
        [("Keripik Singkong Balado", "Spicy Cassava Chips", "pcs", 12000, 15000, False)],
        [],
        [],
    ),
    (
        "9990100000059",
        "Batik Tangerang Kosambi",
        "ud",
        None,
        "36.03.14.2002",
        "batik-tekstil",
        "verified",
        "1200000000",
        "3500000000",
        (14, 8),
        [
            (
                "Kain Batik Cap Motif Kali Cisadane",
                "Cisadane Stamped Batik Cloth",
                "lembar",
                250000,
                650000,
                True,
            )
        ],
        [("sni", "SNI-8184-DEMO-77", date(2026, 12, 15))],
        [("MY", 2024)],
    ),
    (
        "9990100000066",
        "Furnitur Rotan Tigaraksa",
        "pt",
        None,
        "36.03.03.2003",
        "furnitur",
        "verified",
        "3800000000",
        "9000000000",
        (6, 21),
        [
            (
                "Kursi Teras Rotan Sintetis",
                "Synthetic Rattan Patio Chair",
                "set",
                1800000,
                3200000,
                True,
            )
        ],
        [("svlk", "VLK-0099-DEMO-02", date(2026, 1, 31))],
        [("NL", 2019), ("US", 2022)],
    ),
    (
        "9990100000073",
        "Anyaman Bambu Kemiri Lestari",
        "koperasi",
        None,
        "36.03.09.2002",
        "kerajinan-bambu",
        "draft",
        "60000000",
        "150000000",
        (10, 3),
        [("Tampah Bambu", "Bamboo Winnowing Tray", "pcs", 25000, 40000, False)],
        [],
        [],
    ),
    (
        "9990100000080",
        "Dodol Betawi Balaraja",
        "perorangan",
        None,
        "36.03.01.2003",
        "makanan-minuman",
        "submitted",
        "45000000",
        "300000000",
        (5, 1),
        [("Dodol Ketan Hitam", "Black Sticky Rice Dodol", "kg", 55000, 70000, False)],
        [("pirt", "209360301999902", date(2028, 3, 1))],
        [],
    ),
]

# What an export-ready demo product offers a buyer (the port is the model's default).
EXPORT_TERMS = {
    "lead_time_days": 30,
    "samples": Product.Samples.PAID,
    "incoterms": [Product.Incoterm.EXW, Product.Incoterm.FOB, Product.Incoterm.CIF],
    "payment_terms": "T/T 30% uang muka, 70% sebelum pengapalan",
}

COLOURS = [(166, 124, 82), (205, 170, 125), (120, 80, 40), (200, 150, 60), (90, 130, 80)]


def demo_photo(seed, label):
    """A simple drawn 'product photo' as an in-memory JPEG upload."""
    rng = random.Random(seed)
    base = rng.choice(COLOURS)
    image = Image.new("RGB", (1200, 900), tuple(min(255, c + 60) for c in base))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rng.randrange(0, 1100), rng.randrange(0, 800)
        r = rng.randrange(40, 180)
        draw.ellipse((x, y, x + r, y + r), fill=rng.choice(COLOURS), outline=(60, 40, 20), width=6)
    draw.rectangle((0, 820, 1200, 900), fill=(40, 40, 40))
    draw.text((30, 845), label[:60], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(f"demo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def demo_hs_code(commodity, *names):
    """The code the product form would suggest: roasted cashew 2008.19 (not the raw
    0801.32 of the commodity), a synthetic-rattan chair 9401 (not furniture 9403)."""
    suggestion = suggest_hs_code(commodity, *names)
    return suggestion.code if suggestion else ""


def mend_hs_codes(nib, commodity_slug, products):
    """Demo databases seeded before the codes were corrected get them now (only where
    the product still carries its commodity's default)."""
    commodity = Commodity.objects.get(slug=commodity_slug)
    for p_index, (p_name, p_name_en, *_rest) in enumerate(products):
        code = demo_hs_code(commodity, p_name, p_name_en)
        if code and code != commodity.hs_code:
            Product.objects.filter(slug=f"demo-{nib}-{p_index}", hs_code=commodity.hs_code).update(
                hs_code=code
            )


def seed(*, owners, stdout):
    """Idempotent: running it twice changes nothing."""
    created = 0
    for index, row in enumerate(BUSINESSES):
        (nib, name, legal_form, owner_index, desa_code, commodity_slug, status, capital, sales,
         workers, products, certificates, exports) = row  # fmt: skip
        if Business.objects.filter(nib=nib).exists():
            mend_hs_codes(nib, commodity_slug, products)
            continue
        owner = owners[owner_index] if owner_index is not None and owners else None
        commodity = Commodity.objects.get(slug=commodity_slug)
        business = Business(
            owner=owner,
            name=name,
            slug=f"demo-{nib}",
            legal_form=legal_form,
            nib=nib,
            owner_name=owner.full_name.removesuffix(" (demo)") if owner else "Pemilik Demo",
            # A fictional NIK shaped like Kabupaten Tangerang's (3603 + kecamatan + date).
            nik=f"3603{desa_code[6:8]}550682{index + 1:04d}" if owner else "",
            address=f"Jl. Demo Raya No. {index + 3}",
            desa=Desa.objects.get(code=desa_code),
            phone=f"+62812999000{index:02d}",
            email=f"ikm{index + 1}@demo.ikm.id",
            founded_year=2008 + index,
            workers_female=workers[0],
            workers_male=workers[1],
            capital=Decimal(capital),
            annual_sales=Decimal(sales),
            kbli_code=commodity.kbli_code,
            description=f"{name} adalah IKM demo binaan Disperindag Kabupaten Tangerang.",
            description_en=f"{name} is a demo SME supported by the Tangerang trade office.",
        )
        business.save()
        business.commodities.add(commodity)
        for p_index, (p_name, p_name_en, unit, low, high, ready) in enumerate(products):
            product = Product.objects.create(
                business=business,
                name=p_name,
                name_en=p_name_en,
                slug=f"demo-{nib}-{p_index}",
                category=commodity,
                hs_code=demo_hs_code(commodity, p_name, p_name_en),
                unit=unit,
                price_min=Decimal(low),
                price_max=Decimal(high),
                min_order=Decimal(10),
                capacity_per_month=Decimal(500),
                export_ready=ready,
                **(EXPORT_TERMS if ready else {}),
                description=f"{p_name} buatan tangan {name}.",
                description_en=f"{p_name_en}, handmade by {name}.",
            )
            for n in range(2):
                services.add_photo(
                    product=product,
                    upload=demo_photo(f"{nib}-{p_index}-{n}", p_name),
                    alt_text=p_name,
                )
        for kind, number, valid_until in certificates:
            Certificate.objects.create(
                business=business,
                kind=kind,
                number=number,
                issuer="Instansi penerbit (demo)",
                valid_until=valid_until,
            )
        for country, year in exports:
            ExportRecord.objects.create(business=business, country=country, year=year)
        # The state the services leave after each step (without their mail).
        now = timezone.now()
        if status != Business.Status.DRAFT:
            business.mark_submitted(at=now)
        if status == Business.Status.VERIFIED:
            business.mark_verified(at=now)
        elif status == Business.Status.RETURNED:
            business.mark_returned(notes="Mohon unggah foto produk yang lebih terang dan isi NPWP.")
        business.save(workflow=True)
        created += 1
    stdout.write(f"Registry: {created} demo IKM added ({len(BUSINESSES)} in the demo set).")
