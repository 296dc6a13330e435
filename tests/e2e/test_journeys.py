"""Journeys across the portal, in Chromium at phone and desktop size (issue #8).

The owner registers a business with a product and a photo and submits it; staff verify
it in the admin; a visitor finds it by search and sends an inquiry; a visitor browses the
event calendar and downloads an event's .ics.
"""

import io

import pytest
from django.core import mail
from PIL import Image

from ikm_registry.models import Business, Inquiry
from tests.e2e.conftest import assert_page_is_sound
from tests.e2e.test_pages import login_browser
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def jpeg(tmp_path):
    path = tmp_path / "keranjang.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (170, 120, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.mark.django_db(transaction=True)
def test_owner_registers_staff_verify_visitor_finds_and_asks(
    live_server, context_factory, size, tmp_path, settings
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    owner = UserFactory(email=f"pengrajin-{size}@example.com", full_name="Ibu Sari")
    context = context_factory(size)
    login_browser(context, owner, live_server)
    page = context.new_page()

    # The owner creates the business from the dashboard.
    page.goto(live_server.url + "/ikm/dasbor/")
    assert_page_is_sound(page, f"journey-dashboard-{size}")
    page.get_by_role("link", name="Daftarkan usaha").first.click()
    page.locator("#id_name").fill("Anyaman Rotan Talaga")
    page.locator("#id_nib").fill("9120000009999")
    page.locator("#id_owner_name").fill("Sari Wulandari")
    page.locator("#id_address").fill("Jl. Raya Serang Km 18,5")
    page.locator("#id_desa").select_option("36.03.18.2004")
    page.locator("#id_phone").fill("0812-3456-7890")
    page.get_by_label("Kerajinan Rotan").check()
    page.get_by_role("button", name="Simpan").click()
    business = Business.objects.get(nib="9120000009999")
    assert business.phone == "+6281234567890"
    assert business.status == Business.Status.DRAFT

    # A product with a photo.
    page.get_by_role("link", name="Tambah produk").click()
    page.locator("#id_name").fill("Keranjang Rotan Talaga")
    page.locator("#id_name_en").fill("Talaga Rattan Basket")
    page.locator("#id_category").select_option(label="Kerajinan Rotan")
    page.get_by_role("button", name="Simpan produk").click()
    page.locator("#id_image").set_input_files(jpeg(tmp_path))
    page.get_by_role("button", name="Unggah foto").click()
    assert business.products.get().photos.count() == 1

    # Submit for verification.
    page.goto(live_server.url + f"/ikm/usaha/{business.pk}/")
    page.get_by_role("button", name="Ajukan verifikasi").click()
    business.refresh_from_db()
    assert business.status == Business.Status.SUBMITTED

    # Staff verify it with the admin action.
    staff = UserFactory(email=f"staf-{size}@example.com", is_staff=True, is_superuser=True)
    admin_context = context_factory(size)
    login_browser(admin_context, staff, live_server)
    admin = admin_context.new_page()
    admin.goto(live_server.url + "/admin/ikm_registry/business/?status__exact=submitted")
    admin.locator(f"input[name='_selected_action'][value='{business.pk}']").check()
    admin.locator("select[name='action']").select_option("verify")
    admin.locator("button[name='index'], input[name='index']").first.click()
    business.refresh_from_db()
    assert business.status == Business.Status.VERIFIED
    assert any(business.name in m.subject + m.body for m in mail.outbox)

    # A visitor finds the product by search (English too) and sends an inquiry.
    visitor = context_factory(size).new_page()
    visitor.goto(live_server.url + "/katalog/")
    visitor.locator("input[name='q']").fill("keranjang rotan talaga")
    visitor.locator("input[name='q']").press("Enter")
    visitor.get_by_role("link", name="Keranjang Rotan Talaga").first.click()
    assert_page_is_sound(visitor, f"journey-product-{size}")
    visitor.locator("#id_name").fill("Kim Min-jun")
    visitor.locator("#id_company").fill("Busan Living Co.")
    visitor.locator("#id_country").select_option("KR")
    visitor.locator("#id_email").fill("buyer@example.kr")
    visitor.locator("#id_quantity").fill("500 pcs")
    visitor.locator("#id_message").fill("Please send your price list for 500 baskets.")
    visitor.get_by_role("button", name="Kirim permintaan").click()
    inquiry = Inquiry.objects.get(email="buyer@example.kr")
    assert inquiry.business == business
    assert {owner.email} <= {address for m in mail.outbox for address in m.to}

    visitor.goto(live_server.url + "/en/katalog/?q=rattan+basket")
    assert visitor.get_by_role("link", name="Talaga Rattan Basket").count() >= 1


@pytest.mark.django_db(transaction=True)
def test_visitor_browses_the_calendar_and_downloads_an_event(live_server, context_factory, size):
    from tests.gerai.factories import BoothEventFactory

    event = BoothEventFactory(title="Bazar Kreatif Gemilang", slug="bazar-kreatif-gemilang")
    page = context_factory(size).new_page()
    page.goto(live_server.url + "/gerai/acara/")
    assert_page_is_sound(page, f"journey-events-{size}")
    page.get_by_role("link", name="Bazar Kreatif Gemilang").first.click()
    assert page.locator("h1").inner_text().strip() == "Bazar Kreatif Gemilang"
    ics = page.request.get(live_server.url + f"/gerai/acara/{event.slug}.ics")
    assert ics.ok
    assert ics.text().startswith("BEGIN:VCALENDAR")
    assert "Bazar Kreatif Gemilang" in ics.text()
    page.goto(live_server.url + "/gerai/acara/kalender/")
    assert page.locator("table").count() >= 1
    next_link = page.get_by_role("link", name="berikutnya").or_(page.locator("a[rel='next']")).first
    next_link.click()
    assert page.locator("table").count() >= 1


@pytest.mark.django_db(transaction=True)
def test_owner_joins_a_mission_staff_accept_schedule_and_the_report_shows_the_deal(
    live_server, context_factory, size
):
    import datetime

    from django.utils import timezone

    from missions.models import Deal, Meeting, Participation, TradeMission
    from tests.factories import BusinessFactory, ProductFactory
    from tests.missions.conftest import make_buyer, make_mission

    owner = UserFactory(email=f"mede-{size}@example.com")
    business = BusinessFactory(owner=owner, name="Mede Cikupa Jaya")
    ProductFactory(business=business, name="Kacang Mede Panggang")
    mission = make_mission(title="Temu Bisnis Busan", slug=f"temu-bisnis-busan-{size}")
    buyer = make_buyer(company="Busan Nuts Trading")

    # The owner applies from the mission page.
    context = context_factory(size)
    login_browser(context, owner, live_server)
    page = context.new_page()
    page.goto(live_server.url + f"/misi-dagang/{mission.slug}/")
    page.get_by_role("link", name="Daftar misi ini").click()
    page.get_by_label("Kacang Mede Panggang").check()
    page.get_by_role("button", name="Kirim pendaftaran").click()
    participation = Participation.objects.get(mission=mission, business=business)
    assert participation.status == Participation.Status.APPLIED

    # Staff shortlist and accept it in the admin.
    staff = UserFactory(email=f"koordinator-{size}@example.com", is_staff=True, is_superuser=True)
    admin_context = context_factory(size)
    login_browser(admin_context, staff, live_server)
    admin = admin_context.new_page()
    for action in ("mark_shortlisted", "mark_accepted"):
        admin.goto(
            live_server.url + f"/admin/missions/participation/?mission__id__exact={mission.pk}"
        )
        admin.locator(f"input[name='_selected_action'][value='{participation.pk}']").check()
        admin.locator("select[name='action']").select_option(action)
        admin.locator("button[name='index'], input[name='index']").first.click()
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
    admin.locator("input[type='submit'][value='Jadwalkan']").click()
    meeting = Meeting.objects.get(mission=mission)
    assert meeting.buyer == buyer

    # The owner reports the deal; staff confirm it; the report shows it.
    page.goto(live_server.url + f"/misi-dagang/peserta/{participation.pk}/transaksi/")
    page.locator("#id_kind").select_option("spot")
    page.locator("#id_buyer").select_option(str(buyer.pk))
    page.locator("#id_product").select_option(label="Kacang Mede Panggang")
    page.locator("#id_amount").fill("12500")
    page.locator("#id_currency").fill("USD")
    page.locator("#id_rate_to_idr").fill("15800")
    page.locator("#id_usd_rate").fill("15800")
    page.locator("#id_rate_date").fill(f"{today:%Y-%m-%d}")
    page.locator("#id_date").fill(f"{today:%Y-%m-%d}")
    page.get_by_role("button", name="Kirim laporan transaksi").click()
    errors = page.locator(".error-text, .alert-error").all_inner_texts()
    assert not errors, errors
    deal = Deal.objects.get(mission=mission)
    assert deal.value_idr == 12500 * 15800
    admin.goto(live_server.url + f"/admin/missions/deal/?mission__id__exact={mission.pk}")
    admin.locator(f"input[name='_selected_action'][value='{deal.pk}']").check()
    admin.locator("select[name='action']").select_option("confirm")
    admin.locator("button[name='index'], input[name='index']").first.click()
    admin.goto(live_server.url + f"/misi-dagang/{mission.slug}/laporan/")
    report = admin.content()
    assert "Mede Cikupa Jaya" in report
    assert "Rp197.500.000" in report
