"""Cached public pages as a browser receives them: compressed, with working forms.

The rest of the browser tests run with the page cache off (tests/settings), so this is
where Chromium itself decodes the cached copy of a page whose form tokens are filled in
per visitor (tangerang_ikm/cache.py, _gzip_with_holes).
"""

import pytest

from ikm_registry.models import Inquiry

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
