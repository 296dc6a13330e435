from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ikm_registry.models import (
    ikm_scale_permenperin,
    size_class_by_capital,
    size_class_by_sales,
    size_class_pp7,
)
from ikm_registry.validators import clean_nib, clean_nik, normalize_phone, split_npwp

M = Decimal(1_000_000_000)


class TestNib:
    def test_thirteen_digits_pass_with_spaces_removed(self):
        assert clean_nib("9120 0012 34567") == "9120001234567"

    @pytest.mark.parametrize("value", ["912000123456", "91200012345678", "", "abcdefghijklm"])
    def test_other_lengths_are_refused(self, value):
        with pytest.raises(ValidationError, match="13 digit"):
            clean_nib(value)


class TestNik:
    def test_sixteen_digits_pass(self):
        assert clean_nik("3603 1234 5678 0001") == "3603123456780001"

    def test_empty_is_allowed(self):
        assert clean_nik("") == ""

    @pytest.mark.parametrize("value", ["360312345678000", "36031234567800012"])
    def test_wrong_length_is_refused(self, value):
        with pytest.raises(ValidationError, match="16 digit"):
            clean_nik(value)

    def test_zero_region_code_is_refused(self):
        with pytest.raises(ValidationError):
            clean_nik("0003123456780001")


class TestNpwp:
    def test_legacy_fifteen_digits_with_punctuation(self):
        assert split_npwp("09.254.294.3-407.000") == ("092542943407000", "0092542943407000")

    def test_company_sixteen_digits_also_give_the_fifteen(self):
        assert split_npwp("0092542943407000") == ("092542943407000", "0092542943407000")

    def test_individual_sixteen_digits_have_no_fifteen(self):
        assert split_npwp("3603123456780001") == ("", "3603123456780001")

    @pytest.mark.parametrize("value", ["12345678901234", "12345678901234567"])
    def test_other_lengths_are_refused(self, value):
        with pytest.raises(ValidationError, match="15 atau 16"):
            split_npwp(value)


class TestPhone:
    @pytest.mark.parametrize(
        "value",
        ["0812-3456-7890", "081234567890", "+62 812 3456 7890", "62812-3456-7890"],
    )
    def test_mobile_forms_become_e164(self, value):
        assert normalize_phone(value) == "+6281234567890"

    def test_jakarta_landline(self):
        assert normalize_phone("(021) 5550123") == "+62215550123"

    @pytest.mark.parametrize("value", ["+65 8123 4567", "812345", "08041234567", "12345678"])
    def test_bad_numbers_are_refused(self, value):
        with pytest.raises(ValidationError):
            normalize_phone(value)


class TestSizeClassPP7:
    @pytest.mark.parametrize(
        ("capital", "expected"),
        [
            (0, "mikro"),
            (1 * M, "mikro"),
            (1 * M + 1, "kecil"),
            (5 * M, "kecil"),
            (5 * M + 1, "menengah"),
            (10 * M, "menengah"),
            (10 * M + 1, "besar"),
        ],
    )
    def test_capital_boundaries(self, capital, expected):
        assert size_class_by_capital(capital) == expected
        assert size_class_pp7(capital=capital) == expected  # the catalog's, sales unknown

    @pytest.mark.parametrize(
        ("sales", "expected"),
        [
            (2 * M, "mikro"),
            (2 * M + 1, "kecil"),
            (15 * M, "kecil"),
            (15 * M + 1, "menengah"),
            (50 * M, "menengah"),
            (50 * M + 1, "besar"),
        ],
    )
    def test_sales_boundaries(self, sales, expected):
        assert size_class_by_sales(sales) == expected
        assert size_class_pp7(capital=100 * M, annual_sales=sales) == expected

    def test_sales_decide_the_programs_class_capital_the_registrations(self):
        """Issue #20: Rp1,5 miliar capital with Rp40 miliar sales."""
        assert size_class_by_capital(Decimal("1.5") * M) == "kecil"
        assert size_class_by_sales(40 * M) == "menengah"
        assert size_class_pp7(capital=Decimal("1.5") * M, annual_sales=40 * M) == "menengah"

    def test_unknown_without_either(self):
        assert size_class_pp7() == ""
        assert size_class_by_capital(None) == size_class_by_sales(None) == ""


class TestIkmScale:
    @pytest.mark.parametrize(
        ("workers", "investment", "expected"),
        [
            (19, M - 1, "kecil"),
            (19, M, "menengah"),
            (20, M - 1, "menengah"),
            (20, 15 * M, "menengah"),
            (20, 15 * M + 1, "besar"),
        ],
    )
    def test_permenperin_64_2016(self, workers, investment, expected):
        assert ikm_scale_permenperin(workers=workers, investment=investment) == expected


@pytest.mark.django_db
def test_business_save_derives_both_classes_and_encrypts_nik():
    from django.db import connection

    from tests.factories import BusinessFactory

    business = BusinessFactory(
        capital=Decimal("1500000000"), workers_female=5, workers_male=5, nik="3603123456780001"
    )
    business.refresh_from_db()
    assert business.size_class == "kecil"
    assert (business.size_class_by_capital, business.size_class_by_sales) == ("kecil", "")
    assert business.ikm_scale == "menengah"  # investment falls back to capital
    assert business.nik == "3603123456780001"
    assert business.nik_masked == "3603••••••••0001"
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM ikm_registry_business WHERE id = %s", [business.pk])
        stored = cursor.fetchone()[0]
    assert "3603123456780001" not in stored
    assert stored.startswith("fernet:")
