"""Money as Indonesians type it: "25.000.000", "Rp 25.000.000", "2,5" (issue #22)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ikm_registry.fields import MoneyField
from ikm_registry.forms import BusinessForm, ProductForm
from ikm_registry.models import Business
from tests.ikm_registry.test_owner_views import VALID


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25.000.000", Decimal("25000000")),
        ("Rp 25.000.000", Decimal("25000000")),
        ("Rp25.000.000", Decimal("25000000")),
        ("rp. 25.000.000,-", Decimal("25000000")),
        ("25000000", Decimal("25000000")),
        ("2,5", Decimal("2.5")),
        ("1.250.000,75", Decimal("1250000.75")),
        ("1.500", Decimal("1500")),
        ("2.5", Decimal("2.5")),
        (" 25 000 000 ", Decimal("25000000")),
    ],
)
def test_indonesian_amounts_are_read(typed, expected):
    with translation.override("id"):
        assert MoneyField(max_digits=18, decimal_places=2).clean(typed) == expected


def test_english_pages_read_english_grouping():
    with translation.override("en"):
        assert MoneyField(max_digits=18, decimal_places=2).clean("25,000,000.50") == Decimal(
            "25000000.50"
        )


@pytest.mark.parametrize("typed", ["25.000000", "25.00.000", "abc", "1,2,3", "Rp", "--5"])
def test_impossible_amounts_say_what_to_type(typed):
    field = MoneyField(max_digits=18, decimal_places=2, required=False)
    with translation.override("id"), pytest.raises(Exception) as caught:
        field.clean(typed)
    assert caught.value.messages == ["Tulis jumlah dengan angka, mis. 25.000.000 atau 2,5."]


def test_too_many_decimals_and_negative_amounts_are_explained():
    field = MoneyField(max_digits=18, decimal_places=2, min_value=0)
    with translation.override("id"):
        with pytest.raises(Exception) as caught:
            field.clean("2,555")
        assert "angka di belakang koma" in caught.value.messages[0]
        with pytest.raises(Exception) as caught:
            field.clean("-5")
        assert caught.value.messages == ["Jumlah tidak boleh negatif."]


@pytest.mark.django_db
def test_owner_forms_use_the_money_field_with_a_numeric_keypad():
    business = BusinessForm()
    product = ProductForm()
    for form, names in (
        (business, ["capital", "annual_sales", "investment"]),
        (product, ["price_min", "price_max", "fob_price_usd"]),
    ):
        for name in names:
            assert isinstance(form.fields[name], MoneyField), name
            html = str(form[name])
            assert 'inputmode="decimal"' in html, name
            assert 'type="text"' in html, name


@pytest.mark.django_db
class TestBusinessFormMoney:
    url = reverse("ikm_registry:business_create")

    def test_capital_typed_with_dots_is_saved_and_shown_grouped(self, client, owner):
        client.force_login(owner)
        data = {**VALID, "capital": "25.000.000", "annual_sales": "Rp 900.000.000"}
        response = client.post(self.url, data)
        assert response.status_code == 302, response.context["form"].errors
        business = Business.objects.get(owner=owner)
        assert business.capital == Decimal("25000000")
        assert business.annual_sales == Decimal("900000000")
        html = client.get(reverse("ikm_registry:business_edit", args=[business.pk])).content
        assert b'value="25.000.000"' in html
        assert b'value="900.000.000"' in html

    def test_an_impossible_amount_is_refused_and_what_was_typed_stays(self, client, owner):
        client.force_login(owner)
        response = client.post(self.url, {**VALID, "capital": "25.000000"})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'value="25.000000"' in html
        assert "Tulis jumlah dengan angka, mis. 25.000.000 atau 2,5." in html
        assert not Business.objects.filter(owner=owner).exists()


@pytest.mark.django_db
def test_product_prices_keep_cents_and_group_thousands():
    form = ProductForm(
        data={
            "name": "Keranjang rotan",
            "unit": "buah",
            "price_min": "Rp 150.000",
            "price_max": "1.250.000,50",
            "is_active": "on",
        }
    )
    form.is_valid()  # the category is missing: only the prices matter here
    assert not {"price_min", "price_max"} & set(form.errors)
    assert form.cleaned_data["price_min"] == Decimal("150000")
    assert form.cleaned_data["price_max"] == Decimal("1250000.50")
    with translation.override("id"):
        shown = ProductForm(initial={"price_max": Decimal("1250000.50")})
        assert 'value="1.250.000,50"' in str(shown["price_max"])
