"""Bulk data for seed_scale: businesses and products that read like real IKM."""

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ikm_registry import facts, search
from ikm_registry.models import Business, Commodity, Desa, Product

# (commodity slug, product words, unit, price range in rupiah)
LINES = [
    (
        "kerajinan-rotan",
        ["Keranjang Rotan", "Kursi Rotan", "Tas Anyaman Rotan", "Kap Lampu Rotan"],
        "pcs",
        (75_000, 2_500_000),
    ),
    (
        "kacang-mede",
        ["Kacang Mede Panggang", "Kacang Mete Original", "Mede Madu"],
        "kg",
        (120_000, 260_000),
    ),
    (
        "gula-semut",
        ["Gula Semut Aren", "Gula Jawa Kristal", "Gula Aren Cair"],
        "kg",
        (30_000, 80_000),
    ),
    (
        "keripik-kerupuk",
        ["Keripik Singkong", "Kerupuk Ikan", "Emping Melinjo", "Keripik Tempe"],
        "pak",
        (10_000, 45_000),
    ),
    (
        "batik-tekstil",
        ["Batik Tulis Tangerang", "Kain Batik Cap", "Kemeja Batik"],
        "lembar",
        (150_000, 1_500_000),
    ),
    (
        "kerajinan-bambu",
        ["Tampah Bambu", "Lampu Hias Bambu", "Besek Bambu"],
        "pcs",
        (15_000, 350_000),
    ),
    (
        "makanan-minuman",
        ["Dodol Betawi", "Sambal Roa", "Kopi Robusta Bubuk", "Sirup Pala"],
        "botol",
        (20_000, 90_000),
    ),
    ("fesyen-aksesori", ["Tas Kulit", "Dompet Anyaman", "Bros Manik"], "pcs", (35_000, 650_000)),
]
PREFIXES = ["UD", "CV", "Rumah", "Sentra", "Griya", "Kriya", "Dapur", "Karya"]
NAMES = [
    "Berkah",
    "Jaya",
    "Mandiri",
    "Sejahtera",
    "Lestari",
    "Makmur",
    "Sentosa",
    "Abadi",
    "Barokah",
    "Gemilang",
]


def seed(*, ikm, products, batch, progress):
    """Insert `ikm` businesses and `products` products; return the new businesses' ids."""
    rng = random.Random(20261128)
    ids = seed_businesses(rng, ikm=ikm, batch=batch, progress=progress)
    if ids:
        seed_products(rng, ids, products=products, batch=batch, progress=progress)
    return ids


def _line(slug):
    """The LINES entry a seeded business (slug 'ikm-<n>') makes products of."""
    return LINES[int(slug.split("-")[1]) % len(LINES)]


def _places_and_commodities():
    """Each desa's kecamatan name and code, and the commodities by slug."""
    kecamatan_of = dict(Desa.objects.values_list("code", "kecamatan__name"))
    kecamatan_code = dict(Desa.objects.values_list("code", "kecamatan_id"))
    return kecamatan_of, kecamatan_code, {c.slug: c for c in Commodity.objects.all()}


def seed_businesses(rng, *, ikm, batch, progress):
    """Insert `ikm` businesses, each listed under its line's commodity; return their ids."""
    kecamatan_of, _codes, commodity_objs = _places_and_commodities()
    desa_codes = sorted(kecamatan_of)
    commodities = {slug: c.pk for slug, c in commodity_objs.items()}
    start = (Business.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    bar = progress("businesses", ikm)
    ids = []
    statuses = [Business.Status.VERIFIED] * 8 + [Business.Status.SUBMITTED, Business.Status.DRAFT]
    now = timezone.now()
    for offset in range(0, ikm, batch):
        rows = []
        for i in range(offset, min(offset + batch, ikm)):
            n = start + i
            line = LINES[n % len(LINES)]
            name = f"{rng.choice(PREFIXES)} {line[1][0].split()[0]} {rng.choice(NAMES)} {n}"
            rows.append(
                Business(
                    name=name,
                    slug=f"ikm-{n}",
                    nib=f"{8_000_000_000_000 + n:013d}",
                    owner_name=f"Pemilik {n}",
                    address=f"Jl. Industri No. {n % 300 + 1}",
                    desa_id=rng.choice(desa_codes),
                    phone=f"+62812{n:08d}"[:15],
                    capital=Decimal(rng.randrange(10, 9_000)) * 1_000_000,
                    annual_sales=Decimal(rng.randrange(20, 40_000)) * 1_000_000,
                    description=f"Produsen {line[1][0].lower()} dari Kabupaten Tangerang.",
                    description_en=f"Maker of {line[0].replace('-', ' ')} products from Tangerang.",
                    kbli_code="10722",
                )
            )
            _stamp(rows[-1], rng.choice(statuses), now)
        for row in rows:
            row.refresh_classes()  # bulk_create skips save(), which derives the size classes
            line = commodity_objs[_line(row.slug)[0]]
            row.search_text = search.business_text(
                row, commodities=[line], kecamatan=kecamatan_of[row.desa_id]
            )
            # bulk_create skips the signals that store it (facts.py)
            row.public_facts = facts.build(commodities=[line], certificates=[], exports=[])
        with transaction.atomic():
            created = Business.objects.bulk_create(rows, batch_size=batch)
            _index(Business, created, ["name"])
            Business.commodities.through.objects.bulk_create(
                [
                    Business.commodities.through(
                        business_id=b.pk,
                        commodity_id=commodities[LINES[(start + offset + k) % len(LINES)][0]],
                    )
                    for k, b in enumerate(created)
                ],
                batch_size=batch,
            )
        ids += [b.pk for b in created]
        bar(len(rows))
    return ids


def seed_products(rng, ids, *, products, batch, progress):
    """Insert `products` products, round the businesses `ids` (seeded ones, in id order),
    each of its business's line, then each business's products' text and listings."""
    kecamatan_of, kecamatan_code, commodity_objs = _places_and_commodities()
    commodities = {slug: c.pk for slug, c in commodity_objs.items()}
    by_pk = {c.pk: c for c in commodity_objs.values()}
    businesses = Business.objects.filter(pk__range=(ids[0], ids[-1]))
    # What each product copies of its business: bulk_create skips save(), which takes
    # `is_public` from the business; set at insert, not by a later UPDATE that rewrote
    # every row (35 minutes for 5,000,000 products). search.refresh_products() stores
    # the kecamatan and size class the same way.
    public = set(businesses.verified().values_list("pk", flat=True))
    businesses_by_pk = {
        pk: (name, desa, slug, pk in public, size)
        for pk, name, desa, slug, size in businesses.values_list(
            "pk", "name", "desa_id", "slug", "size_class"
        )
    }
    bar = progress("products", products)
    pstart = (Product.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for offset in range(0, products, batch):
        rows = []
        for i in range(offset, min(offset + batch, products)):
            n = pstart + i
            business_id = ids[i % len(ids)]
            _name, desa_id, slug, public, size = businesses_by_pk[business_id]
            line = _line(slug)
            word = rng.choice(line[1])
            low = Decimal(rng.randrange(*line[3]))
            rows.append(
                Product(
                    business_id=business_id,
                    name=f"{word} {n}",
                    name_en="",
                    slug=f"produk-{n}",
                    description=f"{word} buatan tangan, kualitas ekspor, dari IKM Tangerang.",
                    category_id=commodities[line[0]],
                    unit=line[2],
                    min_order=Decimal(rng.choice([1, 5, 10, 50, 100])),
                    capacity_per_month=Decimal(rng.randrange(100, 20_000)),
                    price_min=low,
                    price_max=low * Decimal("1.4"),
                    export_ready=rng.random() < 0.3,
                    is_public=public,
                    kecamatan_id=kecamatan_code[desa_id],
                    size_class=size,
                )
            )
        for row in rows:
            row.category = by_pk[row.category_id]
            name, desa_id, *_ = businesses_by_pk[row.business_id]
            row.search_text = search.product_text(
                row, business_name=name, kecamatan=kecamatan_of[desa_id]
            )
        with transaction.atomic():
            created = Product.objects.bulk_create(rows, batch_size=batch)
            _index(Product, created, ["name", "name_en"])
        bar(len(rows))
    # Each business's products' text (Business.products_text) and the commodities it is
    # listed under (Business.listed_commodities) once its products are in:
    # they were written a business at a time, round the whole list.
    bar = progress("IKM texts", len(ids))
    step = max(batch, 20_000)
    for start in range(ids[0], ids[-1] + 1, step):
        with transaction.atomic():
            search.fill_products_text(Business, start, min(start + step, ids[-1] + 1))
            search.fill_listings(Business, start, min(start + step, ids[-1] + 1))
        bar(len(range(start, min(start + step, ids[-1] + 1))))
    return ids


def _stamp(business, status, now):
    """The state the services leave for `status`: dates and the verified snapshot."""
    if status != Business.Status.DRAFT:
        business.mark_submitted(at=now)
    if status == Business.Status.VERIFIED:
        business.mark_verified(at=now)


def _index(model, rows, names):
    """The search vectors (PostgreSQL) and vocabulary for rows that skipped save()."""
    search.store_vectors(model, [r.pk for r in rows], names)
    search.add_words({r.search_text for r in rows})
