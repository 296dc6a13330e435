"""An IKM owner applies for a bazaar booth at Gerai Tangerang Gemilang; the venue
manager accepts it in the admin; the owner sees the booth number (issue #8)."""

import pytest
from django.core import mail

from gerai import services
from gerai.models import BoothApplication
from tests.e2e.conftest import assert_page_is_sound
from tests.e2e.steps import run_admin_action
from tests.e2e.test_pages import login_browser
from tests.factories import BusinessFactory, ProductFactory, UserFactory
from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_owner_applies_for_a_booth_the_venue_manager_accepts_and_the_owner_sees_the_booth(
    live_server, context_factory, size, venue_manager
):
    owner = UserFactory(email=f"dodol-{size}@example.com", full_name="Ibu Wati")
    business = BusinessFactory(owner=owner, name="Dodol Betawi Pasar Kemis")
    ProductFactory(business=business, name="Dodol Betawi Ketan Hitam")
    ProductFactory(business=business, name="Bir Pletok Jahe")
    event = BoothEventFactory(
        title="Bazar Kuliner Gemilang",
        title_en="Gemilang Food Bazaar",
        slug="bazar-kuliner-gemilang",
        booths=3,
    )
    # Booth 1 is already someone else's: the owner's application must get another number.
    first = services.accept_application(
        application=BoothApplicationFactory(event=event), notify=False
    )
    assert first.booth_number == 1

    # The owner finds the bazaar in the event list and applies from its page.
    context = context_factory(size)
    login_browser(context, owner, live_server)
    page = context.new_page()
    page.goto(live_server.url + "/gerai/acara/")
    page.get_by_role("link", name="Bazar Kuliner Gemilang").first.click()
    page.wait_for_url(f"**/gerai/acara/{event.slug}/")
    booths = page.locator("section[aria-labelledby='booth-heading']")
    assert "Pendaftaran stan dibuka sampai" in booths.inner_text()
    assert_page_is_sound(page, f"booth-event-{size}")
    booths.get_by_role("link", name="Daftar stan").click()
    page.wait_for_url(f"**/gerai/acara/{event.slug}/daftar-stan/")
    assert page.locator("h1").inner_text() == "Daftar stan: Bazar Kuliner Gemilang"
    assert page.locator("#id_business option:checked").inner_text() == business.name
    assert_page_is_sound(page, f"booth-apply-{size}")
    page.get_by_label("Dodol Betawi Ketan Hitam (Dodol Betawi Pasar Kemis)").check()
    page.get_by_label("Catatan untuk pengelola").fill("Perlu satu colokan listrik.")
    page.get_by_role("button", name="Kirim pendaftaran").click()
    page.wait_for_url("**/gerai/stan/")
    assert page.get_by_text("Pendaftaran stan terkirim.").is_visible()
    row = page.locator("tr", has_text="Bazar Kuliner Gemilang")
    assert "Diajukan" in row.inner_text()
    assert "Dodol Betawi Ketan Hitam" in row.inner_text()

    application = BoothApplication.objects.get(event=event, business=business)
    assert application.status == BoothApplication.Status.APPLIED
    assert application.note == "Perlu satu colokan listrik."
    assert [p.name for p in application.products.all()] == ["Dodol Betawi Ketan Hitam"]

    # The venue manager (a staff role, not a superuser) accepts it with the admin action.
    assert not venue_manager.is_superuser
    admin_context = context_factory(size)
    login_browser(admin_context, venue_manager, live_server)
    admin = admin_context.new_page()
    notices = run_admin_action(
        admin,
        live_server.url + f"/admin/gerai/boothapplication/?event__id__exact={event.pk}",
        application.pk,
        "accept",
    )
    assert "1 pendaftaran diterima." in notices
    application.refresh_from_db()
    assert application.status == BoothApplication.Status.ACCEPTED
    assert application.booth_number == 2
    assert application.decided_by == venue_manager
    assert any(owner.email in m.to for m in mail.outbox)

    # The owner sees the accepted status with the booth number, and the event lists them.
    page.reload()
    row = page.locator("tr", has_text="Bazar Kuliner Gemilang")
    assert "Diterima, stan 2" in row.inner_text()
    assert row.get_by_role("button", name="Tarik pendaftaran").is_visible()
    assert_page_is_sound(page, f"booth-my-applications-{size}")
    page.goto(live_server.url + event.get_absolute_url())
    exhibitors = page.locator("ul.exhibitors").inner_text()
    assert "Stan 2: Dodol Betawi Pasar Kemis" in exhibitors
