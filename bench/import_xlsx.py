"""The office's 10,000-row XLSX import through the admin: dry run (preview) and confirm, timed.

Issue #9's target: a 10,000-row import, dry run plus confirm, in 60 s or less.

The script builds an XLSX in the format of the template staff download from the admin
(the same header row), with realistic rows: Indonesian business names, valid 13-digit
NIBs, desa codes from the reference data, phones written the ways staff write them
(0812-…, +62 …, a number Excel stripped the 0 from). Some rows update businesses
already in the registry (changed, or unchanged and so skipped) and a few are invalid.

It then does what staff do, through the real admin views with Django's test client
(a superuser, force_login, production settings, PostgreSQL):

1. upload the file: the dry run reports the invalid rows and offers no confirm button;
2. upload the corrected file: the dry run shows the preview and the confirm form;
3. confirm: the admin's process_import writes the rows.

The target is steps 2 and 3 together. Existing businesses are seeded once with
seed_scale's generator; each run first deletes what the previous run imported.

    .venv/bin/python bench/import_xlsx.py
    .venv/bin/python bench/import_xlsx.py --rows 2000 --keep /tmp/ikm.xlsx
"""

import argparse
import gzip
import io
import os
import random
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import bench_superuser, setup_django  # noqa: E402 - after the sys.path line
from bench.server import production_env  # noqa: E402 - after the sys.path line

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tangerang_ikm_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# NIBs of the rows the file creates; the run deletes these before importing again.
NEW_NIB_PREFIX = "912"
# seed_scale's businesses (NIB 8000000000000 + n) are the registry the file updates.
SEEDED_NIB_PREFIX = "8000"

PREFIXES = [
    ("UD", "ud"),
    ("CV", "cv"),
    ("PT", "pt"),
    ("Koperasi", "koperasi"),
    ("Rumah", "perorangan"),
    ("Sentra", "perorangan"),
    ("Griya", "perorangan"),
    ("Kriya", "perorangan"),
    ("Dapur", "perorangan"),
    ("Karya", "perorangan"),
    ("Industri Rumahan", "perorangan"),
    ("Toko", "perorangan"),
]
# What a business makes, and its commodity slug.
PRODUCTS = [
    ("Rotan", "kerajinan-rotan"),
    ("Mebel Rotan", "furnitur"),
    ("Anyaman Pandan", "anyaman-pandan"),
    ("Anyaman Mendong", "anyaman-pandan"),
    ("Keripik Singkong", "keripik-kerupuk"),
    ("Kerupuk Ikan", "keripik-kerupuk"),
    ("Emping Melinjo", "keripik-kerupuk"),
    ("Gula Aren", "gula-semut"),
    ("Gula Semut", "gula-semut"),
    ("Kacang Mede", "kacang-mede"),
    ("Batik Tangerang", "batik-tekstil"),
    ("Konveksi", "batik-tekstil"),
    ("Bordir", "batik-tekstil"),
    ("Bambu", "kerajinan-bambu"),
    ("Dodol Betawi", "makanan-minuman"),
    ("Sambal", "makanan-minuman"),
    ("Kopi", "makanan-minuman"),
    ("Sirup Pala", "makanan-minuman"),
    ("Kue Kering", "makanan-minuman"),
    ("Jamu", "makanan-minuman"),
    ("Tas Kulit", "fesyen-aksesori"),
    ("Manik", "fesyen-aksesori"),
    ("Sepatu", "alas-kaki"),
    ("Sandal", "alas-kaki"),
]
WORDS = ["Berkah", "Jaya", "Mandiri", "Sejahtera", "Lestari", "Makmur", "Sentosa", "Abadi",
         "Barokah", "Gemilang", "Sumber Rejeki", "Maju", "Putri", "Harapan", "Cahaya", "Sari",
         "Mulya", "Bersama", "Amanah", "Rizki"]  # fmt: skip
FIRST = ["Siti", "Ani", "Dewi", "Nur", "Sri", "Yuli", "Rina", "Euis", "Neneng", "Ratna",
         "Budi", "Agus", "Ahmad", "Dedi", "Asep", "Joko", "Hendra", "Rudi", "Ujang", "Iwan",
         "Wawan", "Eko", "Hasan", "Muhammad", "Yusuf", "Rahmat", "Bambang", "Taufik"]  # fmt: skip
LAST = ["Rahayu", "Lestari", "Wati", "Suryani", "Hidayat", "Saputra", "Setiawan", "Nurhayati",
        "Kurniawan", "Susanti", "Wijaya", "Hermawan", "Sulastri", "Maulana", "Permana",
        "Fauzi", "Hasanah", "Kusnadi", "Rohman", "Sudrajat"]  # fmt: skip
STREETS = ["Jl. Raya Serang", "Jl. Raya Legok", "Jl. Raya Mauk", "Jl. Kampung Melayu",
           "Jl. Pasar Kemis", "Jl. Raya Curug", "Jl. Raya Cisoka", "Kp. Cibogo",
           "Kp. Sukamulya", "Perum Citra Raya Blok", "Jl. Industri", "Gg. Masjid"]  # fmt: skip
DESCRIPTIONS = [
    "Produsen {p} skala rumahan, dikerjakan oleh warga sekitar.",
    "{p} buatan tangan dengan bahan baku lokal Kabupaten Tangerang.",
    "Usaha keluarga sejak {y}, memasok {p} ke pasar dan toko oleh-oleh.",
    "",
]


def ensure_database(url):
    """Create the benchmark database if it is missing (createdb), then migrate it."""
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
    conn += ["-U", parsed.username or "postgres"]
    listed = subprocess.run(
        ["psql", *conn, "-d", "postgres", "-Atc", "SELECT datname FROM pg_database"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if name not in listed:
        print(f"createdb {name}")
        subprocess.run(["createdb", *conn, name], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(url),
        check=True,
    )


def reset_previous_run():
    """Delete the businesses an earlier run imported (NIB prefix), with their history.

    Raw deletes: the ORM would write a history row for every deleted object.
    """
    from django.db import connection, transaction

    from ikm_registry.models import Business

    business = Business._meta.db_table
    history = Business.history.model._meta.db_table
    through = Business.commodities.through._meta.db_table
    # Only table and column names from the models are written into the SQL (S608).
    ids = f"SELECT id FROM {business} WHERE nib LIKE %s"  # noqa: S608 - see above
    statements = [
        f"DELETE FROM {related.related_model._meta.db_table} "  # noqa: S608 - see above
        f"WHERE {related.field.column} IN ({ids})"
        for related in Business._meta.related_objects
        if not related.many_to_many and not related.related_model._meta.auto_created
    ]
    statements += [
        f"DELETE FROM {through} WHERE business_id IN ({ids})",  # noqa: S608 - see above
        f"DELETE FROM {business} WHERE nib LIKE %s",  # noqa: S608 - see above
        f"DELETE FROM {history} WHERE nib LIKE %s",  # noqa: S608 - see above
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [NEW_NIB_PREFIX + "%"])


def ensure_registry(existing, products_per_business):
    """At least `existing` businesses from seed_scale's generator, with their products."""
    from django.db import connection

    from ikm_registry import scale
    from ikm_registry.models import Business
    from tangerang_ikm.management.commands.seed_scale import Progress

    have = Business.objects.filter(nib__startswith=SEEDED_NIB_PREFIX).count()
    if have < existing:
        missing = existing - have
        scale.seed(
            ikm=missing, products=missing * products_per_business, batch=2000, progress=Progress
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def template_header(client):
    """The header row of the template staff download from the admin."""
    from django.urls import reverse
    from openpyxl import load_workbook

    response = client.get(reverse("admin:ikm_registry_business_import_template"))
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(_content(response)), read_only=True).active
    return [cell.value for cell in next(sheet.iter_rows(max_row=1))]


def _phone(rng):
    kind = rng.random()
    number = f"8{rng.choice('1235789')}{rng.randrange(10**8, 10**9)}"
    if kind < 0.45:
        return f"0{number[:3]}-{number[3:7]}-{number[7:]}"
    if kind < 0.65:
        return "0" + number
    if kind < 0.75:
        return f"+62 {number[:3]} {number[3:7]} {number[7:]}"
    if kind < 0.85:
        return int(number)  # typed as a number: Excel dropped the leading 0
    if kind < 0.9:
        return f"021-{rng.randrange(5_000_000, 5_999_999)}"
    return ""


def _npwp(rng):
    if rng.random() < 0.7:
        return ""
    d = f"{rng.randrange(10**14, 10**15):015d}"
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:]}"


def new_row(rng, nib, desa_codes, kecamatan_of, kbli_of):
    prefix, legal_form = rng.choice(PREFIXES)
    product, commodity = rng.choice(PRODUCTS)
    name = f"{prefix} {product} {rng.choice(WORDS)}"
    desa = rng.choice(desa_codes)
    if rng.random() < 0.4:
        name += " " + kecamatan_of[desa]
    commodities = [commodity]
    if rng.random() < 0.15:
        commodities.append(rng.choice(PRODUCTS)[1])
    year = rng.randrange(1985, 2025)
    owner = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    capital = rng.randrange(5, 3_000) * 1_000_000
    return {
        "nib": nib,
        "name": name,
        "legal_form": legal_form,
        "owner_name": owner,
        "address": f"{rng.choice(STREETS)} No. {rng.randrange(1, 200)}, "
        f"RT {rng.randrange(1, 15):03d}/RW {rng.randrange(1, 10):03d}",
        "kode_desa": desa,
        "telepon": _phone(rng),
        "email": f"{owner.split()[0].lower()}{rng.randrange(10, 999)}@gmail.com"
        if rng.random() < 0.3
        else "",
        "npwp": _npwp(rng),
        "founded_year": year,
        "workers_female": rng.randrange(0, 25),
        "workers_male": rng.randrange(0, 15),
        "capital": capital if rng.random() < 0.8 else "",
        "annual_sales": capital * rng.randrange(2, 8) if rng.random() < 0.9 else "",
        "investment": rng.randrange(50, 2_000) * 1_000_000 if rng.random() < 0.2 else "",
        "komoditas": ",".join(dict.fromkeys(commodities)),
        "kbli_code": kbli_of.get(commodity, ""),
        "kbli_version": "2020",
        "description": rng.choice(DESCRIPTIONS).format(p=product.lower(), y=year),
        "description_en": "",
        "status": "draft",
    }


def existing_rows(rng, count, changed_share):
    """Rows for businesses already registered, as an export of them reads, some edited."""
    from ikm_registry.models import Business
    from ikm_registry.resources import BusinessResource

    queryset = (
        Business.objects.filter(nib__startswith=SEEDED_NIB_PREFIX)
        .select_related("desa__kecamatan", "owner")
        .prefetch_related("commodities")
        .order_by("pk")[:count]
    )
    businesses = list(queryset)
    rows = []
    for business, exported in zip(
        businesses, BusinessResource().export(businesses).dict, strict=True
    ):
        row = {k: ("" if v is None else v) for k, v in exported.items()}
        # Numbers as Excel holds them (the export writes them localized, 1.000,00).
        for column in ("founded_year", "workers_female", "workers_male", "capital",
                       "annual_sales", "investment"):  # fmt: skip
            value = getattr(business, column)
            row[column] = "" if value is None else int(value)
        if rng.random() < changed_share:
            # What staff update from a field visit: workers, sales, phone, a description.
            row["workers_male"] = int(row["workers_male"] or 0) + 1
            row["annual_sales"] = int(row["annual_sales"] or 0) + 25_000_000
            row["telepon"] = _phone(rng) or row["telepon"]
            row["description"] = (row["description"] + " Data diperbarui petugas.").strip()
        rows.append(row)
    return rows


# (column, bad value, what staff type to fix it; None: the original value)
INVALID = [
    ("nib", lambda v: str(v)[:12], None),
    ("kode_desa", lambda v: "36.03.31.2099", None),
    ("telepon", lambda v: "12345", "0813-2222-1111"),
    ("npwp", lambda v: "09.254.294.3-407", ""),
    ("founded_year", lambda v: "th 2010", 2010),
    ("capital", lambda v: -5_000_000, 5_000_000),
    ("name", lambda v: "", None),
    ("kode_desa", lambda v: "", None),
]


def build_rows(args, rng):
    """(rows with a few invalid ones, the same rows corrected, counts expected)."""
    from ikm_registry.models import Commodity, Desa

    kecamatan_of = dict(Desa.objects.values_list("code", "kecamatan__name"))
    desa_codes = sorted(kecamatan_of)
    kbli_of = dict(Commodity.objects.values_list("slug", "kbli_code"))
    updates = existing_rows(rng, args.updates, args.changed)
    new_count = args.rows - len(updates)
    nibs = set()
    while len(nibs) < new_count:
        nibs.add(f"{NEW_NIB_PREFIX}{rng.randrange(10**9, 10**10)}")
    rows = [new_row(rng, nib, desa_codes, kecamatan_of, kbli_of) for nib in sorted(nibs)]
    rows += updates
    rng.shuffle(rows)
    fixed = [dict(r) for r in rows]
    step = max(len(rows) // max(args.invalid, 1), 1)
    for i in range(min(args.invalid, len(rows))):
        column, bad, fix = INVALID[i % len(INVALID)]
        n = i * step + step // 2
        rows[n] = {**rows[n], column: bad(rows[n][column])}
        if fix is not None:
            fixed[n] = {**fixed[n], column: fix}
    return rows, fixed


def write_xlsx(header, rows):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("ikm")
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _content(response):
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content)
    return response.content


@contextmanager
def counted_queries():
    from django.db import connection

    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def upload(client, fmt, data, name):
    """The import form's POST: the dry run and its preview page."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    file = SimpleUploadedFile(name, data, content_type=XLSX)
    started = time.perf_counter()
    with counted_queries() as queries:
        response = client.post(
            reverse("admin:ikm_registry_business_import"),
            {"import_file": file, "format": fmt, "resource": "0"},
        )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    html = _content(response).decode()
    counts = {
        kind: html.count(f'<tr class="{kind}">') for kind in ("new", "update", "skip", "delete")
    }
    counts["invalid"] = html.count('class="validation-error-count"')
    counts["error"] = html.count('class="import-error-li"')
    confirm = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    confirm.pop("csrfmiddlewaretoken", None)
    return elapsed, queries["n"], counts, confirm, len(html)


def confirm_import(client, confirm):
    from django.urls import reverse

    started = time.perf_counter()
    with counted_queries() as queries:
        response = client.post(reverse("admin:ikm_registry_business_process_import"), confirm)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, (response.status_code, _content(response)[:2000])
    return elapsed, queries["n"]


def _line(label, elapsed, queries, counts=None, extra=""):
    shown = ""
    if counts:
        shown = "  " + ", ".join(f"{v:,} {k}" for k, v in counts.items() if v)
    print(f"{label:<34} {elapsed:>7.1f} s  {queries:>8,} queries{shown}{extra}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_DB)
    )
    parser.add_argument("--rows", type=int, default=10_000, help="rows in the file")
    parser.add_argument("--updates", type=int, default=2_000, help="rows of known NIBs")
    parser.add_argument(
        "--changed", type=float, default=0.75, help="share of those rows that change something"
    )
    parser.add_argument("--invalid", type=int, default=8, help="invalid rows in the first file")
    parser.add_argument("--existing", type=int, default=10_000, help="businesses registered")
    parser.add_argument("--products", type=int, default=5, help="products per registered one")
    parser.add_argument("--seed", type=int, default=20261209, help="random seed of the rows")
    parser.add_argument("--keep", help="also write the corrected XLSX to this path")
    parser.add_argument("--target", type=float, default=60.0, help="seconds, dry run + confirm")
    args = parser.parse_args()
    args.updates = min(args.updates, args.existing, args.rows)

    ensure_database(args.database_url)
    setup_django(args.database_url)

    from django.contrib.admin import site
    from django.test import Client

    from ikm_registry.models import Business

    started = time.perf_counter()
    reset_previous_run()
    ensure_registry(args.existing, args.products)
    user = bench_superuser()
    client = Client(SERVER_NAME="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    client.force_login(user)
    header = template_header(client)
    rng = random.Random(args.seed)
    rows, fixed = build_rows(args, rng)
    with_errors, corrected = write_xlsx(header, rows), write_xlsx(header, fixed)
    if args.keep:
        Path(args.keep).write_bytes(corrected)
    formats = site._registry[Business].get_import_formats()
    fmt = str(next(i for i, f in enumerate(formats) if f().get_title() == "xlsx"))
    print(
        f"{len(rows):,} rows ({len(corrected) / 1024:.0f} KB XLSX), "
        f"{Business.objects.count():,} businesses registered; setup {time.perf_counter() - started:.1f} s"
    )

    first = upload(client, fmt, with_errors, "daftar-ikm.xlsx")
    _line("1. dry run, file with errors", first[0], first[1], first[2])
    if first[3].get("import_file_name"):
        print("   (unexpected: a confirm form for a file with invalid rows)")
    second = upload(client, fmt, corrected, "daftar-ikm-perbaikan.xlsx")
    _line(
        "2. dry run, corrected file",
        second[0],
        second[1],
        second[2],
        f"  ({second[4] / 1024 / 1024:.1f} MB preview)",
    )
    if not second[3].get("import_file_name"):
        sys.exit("No confirm form after the corrected file's dry run: see the counts above.")
    before = Business.objects.count()
    history = Business.history.model.objects
    history_before = history.count()
    confirmed = confirm_import(client, second[3])
    created = Business.objects.count() - before
    recorded = history.count() - history_before
    _line(
        "3. confirm (process_import)",
        confirmed[0],
        confirmed[1],
        {"created": created, "history records": recorded},
    )
    total = second[0] + confirmed[0]
    verdict = "ok" if total <= args.target else "SLOW"
    print(
        f"{'dry run + confirm (2 + 3)':<34} {total:>7.1f} s  target {args.target:.0f} s: {verdict}"
    )
    print(f"{'all three steps':<34} {first[0] + total:>7.1f} s")


if __name__ == "__main__":
    main()
