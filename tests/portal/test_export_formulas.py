"""Every cell written from user text stays text in the spreadsheets this helper's part
of the portal writes: the owner's own data (XLSX) and the admin business export (XLSX
and CSV). Each text column gets a value a spreadsheet would run as a formula."""

import io

import pytest
from django.db import models
from openpyxl import load_workbook

from ikm_registry.models import Business, Certificate, Product
from ikm_registry.resources import BusinessResource
from ikm_registry.services import owner_data_xlsx
from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db

PAYLOADS = ["=1+1", "+cmd", "-1", "@SUM(A1)", "\t=1+1"]


def text_fields(model):
    """Every free-text column of `model` (slugs and choices are not typed by users)."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not field.choices
        and field.name not in {"slug", "nik"}
    ]


def poisoned(obj, name, payload):
    """The payload marked with the column's name, or the bare payload (cut to fit) where
    the column is too short for both (PostgreSQL refuses what SQLite would store)."""
    value = f"{payload}§{name}"
    limit = obj._meta.get_field(name).max_length
    return value if limit is None or len(value) <= limit else payload[:limit]


def poison(payload, owner):
    business = BusinessFactory(owner=owner)
    product = ProductFactory(business=business)
    certificate = Certificate.objects.create(business=business, kind="halal", number="1")
    for obj in (business, product, certificate):
        fields = text_fields(type(obj))
        # Each column its own value, all starting like a formula.
        type(obj).objects.filter(pk=obj.pk).update(**{f: poisoned(obj, f, payload) for f in fields})
    return business


def assert_no_formula(rows, payload):
    seen = 0
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str) and "§" in cell.value:
                assert cell.value.startswith("'" + payload + "§"), cell.value
                seen += 1
    return seen


@pytest.mark.parametrize("payload", PAYLOADS)
def test_owner_data_xlsx_keeps_every_text_cell_text(owner, payload):
    poison(payload, owner)
    book = load_workbook(io.BytesIO(owner_data_xlsx(owner)))
    seen = {name: assert_no_formula(book[name].iter_rows(), payload) for name in book.sheetnames}
    # Every poisoned column that the file carries came back as text.
    assert seen["usaha"] >= 5 and seen["produk"] >= 4 and seen["sertifikat"] >= 2


@pytest.mark.parametrize("payload", PAYLOADS)
def test_admin_business_export_keeps_every_text_cell_text(owner, payload):
    poison(payload, owner)
    dataset = BusinessResource().export(Business.objects.all())
    book = load_workbook(io.BytesIO(dataset.export("xlsx")))
    assert assert_no_formula(book.active.iter_rows(), payload) >= 5
    # CSV: no line has a cell that starts with a formula character.
    for line in dataset.export("csv").splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.strip('"').startswith(("=", "+", "@", "\t")), line


def test_numbers_are_left_alone_in_the_owner_data(owner):
    business = BusinessFactory(owner=owner)
    ProductFactory(business=business, min_order=1234)
    book = load_workbook(io.BytesIO(owner_data_xlsx(owner)))
    values = [cell.value for row in book["produk"].iter_rows(min_row=2) for cell in row]
    assert "1234.00" in values  # as it was, without a quote


def test_the_text_columns_are_found(owner):
    assert {"name", "address", "owner_name"} <= set(text_fields(Business))
    assert {"name", "description"} <= set(text_fields(Product))
    assert {"number", "issuer"} <= set(text_fields(Certificate))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_admin_exchange_rate_export_keeps_the_notes_text(payload):
    import datetime
    from decimal import Decimal

    from missions.admin import ExchangeRateResource
    from missions.models import ExchangeRate

    ExchangeRate.objects.create(
        currency="USD",
        date=datetime.date(2026, 12, 1),
        rate_to_idr=Decimal("16000"),
        source=ExchangeRate.Source.choices[0][0],
        notes=f"{payload}§notes",
    )
    dataset = ExchangeRateResource().export(ExchangeRate.objects.all())
    book = load_workbook(io.BytesIO(dataset.export("xlsx")))
    assert assert_no_formula(book.active.iter_rows(), payload) == 1
    row = [cell.value for cell in book.active[2]]
    assert any(str(value).startswith("16000") for value in row), row  # no quote before it
