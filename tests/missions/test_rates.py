"""Currencies from ISO 4217 (CLDR via Babel) and rates from the office's rate table."""

import datetime
from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.urls import reverse

from missions.admin import ExchangeRateResource
from missions.models import Deal, ExchangeRate
from tests.factories import BusinessFactory
from tests.missions.conftest import make_mission

DAY = datetime.date(2026, 10, 1)  # a Thursday


@pytest.fixture
def mission_business(db):
    return make_mission(status="completed"), BusinessFactory()


def new_deal(mission, business, **fields):
    from ikm_registry.models import Commodity

    values = {
        "mission": mission,
        "business": business,
        "buyer_name": "Rate Test Buyer",
        "commodity": Commodity.objects.get(slug="kerajinan-rotan"),
        "kind": Deal.Kind.ON_THE_SPOT,
        "amount": Decimal("1000"),
        "currency": "EUR",
        "destination_country": "DE",
        "date": DAY,
    }
    values.update(fields)
    deal = Deal(**values)
    deal.full_clean()
    deal.save()
    return deal


def rate(currency, day, value, source="jisdor"):
    return ExchangeRate.objects.create(
        currency=currency, date=day, rate_to_idr=Decimal(value), source=source
    )


def test_a_currency_outside_iso_4217_is_refused(mission_business):
    with pytest.raises(ValidationError) as exc:
        new_deal(*mission_business, currency="XYZ", rate_to_idr=Decimal(1), usd_rate=Decimal(1))
    assert "currency" in exc.value.message_dict
    assert "XYZ" in exc.value.message_dict["currency"][0]
    with pytest.raises(ValidationError):
        rate("XYZ", DAY, "1").full_clean()


def test_a_rupiah_deal_saves_without_any_rate(mission_business):
    deal = new_deal(*mission_business, currency="IDR", amount=Decimal("5000000"))
    assert deal.rate_to_idr == 1 and deal.value_idr == Decimal("5000000")
    assert deal.usd_rate is None and deal.value_usd is None  # no US$ rate in the table yet
    rate("USD", DAY, "16000")
    deal = new_deal(*mission_business, currency="IDR", amount=Decimal("5000000"))
    assert deal.value_usd == Decimal("312.50")  # the dollar value from the same table


def test_a_euro_deal_without_a_typed_rate_takes_the_tables_rate_of_its_date(mission_business):
    rate("EUR", DAY - datetime.timedelta(days=1), "17000")
    rate("EUR", DAY, "17500", source="bi_kurs_transaksi")
    rate("USD", DAY, "16000")
    deal = new_deal(*mission_business)
    assert deal.rate_to_idr == Decimal("17500") and deal.rate_date == DAY
    assert deal.rate_source == "Bank Indonesia: kurs transaksi (tengah)"
    assert deal.value_idr == Decimal("17500000") and deal.value_usd == Decimal("1093.75")


def test_a_weekend_deal_takes_the_last_rate_of_the_week_but_never_an_old_one(mission_business):
    rate("EUR", DAY, "17500")  # Thursday
    rate("USD", DAY, "16000")
    saturday = DAY + datetime.timedelta(days=2)
    deal = new_deal(*mission_business, date=saturday)
    assert deal.rate_to_idr == Decimal("17500") and deal.rate_date == DAY
    with pytest.raises(ValidationError) as exc:
        new_deal(*mission_business, date=DAY + datetime.timedelta(days=30))
    assert "Tabel kurs belum memuat kurs EUR" in exc.value.message_dict["rate_to_idr"][0]


def test_a_typed_rate_wins_over_the_table(mission_business):
    rate("EUR", DAY, "17500")
    rate("USD", DAY, "16000")
    deal = new_deal(*mission_business, rate_to_idr=Decimal("18000"), rate_source="kontrak")
    assert deal.rate_to_idr == Decimal("18000") and deal.rate_source == "kontrak"
    assert deal.value_idr == Decimal("18000000")


def test_rates_import_from_csv_and_refuse_bad_rows(db):
    data = tablib.Dataset(headers=["currency", "date", "rate_to_idr", "source", "notes"])
    data.append(["USD", "2026-10-01", "16250.5", "jisdor", ""])
    data.append(["KRW", "2026-10-01", "11.42", "bi_kurs_transaksi", ""])
    data.append(["XYZ", "2026-10-01", "1", "office", ""])
    result = ExchangeRateResource().import_data(data, dry_run=True)
    assert result.has_validation_errors() and len(result.invalid_rows) == 1
    good = tablib.Dataset(headers=data.headers)
    good.append(data[0])
    good.append(data[1])
    result = ExchangeRateResource().import_data(good, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert ExchangeRate.objects.on("KRW", DAY).rate_to_idr == Decimal("11.42")
    # Importing the same file again changes nothing (currency and date identify a row).
    ExchangeRateResource().import_data(good, dry_run=False)
    assert ExchangeRate.objects.count() == 2


def test_staff_edit_rates_in_the_admin(client, coordinator, db):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:missions_exchangerate_add"),
        {"currency": "EUR", "date": "2026-10-01", "rate_to_idr": "17500", "source": "office"},
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("admin:missions_exchangerate_add"),
        {"currency": "XYZ", "date": "2026-10-02", "rate_to_idr": "1", "source": "office"},
    )
    assert bad.status_code == 200 and ExchangeRate.objects.count() == 1
    assert client.get(reverse("admin:missions_exchangerate_import")).status_code == 200
    body = client.get(reverse("admin:missions_exchangerate_changelist")).content.decode()
    assert "17500" in body.replace(".", "").replace(",", "")


def test_the_owner_form_offers_iso_codes_and_refuses_others(client, owner, db):
    from missions.forms import CurrencyField

    field = CurrencyField()
    assert field.clean("krw") == "KRW"
    with pytest.raises(ValidationError):
        field.clean("XYZ")
    codes = {code for code, _label in field.choices}
    assert {"IDR", "USD", "EUR", "KRW", "JPY"} <= codes and "XXX" not in codes
