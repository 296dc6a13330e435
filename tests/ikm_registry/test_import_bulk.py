"""The office's XLSX import written in batches (issue #9): the same rows, fields, search
texts and history as row-by-row saves, and a fixed number of queries at any file size."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.admin import site
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from ikm_registry import facts, search
from ikm_registry.models import Business, Commodity, Desa
from ikm_registry.resources import BusinessResource
from tangerang_ikm.cache import cached
from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:ikm_registry_business_import")
CONFIRM = reverse("admin:ikm_registry_business_process_import")
HEADER = list(BusinessResource.TEMPLATE_EXAMPLE)  # the template staff download
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORDS = ["Anyelir", "Bougenvil", "Cempaka", "Dahlia", "Edelweis", "Flamboyan", "Gardenia",
         "Kenanga", "Melati", "Teratai"]  # fmt: skip


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(column, "") for column in HEADER])
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("daftar-ikm.xlsx", buffer.getvalue(), content_type=XLSX)


def _xlsx_format():
    formats = site._registry[Business].get_import_formats()
    return str(next(i for i, f in enumerate(formats) if f().get_title() == "xlsx"))


def _name(n):
    """A distinct, word-like name per row (numbers are not search words)."""
    return f"Kerupuk {WORDS[n % 10]} {WORDS[n // 10 % 10]} {WORDS[n // 100 % 10]}"


def _row(n, desa, **values):
    return {
        "nib": f"{9_130_000_000_000 + n:013d}",
        "name": _name(n),
        "legal_form": "perorangan",
        "owner_name": f"Pemilik {n}",
        "address": f"Jl. Raya Serang No. {n}",
        "kode_desa": desa.code,
        "telepon": f"0812-1111-{n:04d}",
        "capital": 250_000_000,
        "annual_sales": 800_000_000,
        "workers_female": 3,
        "workers_male": 2,
        "komoditas": "keripik-kerupuk" if n % 2 else "kerajinan-rotan,kacang-mede",
        "kbli_code": "10794",
        "kbli_version": "2020",
        "status": "draft",
        **values,
    }


@pytest.fixture
def desas():
    return list(Desa.objects.select_related("kecamatan").order_by("code")[:5])


def _existing(n, desa):
    """A verified business the file updates, with a product whose text names it."""
    business = BusinessFactory(
        nib=f"{9_140_000_000_000 + n:013d}",
        name=f"Lama {WORDS[n % 10]} {n}",
        slug=f"lama-{n}",
        desa=desa,
        status=Business.Status.VERIFIED,
    )
    ProductFactory(business=business)
    return business


def _update(business, n, desa):
    return _row(n, desa, nib=business.nib, name=f"Baru {_name(n)}", status="verified")


def _dry_run(client, rows):
    response = client.post(
        IMPORT, {"import_file": _xlsx(rows), "format": _xlsx_format(), "resource": "0"}
    )
    assert response.status_code == 200
    return response


def _confirm(client, response):
    confirm = response.context["confirm_form"]
    assert confirm is not None, [row.error_dict for row in response.context["result"].invalid_rows]
    done = client.post(CONFIRM, {**confirm.initial, "resource": "0"})
    assert done.status_code == 302
    return done


def _import(client, rows):
    return _confirm(client, _dry_run(client, rows))


class TestBatchedImport:
    def test_200_rows_create_and_update_with_derived_fields_texts_and_history(
        self, client, admin_staff, desas, django_capture_on_commit_callbacks
    ):
        existing = [_existing(n, desas[n % 5]) for n in range(20)]
        rows = [_row(n, desas[n % 5]) for n in range(180)]
        rows += [_update(b, 500 + k, desas[(k + 1) % 5]) for k, b in enumerate(existing)]
        rows[7]["capital"] = 6_000_000_000  # menengah by capital
        rows[8]["investment"] = 20_000_000_000  # besar by investment
        rows[190]["komoditas"] = "batik-tekstil"
        client.force_login(admin_staff)
        before = cached("reports", "probe", compute=lambda: "before")

        response = _dry_run(client, rows)
        result = response.context["result"]
        assert result.totals["new"] == 180 and result.totals["update"] == 20
        assert not result.has_validation_errors() and not result.has_errors()
        # The preview shows what will be written: the row's commodities, derived classes.
        preview = response.content.decode()
        assert "kacang-mede" in preview and "menengah" in preview
        # Nothing written by the dry run.
        assert Business.objects.count() == 20
        assert Business.history.count() == 20  # the factories' own creations
        assert Business.objects.get(pk=existing[0].pk).name == existing[0].name

        with django_capture_on_commit_callbacks(execute=True):
            _confirm(client, response)

        assert Business.objects.count() == 200
        new = Business.objects.get(nib=rows[0]["nib"])
        desa = desas[0]
        assert new.status == Business.Status.DRAFT
        assert new.phone == "+6281211110000"
        assert new.slug == "kerupuk-anyelir-anyelir-anyelir"
        assert (new.size_class, new.ikm_scale) == ("mikro", "kecil")
        assert new.capital == Decimal("250000000")
        assert sorted(c.slug for c in new.commodities.all()) == ["kacang-mede", "kerajinan-rotan"]
        assert new.name in new.search_text and desa.kecamatan.name in new.search_text
        assert "Kerajinan Rotan" in new.search_text  # its commodities are searched too
        assert search.search_businesses(Business.objects.all(), new.name).filter(pk=new.pk)
        by_capital = Business.objects.get(nib=rows[7]["nib"])
        assert (by_capital.size_class_by_capital, by_capital.size_class_by_sales) == (
            "menengah",
            "mikro",
        )
        assert Business.objects.get(nib=rows[8]["nib"]).ikm_scale == "besar"
        assert len(set(Business.objects.values_list("slug", flat=True))) == 200

        updated = Business.objects.get(pk=existing[0].pk)
        assert updated.name == "Baru " + _name(500)
        assert updated.desa == desas[1]
        assert updated.updated_at > existing[0].updated_at
        assert updated.slug == "lama-0"  # a known business keeps its address
        assert desas[1].kecamatan.name in updated.search_text
        product = updated.products.get()
        assert updated.name in product.search_text  # its products' texts name it anew
        assert desas[1].kecamatan.name in product.search_text
        changed = Business.objects.get(pk=existing[10].pk)
        assert [c.slug for c in changed.commodities.all()] == ["batik-tekstil"]
        # What the public pages show of the commodities follows (facts.py).
        assert [c.slug for c in facts.commodities(changed)] == ["batik-tekstil"]
        assert [c.slug for c in facts.commodities(new)] == ["kerajinan-rotan", "kacang-mede"]
        # ... and the directory's commodity filter (Business.listed_commodities).
        made = {p.category.slug for p in changed.products.filter(is_active=True)}
        assert {c.slug for c in changed.listed_commodities.all()} == {"batik-tekstil", *made}
        assert sorted(c.slug for c in new.listed_commodities.all()) == [
            "kacang-mede",
            "kerajinan-rotan",
        ]
        # The listing holds the business's name, which the renamed one's must follow.
        assert set(updated.listings.values_list("name", flat=True)) == {updated.name}

        # History, by whom, as staff see it in the admin.
        assert new.history.get().history_type == "+"
        assert new.history.get().history_user == admin_staff
        assert [h.history_type for h in updated.history.all()] == ["~", "+"]
        assert updated.history.first().name == updated.name
        assert LogEntry.objects.filter(user=admin_staff).count() == 200
        # Every public page that shows businesses is computed again.
        assert cached("reports", "probe", compute=lambda: "after") == "after" != before

    def test_invalid_rows_are_reported_and_nothing_is_written(self, client, admin_staff, desas):
        existing = _existing(1, desas[0])
        rows = [_row(n, desas[0]) for n in range(10)]
        rows[1]["nib"] = "12345"
        rows[2]["kode_desa"] = "99.99"
        rows[3]["founded_year"] = "th 2010"
        rows[4]["capital"] = -1
        rows[5]["nib"] = rows[0]["nib"]
        rows[6]["telepon"] = "12345"
        rows.append(_update(existing, 20, desas[1]))
        rows.append(_update(existing, 21, desas[2]))  # the same business twice
        client.force_login(admin_staff)
        response = _dry_run(client, rows)
        result = response.context["result"]
        assert response.context["confirm_form"].initial["refused_rows"] == 7
        assert not result.has_errors()  # reasons per row, not a crash of the import
        invalid = {row.number: row.error_dict for row in result.invalid_rows}
        assert set(invalid) == {2, 3, 4, 5, 6, 7, 12}
        html = response.content.decode()
        assert "NIB terdiri dari tepat 13 digit." in html
        assert "Kode desa 99.99 tidak dikenal." in html
        assert "Isi dengan angka saja" in html
        assert "NIB ini sudah ada di baris 1 berkas ini." in html
        assert "NIB ini sudah ada di baris 11 berkas ini." in html
        assert "awalan 0 atau +62" in html
        assert Business.objects.count() == 1
        assert Business.history.count() == 1
        existing.refresh_from_db()
        assert existing.name == "Lama Bougenvil 1"

        # Confirming without ticking "import the valid rows" writes nothing either.
        confirm = response.context["confirm_form"]
        refused = client.post(CONFIRM, {**confirm.initial, "resource": "0"})
        assert refused.status_code == 200
        assert "Impor baris yang valid saja" in refused.content.decode()
        assert Business.objects.count() == 1

    def test_ticked_confirm_imports_the_valid_rows_only(self, client, admin_staff, desas):
        rows = [_row(n, desas[0]) for n in range(4)]
        rows[1]["nib"] = "12345"
        rows[2]["kode_desa"] = "99.99"
        client.force_login(admin_staff)
        response = _dry_run(client, rows)
        html = response.content.decode()
        # Every refused row with its reason, and the preview of the good ones.
        assert "NIB terdiri dari tepat 13 digit." in html
        assert "Kode desa 99.99 tidak dikenal." in html
        assert _name(0) in html and _name(3) in html
        confirm = response.context["confirm_form"]
        done = client.post(CONFIRM, {**confirm.initial, "resource": "0", "import_valid_rows": "on"})
        assert done.status_code == 302
        assert set(Business.objects.values_list("nib", flat=True)) == {
            rows[0]["nib"],
            rows[3]["nib"],
        }

    def test_names_already_taken_get_the_next_free_slug(self, client, admin_staff, desas):
        BusinessFactory(
            name="Kerupuk Anyelir Anyelir Anyelir", slug="kerupuk-anyelir-anyelir-anyelir"
        )
        BusinessFactory(name="x", slug="kerupuk-anyelir-anyelir-anyelir-2")
        rows = [_row(n, desas[0], name=_name(0)) for n in range(3)]
        client.force_login(admin_staff)
        _import(client, rows)
        slugs = [Business.objects.get(nib=r["nib"]).slug for r in rows]
        base = "kerupuk-anyelir-anyelir-anyelir"
        assert slugs == [f"{base}-3", f"{base}-4", f"{base}-5"]

    def test_unchanged_rows_are_skipped_and_leave_no_history(self, client, admin_staff, desas):
        business = _existing(1, desas[0])
        business.commodities.set(Commodity.objects.filter(slug="kacang-mede"))
        exported = BusinessResource().export(Business.objects.filter(pk=business.pk)).dict[0]
        row = {column: exported.get(column, "") for column in HEADER}
        client.force_login(admin_staff)
        response = _dry_run(client, [row])
        assert [r.import_type for r in response.context["result"].rows] == ["skip"]
        _confirm(client, response)
        assert business.history.count() == 1


def _counted(client, rows):
    with CaptureQueriesContext(connection) as dry_run:
        response = _dry_run(client, rows)
    with CaptureQueriesContext(connection) as confirm:
        _confirm(client, response)
    return len(dry_run), len(confirm)


def test_queries_do_not_grow_with_the_number_of_rows(client, admin_staff, desas):
    client.force_login(admin_staff)
    _import(client, [_row(900 + n, desas[0]) for n in range(3)])  # per-process caches

    def rows(size, offset):
        existing = [_existing(offset + k, desas[k % 5]) for k in range(size // 2)]
        new = [_row(offset + k, desas[k % 5]) for k in range(size // 2)]
        return new + [
            _update(b, offset + 50 + k, desas[(k + 1) % 5]) for k, b in enumerate(existing)
        ]

    small = _counted(client, rows(20, 0))
    large = _counted(client, rows(200, 300))
    assert Business.objects.filter(name__startswith="Baru").count() == 110
    assert small == large, f"20 rows: {small} queries, 200 rows: {large} (dry run, confirm)"
    assert max(large) < 60, large
