"""Issue #23 part 2: what a foreign buyer checks before writing, and what keeps it true.

The HS code suggested from the commodity (and the corrected demo codes), the owner's
dashboard list of expiring certificates, the 60- and 14-day reminders (once each), the
trade terms in the product form, and the public product page: certificates with
"valid"/"expired", the verification date, the export history, the terms and an
indicative dollar figure from the rate table.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ikm_registry.hs import suggest_hs_code
from ikm_registry.models import Business, Certificate, Commodity, Product
from ikm_registry.pricing import indicative_usd, usd_rate
from tests.factories import BusinessFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def commodity(slug):
    return Commodity.objects.get(slug=slug)


# --- HS code suggested from the commodity -------------------------------------------


@pytest.mark.parametrize(
    ("slug", "names", "code"),
    [
        ("kacang-mede", ["Kacang Mede Panggang Original", "Roasted Cashew Original"], "2008.19"),
        ("kacang-mede", ["Mede Sangrai Madu"], "2008.19"),
        ("kacang-mede", ["Kacang Mede Kupas", "Shelled Cashew"], "0801.32.00"),
        ("furnitur", ["Kursi Teras Rotan Sintetis", "Synthetic Rattan Patio Chair"], "9401.79"),
        ("furnitur", ["Kursi Rotan Bulat"], "9401.53"),
        ("furnitur", ["Meja Rotan"], "9403.83.00"),
        ("kerajinan-rotan", ["Keranjang Rotan Bulat"], "4602.12.90"),
        ("gula-semut", ["Gula Semut Kelapa"], "1702.90.51"),
        ("gula-semut", ["Gula Semut Aren"], "1702.90.59"),
    ],
)
def test_the_hs_code_is_suggested_from_the_commodity_and_the_name(slug, names, code):
    assert suggest_hs_code(commodity(slug), *names).code == code


def test_nothing_is_suggested_without_a_commodity_or_a_default():
    assert suggest_hs_code(None, "Kursi") is None
    assert suggest_hs_code(commodity("batik-tekstil"), "Kain Batik Cap") is None


def product_post(**changes):
    return {
        "name": "Kacang Mede Panggang Madu",
        "name_en": "Honey Roasted Cashew",
        "category": commodity("kacang-mede").pk,
        "unit": "kg",
        "price_min": "150000",
        "price_max": "180000",
        "is_active": "on",
        **changes,
    }


def test_an_empty_hs_code_is_filled_with_the_suggestion_and_the_owner_told(client, owner):
    business = BusinessFactory(owner=owner)
    client.force_login(owner)
    response = client.post(
        reverse("ikm_registry:product_create", args=[business.pk]), product_post(), follow=True
    )
    product = Product.objects.get(business=business)
    assert product.hs_code == "2008.19"
    assert "Kode HS diisi dengan saran 2008.19" in response.content.decode()


def test_the_owner_may_change_the_suggested_hs_code(client, owner):
    business = BusinessFactory(owner=owner)
    client.force_login(owner)
    client.post(
        reverse("ikm_registry:product_create", args=[business.pk]),
        product_post(hs_code="0801.32.00"),
    )
    assert Product.objects.get(business=business).hs_code == "0801.32.00"


def test_the_edit_form_names_the_suggestion_when_the_code_differs(client, owner):
    product = ProductFactory(
        business=BusinessFactory(owner=owner),
        category=commodity("kacang-mede"),
        name="Kacang Mede Goreng",
        hs_code="0801.32.00",
    )
    client.force_login(owner)
    page = client.get(reverse("ikm_registry:product_edit", args=[product.pk])).content.decode()
    assert "Saran untuk produk ini: 2008.19" in page


def test_the_demo_data_carries_the_corrected_hs_codes(reference_data):
    from ikm_registry import demo

    owners = [UserFactory(full_name="Demo A"), UserFactory(full_name="Demo B")]
    demo.seed(owners=owners, stdout=io.StringIO())
    cashew = Product.objects.get(name_en="Roasted Cashew Original")
    chair = Product.objects.get(name="Kursi Teras Rotan Sintetis")
    assert cashew.hs_code == "2008.19"
    assert chair.hs_code.startswith("9401")
    # A database seeded before the correction is mended by the next seeding.
    Product.objects.filter(pk=cashew.pk).update(hs_code="0801.32.00")
    Product.objects.filter(pk=chair.pk).update(hs_code="9403.83.00")
    demo.seed(owners=owners, stdout=io.StringIO())
    assert Product.objects.get(pk=cashew.pk).hs_code == "2008.19"
    assert Product.objects.get(pk=chair.pk).hs_code.startswith("9401")


# --- Indicative US dollars from the rate table --------------------------------------


def usd(rate, days_ago=0, source="jisdor"):
    from missions.models import ExchangeRate

    return ExchangeRate.objects.create(
        currency="USD",
        date=timezone.localdate() - timedelta(days=days_ago),
        rate_to_idr=Decimal(rate),
        source=source,
    )


def test_the_dollar_figure_comes_from_the_rate_in_force():
    usd("15000", days_ago=30)  # too old to be in force
    assert usd_rate() is None
    row = usd("16000", days_ago=2)
    product = ProductFactory.build(price_min=Decimal("80000"), price_max=Decimal("160000"))
    price = indicative_usd(product, usd_rate())
    assert (price.low, price.high) == (Decimal("5.00"), Decimal("10.00"))
    assert price.date == row.date and price.rate == Decimal("16000")
    assert indicative_usd(ProductFactory.build(price_min=None, price_max=None), row) is None
    assert indicative_usd(product, None) is None
