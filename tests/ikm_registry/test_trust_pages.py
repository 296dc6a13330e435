"""Issue #23 part 2 on the public product page: each certificate with its number, issuer,
expiry and "valid"/"expired", who verified the business and when, the export history by
country, the trade terms and an indicative dollar figure from the rate table; no
personal data; a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ikm_registry.models import Certificate
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.test_trust import certificate, usd

pytestmark = pytest.mark.django_db


# --- The public product page ----------------------------------------------------------


@pytest.fixture
def shown(db):
    """A verified business's product with two certificates, exports and terms."""
    import datetime

    verified_at = timezone.make_aware(datetime.datetime(2026, 3, 14, 10, 0))
    business = BusinessFactory(verified_at=verified_at, owner_name="Ibu Rahasia Pemilik")
    certificate(business, 400, "PIRT-VALID-123")
    certificate(business, -30, "SNI-EXPIRED-456", kind="sni")
    for country, year in [("JP", 2023), ("KR", 2021), ("JP", 2021)]:
        business.exports.create(country=country, year=year)
    product = ProductFactory(
        business=business,
        price_min=Decimal("80000"),
        price_max=Decimal("160000"),
        lead_time_days=21,
        samples="free",
        incoterms=["FOB", "CIF"],
        payment_terms="T/T 30% deposit",
    )
    return product


def product_page(client, product):
    response = client.get(reverse("ikm_registry:catalog_product", args=[product.slug]))
    assert response.status_code == 200
    return response.content.decode()


def item(page, text, within=None):
    """The list item holding `text` (the first after the `within` marker, if given)."""
    if within is not None:
        page = page[page.index(within) :]
    start = page.rindex("<li", 0, page.index(text))
    return page[start : page.index("</li>", start)]


def test_each_certificate_shows_number_issuer_expiry_and_validity(client, shown):
    page = product_page(client, shown)
    valid, expired = item(page, "PIRT-VALID-123"), item(page, "SNI-EXPIRED-456")
    assert "DPMPTSP Kabupaten Tangerang" in valid
    assert "berlaku" in valid and "kedaluwarsa" not in valid
    assert "kedaluwarsa" in expired and "cert-valid" not in expired
    expiry = Certificate.objects.get(number="PIRT-VALID-123").valid_until
    assert str(expiry.year) in valid


def test_the_page_says_who_verified_the_business_and_when(client, shown):
    page = product_page(client, shown)
    assert "Diverifikasi oleh Disperindag Kabupaten Tangerang pada 14 Maret 2026" in page


def test_the_export_history_gives_years_by_country(client, shown):
    page = product_page(client, shown)
    assert "2021, 2023" in item(page, "Jepang", within='class="export-history"')
    assert "2021" in item(page, "Korea Selatan", within='class="export-history"')


def test_the_terms_are_shown(client, shown):
    page = product_page(client, shown)
    for text in ("21 hari", "FOB, CIF", "Tanjung Priok, Jakarta", "T/T 30% deposit"):
        assert text in page, text
    assert "tersedia, gratis" in page.lower()


def test_the_dollar_figure_is_indicative_and_dated_from_the_rate_table(client, shown):
    page = product_page(client, shown)
    assert "Rp80.000" in page and "US$" not in page  # no rate in force: rupiah only
    usd("16000", days_ago=1)
    page = product_page(client, shown)
    figure = page[page.index("US$5,00") :][:600]
    assert "US$10,00" in figure and "Indikatif" in figure
    assert "Rp16.000 per US$" in figure and "Bank Indonesia: JISDOR" in figure
    day = timezone.localdate() - timedelta(days=1)
    assert f"tanggal {day.day} " in figure and f"{day.year}" in figure
    assert "Rp80.000" in page  # the rupiah price stays the offer


def test_the_page_shows_no_personal_data(client, shown):
    page = product_page(client, shown)
    assert "Ibu Rahasia Pemilik" not in page
    assert shown.business.nib not in page


def test_the_directory_profile_shows_the_same_checks(client, shown):
    business = shown.business
    page = client.get(reverse("ikm_registry:directory_business", args=[business.slug]))
    page = page.content.decode()
    assert "kedaluwarsa" in item(page, "SNI-EXPIRED-456")
    assert "Diverifikasi oleh Disperindag Kabupaten Tangerang pada 14 Maret 2026" in page
    assert "2021, 2023" in item(page, "Jepang", within='class="export-history"')


def test_the_product_page_runs_the_same_queries_with_more_data(client, shown):
    from tests.queries import assert_fixed_queries

    usd("16000", days_ago=3)
    business = shown.business

    def grow():
        for i in range(6):
            certificate(business, 100 + i, f"HALAL-{i}", kind="halal")
            certificate(business, -10 - i, f"SNI-OLD-{i}", kind="sni")
            business.exports.create(country="SG", year=2010 + i)
            usd(str(16100 + i), days_ago=4 + i)

    url = reverse("ikm_registry:catalog_product", args=[shown.slug])
    assert_fixed_queries(client, url, grow)
