"""Journeys across the portal, in Chromium at phone and desktop size (issue #8).

An IKM owner signs up, confirms the e-mail from the outbox, registers a business with a
product and a photo and submits it; staff verify it in the admin; a visitor finds it by
search and sends an inquiry (in English too); a visitor browses the event calendar and
downloads an event's .ics, in both languages; an owner joins a trade mission, staff
accept, schedule and record deals, and the report adds the deals up.
"""

import calendar
import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from ikm_registry.models import Business, Inquiry
from tests.e2e.conftest import assert_page_is_sound
from tests.e2e.steps import confirm_and_log_in, jpeg, run_admin_action, sign_up
from tests.e2e.test_pages import login_browser
from tests.factories import BusinessFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "anyaman-rotan-99"


@pytest.mark.django_db(transaction=True)
def test_owner_signs_up_registers_and_submits_staff_verify_visitor_finds_and_asks(
    live_server, context_factory, size, tmp_path, settings
):
    settings.FORM_MIN_FILL_SECONDS = 0
    email = f"pengrajin-{size}@example.com"

    # The owner signs up, confirms the address from the outbox and logs in.
    context = context_factory(size)
    page = context.new_page()
    sign_up(page, live_server, full_name="Sari Wulandari", email=email, password=PASSWORD)
    assert_page_is_sound(page, f"journey-signup-done-{size}")
    owner = get_user_model().objects.get(email=email)
    assert owner.email_confirmed_at is None
    confirm_and_log_in(
        page, live_server, email=email, password=PASSWORD, check_as=f"journey-confirmed-{size}"
    )
    owner.refresh_from_db()
    assert owner.email_confirmed_at is not None

    # The owner creates the business from the dashboard.
    page.goto(live_server.url + "/ikm/dasbor/")
    assert_page_is_sound(page, f"journey-dashboard-{size}")
    page.get_by_role("link", name="Daftarkan usaha").first.click()
    page.wait_for_url("**/ikm/usaha/baru/")
    assert_page_is_sound(page, f"journey-business-form-{size}")
    page.locator("#id_name").fill("Anyaman Rotan Talaga")
    page.locator("#id_nib").fill("9120000009999")
    page.locator("#id_owner_name").fill("Sari Wulandari")
    page.locator("#id_address").fill("Jl. Raya Serang Km 18,5")
    page.locator("#id_kecamatan").select_option("36.03.18")  # Cikupa: then only its desa
    page.locator("#id_desa").select_option("36.03.18.2004")
    page.locator("#id_phone").fill("0812-3456-7890")
    page.get_by_label("Kerajinan Rotan").check()
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/ikm/usaha/*/")
    business = Business.objects.get(nib="9120000009999")
    assert business.owner == owner
    assert business.phone == "+6281234567890"
    assert business.status == Business.Status.DRAFT
    assert_page_is_sound(page, f"journey-business-detail-{size}")

    # A product with a photo.
    page.get_by_role("link", name="Tambah produk").click()
    page.wait_for_url("**/produk/baru/")
    assert_page_is_sound(page, f"journey-product-form-{size}")
    page.locator("#id_name").fill("Keranjang Rotan Talaga")
    page.locator("#id_name_en").fill("Talaga Rattan Basket")
    page.locator("#id_category").select_option(label="Kerajinan Rotan")
    page.get_by_role("button", name="Simpan produk").click()
    page.wait_for_url("**/ikm/produk/*/")
    page.locator("#id_image").set_input_files(jpeg(tmp_path))
    page.get_by_label("Keterangan foto").fill("Keranjang rotan bundar berwarna cokelat")
    page.get_by_role("button", name="Unggah foto").click()
    photo = page.get_by_role("img", name="Keranjang rotan bundar berwarna cokelat")
    expect(photo).to_be_visible()  # the page after the upload's redirect
    assert business.products.get().photos.count() == 1
    assert_page_is_sound(page, f"journey-product-with-photo-{size}")

    # Submit for verification.
    page.goto(live_server.url + f"/ikm/usaha/{business.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Ajukan verifikasi").click()
    business.refresh_from_db()
    assert business.status == Business.Status.SUBMITTED

    # Staff verify it with the admin action.
    staff = UserFactory(email=f"staf-{size}@example.com", is_staff=True, is_superuser=True)
    admin_context = context_factory(size)
    login_browser(admin_context, staff, live_server)
    admin = admin_context.new_page()
    run_admin_action(
        admin,
        live_server.url + "/admin/ikm_registry/business/?status__exact=submitted",
        business.pk,
        "verify",
    )
    business.refresh_from_db()
    assert business.status == Business.Status.VERIFIED
    assert any(business.name in m.subject + m.body for m in mail.outbox)

    # A visitor finds the product by search and sends an inquiry.
    visitor = context_factory(size).new_page()
    visitor.goto(live_server.url + "/katalog/")
    visitor.locator("input[name='q']").fill("keranjang rotan talaga")
    visitor.locator("input[name='q']").press("Enter")
    # The unsearched catalog may list the product too: wait for the results before the
    # click, and for the product page before checking it.
    visitor.wait_for_url("**/katalog/?*q=keranjang*")
    visitor.get_by_role("link", name="Keranjang Rotan Talaga").first.click()
    expect(visitor.locator("h1")).to_have_text("Keranjang Rotan Talaga")
    assert_page_is_sound(visitor, f"journey-product-{size}")
    visitor.get_by_role("link", name="Tanyakan produk ini").click()
    visitor.wait_for_url("**/tanya/")
    visitor.locator("#id_name").fill("Kim Min-jun")
    visitor.locator("#id_company").fill("Busan Living Co.")
    visitor.locator("#id_country").select_option("KR")
    visitor.locator("#id_email").fill("buyer@example.kr")
    visitor.locator("#id_quantity").fill("500 pcs")
    visitor.locator("#id_message").fill("Please send your price list for 500 baskets.")
    visitor.get_by_role("button", name="Kirim permintaan").click()
    expect(visitor.get_by_text("Terima kasih. Permintaan Anda sudah dikirim")).to_be_visible()
    inquiry = Inquiry.objects.get(email="buyer@example.kr")
    assert inquiry.business == business
    assert {email} <= {address for m in mail.outbox for address in m.to}

    visitor.goto(live_server.url + "/en/katalog/?q=rattan+basket")
    assert visitor.get_by_role("link", name="Talaga Rattan Basket").count() >= 1


@pytest.mark.django_db(transaction=True)
def test_visitor_finds_a_product_by_search_and_asks_in_english(
    live_server, context_factory, size, settings
):
    settings.FORM_MIN_FILL_SECONDS = 0
    owner = UserFactory(email=f"rotan-{size}@example.com")
    business = BusinessFactory(owner=owner, name="Anyaman Rotan Talaga")
    product = ProductFactory(
        business=business,
        name="Keranjang Rotan Talaga",
        name_en="Talaga Rattan Basket",
        description="Keranjang anyaman tangan dari rotan Cikupa.",
        description_en="A hand-woven basket of Cikupa rattan.",
    )

    page = context_factory(size, locale="en-GB").new_page()
    page.goto(live_server.url + "/en/")
    page.get_by_role("link", name="IKM Catalog").first.click()
    page.wait_for_url("**/en/katalog/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "IKM product catalog"
    page.get_by_label("Search", exact=True).fill("rattan basket")
    page.get_by_label("Search", exact=True).press("Enter")
    page.wait_for_url("**/en/katalog/?*q=rattan+basket*")
    assert page.locator(".result-count").inner_text() == "1 product found"
    assert_page_is_sound(page, f"journey-en-search-{size}")

    page.get_by_role("link", name="Talaga Rattan Basket").first.click()
    page.wait_for_url(f"**/en/katalog/{product.slug}/")
    assert page.locator("h1").inner_text() == "Talaga Rattan Basket"
    assert page.get_by_text("A hand-woven basket of Cikupa rattan.").is_visible()
    assert page.get_by_role("heading", name="Ask about this product").is_visible()
    assert_page_is_sound(page, f"journey-en-product-{size}")
    page.get_by_role("link", name="Ask about this product").click()
    page.wait_for_url("**/tanya/")
    page.get_by_label("Your name").fill("Jane Miller")
    page.locator("#id_company").fill("Leeds Home Goods Ltd")
    page.get_by_label("Country").select_option("GB")
    page.locator("#id_email").fill("jane@example.co.uk")
    page.locator("#id_quantity").fill("300 pcs")
    page.locator("#id_message").fill("Could you quote FOB Jakarta for 300 baskets?")
    page.get_by_role("button", name="Send an inquiry").click()
    thanks = page.get_by_text("Thank you. Your inquiry has been sent to Anyaman Rotan Talaga")
    expect(thanks).to_be_visible()
    inquiry = Inquiry.objects.get(email="jane@example.co.uk")
    assert (inquiry.product, inquiry.business, inquiry.language) == (product, business, "en")
    assert any(owner.email in m.to for m in mail.outbox)


ID_MONTHS = [
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
CALENDAR_TEXT = {
    "id": {
        "prefix": "",
        "events": "Acara Gerai",
        "title": "Bazar Kreatif Gemilang",
        "ics": "Tambahkan ke kalender (.ics)",
        "booths": "Stan IKM",
        "month_view": "Kalender bulanan",
        "heading": "Kalender acara {month} {year}",
        "next": "Bulan berikutnya",
        "prev": "Bulan sebelumnya",
        "months": ID_MONTHS,
    },
    "en": {
        "prefix": "/en",
        "events": "Gerai Events",
        "title": "Gemilang Craft Bazaar",
        "ics": "Add to calendar (.ics)",
        "booths": "IKM booths",
        "month_view": "Month calendar",
        "heading": "Events calendar, {month} {year}",
        "next": "Next month",
        "prev": "Previous month",
        "months": list(calendar.month_name),
    },
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", list(CALENDAR_TEXT))
def test_visitor_browses_the_calendar_and_downloads_an_event(
    live_server, context_factory, size, lang
):
    from tests.gerai.factories import BoothEventFactory

    text = CALENDAR_TEXT[lang]
    event = BoothEventFactory(
        title="Bazar Kreatif Gemilang",
        title_en="Gemilang Craft Bazaar",
        slug="bazar-kreatif-gemilang",
    )
    page = context_factory(size).new_page()
    page.goto(live_server.url + text["prefix"] + "/gerai/acara/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == text["events"]
    assert_page_is_sound(page, f"journey-events-{lang}-{size}")

    # The event page, and its .ics downloaded from the link.
    page.get_by_role("link", name=text["title"]).first.click()
    page.wait_for_url(f"**{text['prefix']}/gerai/acara/{event.slug}/")
    assert page.locator("h1").inner_text().strip() == text["title"]
    assert page.get_by_role("heading", name=text["booths"]).is_visible()
    assert_page_is_sound(page, f"journey-event-{lang}-{size}")
    with page.expect_download() as download:
        page.get_by_role("link", name=text["ics"]).click()
    assert download.value.suggested_filename == f"{event.slug}.ics"
    ics = Path(download.value.path()).read_text()
    assert ics.startswith("BEGIN:VCALENDAR")
    assert f"SUMMARY:{text['title']}" in ics

    # The month calendar: this month, the next, and back, with plain links.
    today = timezone.localdate()
    following = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)

    def heading(day):
        return text["heading"].format(month=text["months"][day.month], year=day.year)

    def shown_in_month(page, title):
        # The table on a desktop, the agenda on a phone: the other is hidden, and roles
        # count only what is shown.
        month = page.locator("table, .month-agenda")
        return month.get_by_role("link", name=title).count()

    page.goto(live_server.url + text["prefix"] + "/gerai/acara/")
    # Every page here has an <h1>: expect() waits for the new page's, inner_text() would
    # read whichever page is there.
    page.get_by_role("link", name=text["month_view"]).click()
    expect(page.locator("h1")).to_have_text(heading(today))
    assert_page_is_sound(page, f"journey-calendar-{lang}-{size}")
    event_day = timezone.localtime(event.start).date()
    if (event_day.year, event_day.month) == (today.year, today.month):
        assert shown_in_month(page, text["title"]) == 1
    page.get_by_role("link", name=text["next"]).click()
    page.wait_for_url(f"**/kalender/{following.year}/{following.month}/")
    assert page.locator("h1").inner_text() == heading(following)
    if (event_day.year, event_day.month) == (following.year, following.month):
        assert shown_in_month(page, text["title"]) == 1
    page.get_by_role("link", name=text["prev"]).click()
    expect(page.locator("h1")).to_have_text(heading(today))


@pytest.mark.django_db(transaction=True)
def test_owner_joins_a_mission_staff_accept_schedule_record_deals_and_the_report_adds_them(
    live_server, context_factory, size
):
    from missions.models import Deal, Meeting, Participation, TradeMission
    from tests.missions.conftest import make_buyer, make_mission

    owner = UserFactory(email=f"mede-{size}@example.com")
    business = BusinessFactory(owner=owner, name="Mede Cikupa Jaya")
    product = ProductFactory(business=business, name="Kacang Mede Panggang")
    mission = make_mission(title="Temu Bisnis Busan", slug=f"temu-bisnis-busan-{size}")
    buyer = make_buyer(company="Busan Nuts Trading")

    # The owner applies from the mission page.
    context = context_factory(size)
    login_browser(context, owner, live_server)
    page = context.new_page()
    page.goto(live_server.url + f"/misi-dagang/{mission.slug}/")
    assert page.locator("h1").inner_text() == "Temu Bisnis Busan"
    assert_page_is_sound(page, f"journey-mission-{size}")
    page.get_by_role("link", name="Daftar misi ini").click()
    page.wait_for_url(f"**/misi-dagang/{mission.slug}/daftar/")
    assert_page_is_sound(page, f"journey-mission-apply-{size}")
    page.get_by_label("Kacang Mede Panggang").check()
    page.get_by_role("button", name="Kirim pendaftaran").click()
    page.wait_for_url("**/misi-dagang/saya/")
    participation = Participation.objects.get(mission=mission, business=business)
    assert participation.status == Participation.Status.APPLIED
    assert list(participation.products.all()) == [product]
    assert "Temu Bisnis Busan" in page.locator("tr", has_text="Mede Cikupa Jaya").inner_text()
    assert_page_is_sound(page, f"journey-my-missions-{size}")

    # Staff shortlist and accept it in the admin.
    staff = UserFactory(email=f"koordinator-{size}@example.com", is_staff=True, is_superuser=True)
    admin_context = context_factory(size)
    login_browser(admin_context, staff, live_server)
    admin = admin_context.new_page()
    changelist = live_server.url + f"/admin/missions/participation/?mission__id__exact={mission.pk}"
    for action in ("mark_shortlisted", "mark_accepted"):
        run_admin_action(admin, changelist, participation.pk, action)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.ACCEPTED

    # The mission takes place: staff schedule a meeting in the grid.
    today = timezone.localdate()
    TradeMission.objects.filter(pk=mission.pk).update(
        start_date=today,
        end_date=today + datetime.timedelta(days=1),
        registration_opens=timezone.now() - datetime.timedelta(days=20),
        registration_closes=timezone.now() - datetime.timedelta(days=1),
        status=TradeMission.Status.ONGOING,
    )
    admin.goto(
        live_server.url + f"/admin/missions/trademission/{mission.pk}/jadwal/?date={today:%Y-%m-%d}"
    )
    admin.locator("#id_participation").select_option(str(participation.pk))
    admin.locator("#id_buyer").select_option(str(buyer.pk))
    admin.locator("#id_time").fill("10:00")
    admin.locator("#id_table").fill("3")
    with admin.expect_navigation():
        admin.locator("input[type='submit'][value='Jadwalkan']").click()
    meeting = Meeting.objects.get(mission=mission)
    assert meeting.buyer == buyer

    # The owner reports a deal; staff confirm it.
    page.goto(live_server.url + f"/misi-dagang/peserta/{participation.pk}/transaksi/")
    assert_page_is_sound(page, f"journey-deal-form-{size}")
    page.locator("#id_kind").select_option("spot")
    page.locator("#id_buyer").select_option(str(buyer.pk))
    page.locator("#id_product").select_option(label="Kacang Mede Panggang")
    page.locator("#id_amount").fill("12500")
    page.locator("#id_currency").select_option("USD")
    page.locator("#id_rate_to_idr").fill("15800")
    page.locator("#id_usd_rate").fill("15800")
    page.locator("#id_rate_date").fill(f"{today:%Y-%m-%d}")
    page.locator("#id_date").fill(f"{today:%Y-%m-%d}")
    page.get_by_role("button", name="Kirim laporan transaksi").click()
    page.wait_for_url("**/misi-dagang/saya/")
    errors = page.locator(".error-text, .alert-error").all_inner_texts()
    assert not errors, errors
    owner_deal = Deal.objects.get(mission=mission)
    assert owner_deal.value_idr == 12500 * 15800
    assert owner_deal.status == Deal.Status.REPORTED
    run_admin_action(
        admin,
        live_server.url + f"/admin/missions/deal/?mission__id__exact={mission.pk}",
        owner_deal.pk,
        "confirm",
    )
    owner_deal.refresh_from_db()
    assert owner_deal.status == Deal.Status.CONFIRMED

    # Staff record a second deal from the meeting themselves, in rupiah, in the admin.
    admin.goto(live_server.url + "/admin/missions/deal/add/")
    admin.locator("#id_mission").select_option(str(mission.pk))
    admin.locator("#id_business").fill(str(business.pk))
    admin.locator("#id_buyer").fill(str(buyer.pk))
    admin.locator("#id_meeting").fill(str(meeting.pk))
    admin.locator("#id_product").fill(str(product.pk))
    admin.locator("#id_commodity").select_option(str(product.category_id))
    admin.locator("#id_kind").select_option("spot")
    admin.locator("#id_quantity").fill("2000")
    admin.locator("#id_unit").fill("kg")
    admin.locator("#id_amount").fill("40000000")
    admin.locator("#id_currency").select_option("IDR")
    admin.locator("#id_rate_to_idr").fill("1")
    admin.locator("#id_usd_rate").fill("16000")
    admin.locator("#id_rate_date").fill(f"{today:%Y-%m-%d}")
    admin.locator("#id_destination_country").select_option("KR")
    admin.locator("#id_date").fill(f"{today:%Y-%m-%d}")
    admin.locator("#id_status").select_option("confirmed")
    with admin.expect_navigation():
        admin.locator("input[name='_save']").click()
    errors = admin.locator(".errornote, .errorlist").all_inner_texts()
    assert not errors, errors
    staff_deal = Deal.objects.exclude(pk=owner_deal.pk).get(mission=mission)
    assert (staff_deal.value_idr, staff_deal.value_usd) == (40_000_000, 2500)
    assert (staff_deal.reported_by, staff_deal.confirmed_by) == (staff, staff)
    assert staff_deal.meeting == meeting

    # The report adds both confirmed deals up.
    admin.goto(live_server.url + f"/misi-dagang/{mission.slug}/laporan/")
    figures = dict(
        zip(
            admin.locator(".figures dt").all_inner_texts(),
            admin.locator(".figures dd").all_inner_texts(),
            strict=True,
        )
    )
    assert figures["IKM peserta (diterima/hadir)"] == "1"
    assert figures["Pertemuan bisnis"] == "1"
    assert figures["Transaksi terkonfirmasi"] == "2"
    assert figures["Nilai transaksi (Rp)"] == "Rp237.500.000"
    assert figures["Nilai transaksi (US$)"] == "US$15.000,00"
    assert figures["Konversi pertemuan ke transaksi (%)"] == "100,0%"
    assert figures["Transaksi menunggu konfirmasi"] == "0"
    assert "Mede Cikupa Jaya" in admin.locator("main").inner_text()
    assert_page_is_sound(admin, f"journey-mission-report-{size}")
