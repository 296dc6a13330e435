"""Cached pages as a browser receives them: compressed, with working forms.

The rest of the browser tests run with the page caches off (tests/settings), so this is
where Chromium itself decodes the cached copy of a page whose form tokens are filled in
per visitor (tangerang_ikm/cache.py, _gzip_with_holes), and where a staff member's
cached change list meets real commits.
"""

import pytest

from ikm_registry.models import Business, Inquiry
from tests.e2e.test_pages import login_browser
from tests.factories import BusinessFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.INQUIRY_MIN_FILL_SECONDS = 0


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_cached_product_page_arrives_compressed_and_its_inquiry_form_works(
    live_server, context_factory, world, page_cache, language
):
    prefix = "" if language == "id" else "/en"
    url = f"{live_server.url}{prefix}/katalog/{world['product_a'].slug}/"
    context_factory().new_page().goto(url)  # the first visitor fills the cache

    page = context_factory("phone", locale=f"{language}-ID").new_page()
    response = page.goto(url)
    headers = response.all_headers()
    assert headers["x-page-cache"] == "hit"
    assert headers["content-encoding"] == "gzip"
    product = world["product_a"]
    assert page.locator("h1").inner_text() == (
        product.name if language == "id" else product.name_en
    )
    page.locator("#id_name").fill("Kim Min-jun")
    page.locator("#id_country").select_option("KR")
    page.locator("#id_email").fill(f"cached-{language}@example.kr")
    page.locator("#id_quantity").fill("500 pcs")
    page.locator("#id_message").fill("Please send your price list.")
    page.locator("#permintaan button[type=submit]").click()
    thanks = "Terima kasih. Permintaan Anda" if language == "id" else "Thank you. Your inquiry"
    assert page.get_by_text(thanks).is_visible()
    assert Inquiry.objects.filter(email=f"cached-{language}@example.kr").count() == 1


def test_a_cached_change_list_shows_the_staff_members_own_edit_and_runs_actions(
    live_server, context_factory, coordinator, settings
):
    settings.STAFF_PAGE_CACHE_SECONDS = 60
    business = BusinessFactory(name="Rotan Jaya Cikupa", status=Business.Status.SUBMITTED)
    context = context_factory("desktop")
    login_browser(context, coordinator, live_server)
    admin = context.new_page()
    rows = admin.locator("#result_list")
    changelist = f"{live_server.url}/admin/ikm_registry/business/"
    assert admin.goto(changelist).all_headers()["x-page-cache"] == "miss"
    response = admin.goto(changelist)
    assert response.all_headers()["x-page-cache"] == "hit"
    assert response.all_headers()["content-encoding"] == "gzip"

    # Edit the business; the list it returns to, and every look after, shows the edit.
    admin.get_by_role("link", name="Rotan Jaya Cikupa").click()
    admin.locator("#id_name").fill("Rotan Makmur Talaga")
    with admin.expect_navigation():
        admin.locator("input[name='_save']").click()
    assert rows.get_by_role("link", name="Rotan Makmur Talaga").is_visible()
    again = admin.goto(changelist)
    assert again.all_headers()["x-page-cache"] == "miss"
    assert rows.get_by_role("link", name="Rotan Makmur Talaga").is_visible()

    # The action form of a cached copy carries this browser's CSRF token.
    assert admin.goto(changelist).all_headers()["x-page-cache"] == "hit"
    admin.locator(f"input[name='_selected_action'][value='{business.pk}']").check()
    admin.locator("select[name='action']").select_option("verify")
    with admin.expect_navigation():
        admin.locator("button[name='index']").first.click()
    assert "1 usaha diverifikasi." in admin.locator("ul.messagelist li").all_inner_texts()
    business.refresh_from_db()
    assert business.status == Business.Status.VERIFIED
