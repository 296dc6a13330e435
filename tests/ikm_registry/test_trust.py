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


# --- Certificates expiring: the owner's dashboard and the 60/14-day e-mails -----------


def certificate(business, days, number, kind="pirt"):
    return Certificate.objects.create(
        business=business,
        kind=kind,
        number=number,
        issuer="DPMPTSP Kabupaten Tangerang",
        valid_until=None if days is None else timezone.localdate() + timedelta(days=days),
    )


def test_the_dashboard_lists_expiring_certificates_with_their_dates(client, owner, other_owner):
    business = BusinessFactory(owner=owner)
    soon = certificate(business, 30, "PIRT-SOON")
    certificate(business, -5, "PIRT-GONE")
    certificate(business, 200, "PIRT-LATER")
    certificate(business, None, "HALAL-FOREVER", kind="halal")
    certificate(BusinessFactory(owner=other_owner), 10, "PIRT-NOT-MINE")
    client.force_login(owner)
    page = client.get(reverse("ikm_registry:dashboard")).content.decode()
    listed = page[page.index("expiring-certificates") :]
    assert "PIRT-SOON" in listed and "PIRT-GONE" in listed
    assert "(30 hari lagi)" in listed
    assert f"berlaku sampai {soon.valid_until.day} " in listed
    assert "kedaluwarsa" in listed[listed.index("PIRT-GONE") :]
    assert listed.index("PIRT-GONE") < listed.index("PIRT-SOON")  # the soonest first
    for absent in ("PIRT-LATER", "HALAL-FOREVER", "PIRT-NOT-MINE"):
        assert absent not in listed
    assert reverse("ikm_registry:certificate_edit", args=[soon.pk]) in listed


def test_the_dashboard_runs_the_same_queries_with_more_certificates(client, owner):
    from tests.queries import assert_fixed_queries

    business = BusinessFactory(owner=owner)
    certificate(business, 20, "PIRT-0")
    client.force_login(owner)

    def grow():
        for i in range(1, 6):
            certificate(business, 10 + i, f"PIRT-{i}")
            certificate(BusinessFactory(owner=owner), 30 + i, f"SNI-{i}", kind="sni")

    assert_fixed_queries(client, reverse("ikm_registry:dashboard"), grow)


def reminders(today=None):
    from ikm_registry.notifications import send_certificate_reminders

    return send_certificate_reminders(today=today)


def test_the_owner_is_told_60_and_14_days_before_expiry_once_each(owner):
    owner.language = "en"
    owner.save()
    business = BusinessFactory(owner=owner)
    today = timezone.localdate()
    cert = certificate(business, 75, "PIRT-75")

    assert reminders(today) == []  # 75 days left: nothing yet
    day_60 = today + timedelta(days=15)
    assert [(c.pk, days) for c, days in reminders(day_60)] == [(cert.pk, 60)]
    assert reminders(day_60) == [] and reminders(day_60 + timedelta(days=1)) == []
    first = mail.outbox[-1]
    assert first.to == [owner.email] and "PIRT-75" in first.subject
    assert '<html lang="en">' in first.alternatives[0][0]
    assert "/en/ikm/sertifikat/" in first.body  # the link to update it, in their language

    day_14 = today + timedelta(days=61)
    assert [(c.pk, days) for c, days in reminders(day_14)] == [(cert.pk, 14)]
    assert reminders(day_14) == [] and reminders(day_14 + timedelta(days=10)) == []
    assert len(mail.outbox) == 2
    assert reminders(today + timedelta(days=80)) == []  # expired: nothing more

    # Renewed: a new expiry date arms both notices again.
    cert.valid_until = today + timedelta(days=75 + 365)
    cert.save()
    assert [days for _c, days in reminders(today + timedelta(days=15 + 365))] == [60]
    assert len(mail.outbox) == 3


def test_a_missed_day_is_caught_up_with_the_right_notice(owner):
    business = BusinessFactory(owner=owner)
    close = certificate(business, 9, "PIRT-9")  # added late: only the 14-day notice
    mid = certificate(business, 40, "PIRT-40")  # inside the 60-day window
    certificate(business, -1, "PIRT-GONE")
    certificate(business, None, "HALAL", kind="halal")
    sent = {c.number: days for c, days in reminders()}
    assert sent == {"PIRT-9": 9, "PIRT-40": 40}
    close.refresh_from_db()
    mid.refresh_from_db()
    assert close.notified_14_for == close.valid_until and close.notified_60_for is None
    assert mid.notified_60_for == mid.valid_until and mid.notified_14_for is None
    body = next(m for m in mail.outbox if "PIRT-40" in m.subject).body
    assert "40 hari lagi" in body


def test_no_reminder_for_archived_businesses_and_none_lost_without_an_address(owner):
    from ikm_registry import services

    archived = BusinessFactory(owner=owner)
    certificate(archived, 30, "PIRT-ARCHIVED")
    services.archive(business=archived, by=owner)
    nobody = BusinessFactory(owner=None, email="")
    waiting = certificate(nobody, 30, "PIRT-NOBODY")
    mail.outbox.clear()
    assert reminders() == [] and mail.outbox == []
    Business.objects.filter(pk=nobody.pk).update(email="ikm@example.com")
    assert [c.pk for c, _days in reminders()] == [waiting.pk]
    assert mail.outbox[-1].to == ["ikm@example.com"]


def test_the_daily_command_sends_the_reminders(owner):
    certificate(BusinessFactory(owner=owner), 50, "PIRT-CMD")
    out = io.StringIO()
    call_command("send_certificate_reminders", "--dry-run", stdout=out)
    assert "PIRT-CMD" in out.getvalue() and mail.outbox == []
    call_command("send_certificate_reminders", stdout=out)
    call_command("send_certificate_reminders", stdout=out)
    assert len([m for m in mail.outbox if "PIRT-CMD" in m.subject]) == 1
    assert "1 certificate reminder(s) sent" in out.getvalue()


# --- Trade terms in the owner's product form ------------------------------------------


def test_the_owner_sets_the_trade_terms_in_the_product_form(client, owner, other_owner):
    product = ProductFactory(business=BusinessFactory(owner=owner))
    assert product.port_of_loading == "Tanjung Priok, Jakarta"  # the default
    url = reverse("ikm_registry:product_edit", args=[product.pk])
    client.force_login(owner)
    form = client.get(url).content.decode()
    assert 'name="incoterms" value="FOB"' in form and 'name="samples"' in form
    data = product_post(
        name=product.name,
        category=product.category_id,
        hs_code="4602.12.90",
        lead_time_days="21",
        samples="paid",
        incoterms=["CIF", "FOB"],
        port_of_loading="Tanjung Priok, Jakarta",
        payment_terms="T/T 30% uang muka, 70% sebelum pengapalan",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.incoterms == ["FOB", "CIF"]  # in the choices' order
    assert (product.lead_time_days, product.samples) == (21, "paid")
    assert product.payment_terms.startswith("T/T 30%")
    # Another owner cannot reach the form.
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
    assert client.post(url, {**data, "payment_terms": "X"}).status_code == 404
    product.refresh_from_db()
    assert product.payment_terms.startswith("T/T 30%")


def test_unknown_incoterms_and_a_lead_time_past_a_year_are_refused(client, owner):
    product = ProductFactory(business=BusinessFactory(owner=owner))
    client.force_login(owner)
    response = client.post(
        reverse("ikm_registry:product_edit", args=[product.pk]),
        product_post(category=product.category_id, incoterms=["FOB", "XYZ"], lead_time_days="900"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "XYZ" in page and "field-error" in page
    product.refresh_from_db()
    assert product.incoterms == [] and product.lead_time_days is None


def test_staff_edit_the_trade_terms_in_the_admin(client, superuser):
    product = ProductFactory()
    client.force_login(superuser)
    page = client.get(reverse("admin:ikm_registry_product_change", args=[product.pk]))
    html = page.content.decode()
    for field in ("lead_time_days", "samples", "port_of_loading", "payment_terms"):
        assert f'name="{field}"' in html, field
    assert 'type="checkbox" name="incoterms" value="EXW"' in html


def test_export_ready_demo_products_state_their_terms(reference_data):
    from ikm_registry import demo

    demo.seed(owners=[UserFactory(full_name="Demo A"), UserFactory()], stdout=io.StringIO())
    basket = Product.objects.get(name_en="Round Rattan Basket")
    assert basket.incoterms == ["EXW", "FOB", "CIF"] and basket.lead_time_days == 30
    assert basket.port_of_loading == "Tanjung Priok, Jakarta"
    assert Product.objects.get(name_en="Roasted Cashew Original").incoterms == []  # not ready
