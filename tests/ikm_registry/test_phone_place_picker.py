"""Kecamatan first, then only its desa: two steps without JavaScript (issue #22)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ikm_registry.models import Business
from tests.factories import BusinessFactory
from tests.ikm_registry.test_owner_views import VALID

pytestmark = pytest.mark.django_db

CIKUPA, TALAGA = "36.03.18", "36.03.18.2004"
ELSEWHERE = "36.03.01.2005"  # Talagasari in another kecamatan
URL = reverse("ikm_registry:business_create")


def desa_options(html):
    select = re.search(r'<select name="desa".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_new_form_asks_for_the_kecamatan_first(client, owner):
    client.force_login(owner)
    html = client.get(URL).content.decode()
    assert f'<option value="{CIKUPA}">Cikupa</option>' in html
    assert desa_options(html) == [""]  # nothing to choose before the kecamatan
    assert 'name="pick_kecamatan"' in html
    assert "Lanjut" in html
    assert html.index('name="kecamatan"') < html.index('name="desa"')
    # The in-place script: a static file and a JSON data block, no inline code.
    assert "/static/js/place_picker.js" in html
    assert '<script id="desa-by-kecamatan" type="application/json">' in html
    assert f'["{TALAGA}", "Talaga"]' in html


def test_continue_narrows_the_desa_and_keeps_what_was_typed(client, owner):
    client.force_login(owner)
    typed = {**VALID, "desa": "", "kecamatan": CIKUPA, "capital": "25.000.000"}
    response = client.post(URL, {**typed, "pick_kecamatan": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert not Business.objects.exists()
    assert "Mohon perbaiki" not in html and "error-text" not in html
    assert 'value="Anyaman Rotan Sukamaju"' in html
    assert 'value="25.000.000"' in html
    assert f'<option value="{CIKUPA}" selected>' in html
    options = desa_options(html)
    assert TALAGA in options
    assert ELSEWHERE not in options
    assert len(options) < 30  # one kecamatan's desa, not all 275
    assert f'<option value="{TALAGA}">Talaga</option>' in html  # named alone

    response = client.post(URL, {**typed, "desa": TALAGA})
    assert response.status_code == 302
    business = Business.objects.get()
    assert (business.desa_id, business.capital) == (TALAGA, 25_000_000)


def test_a_desa_of_another_kecamatan_is_refused(client, owner):
    client.force_login(owner)
    response = client.post(URL, {**VALID, "kecamatan": "36.03.01", "desa": TALAGA})
    assert response.status_code == 200
    assert response.context["form"].errors["desa"]
    assert not Business.objects.exists()


def test_a_nul_byte_for_the_kecamatan_shows_the_form_again(client, owner):
    # Found by the form fuzzer: the posted code is looked up before the form is cleaned,
    # and PostgreSQL refuses a NUL byte in a lookup (a 500 before).
    client.force_login(owner)
    response = client.post(URL, {**VALID, "kecamatan": "36.03\x0018", "pick_kecamatan": "1"})
    assert response.status_code == 200
    assert 'value="Anyaman Rotan Sukamaju"' in response.content.decode()
    assert not Business.objects.exists()


def test_edit_form_opens_on_the_businesss_kecamatan(client, owner):
    business = BusinessFactory(owner=owner, desa_id=TALAGA)
    client.force_login(owner)
    url = reverse("ikm_registry:business_edit", args=[business.pk])
    html = client.get(url).content.decode()
    assert f'<option value="{CIKUPA}" selected>' in html
    assert f'<option value="{TALAGA}" selected>Talaga</option>' in html
    assert ELSEWHERE not in desa_options(html)
    # Continue on the edit form keeps the business and narrows to the new kecamatan.
    html = client.post(url, {**VALID, "kecamatan": "36.03.01", "pick_kecamatan": "1"})
    options = desa_options(html.content.decode())
    assert ELSEWHERE in options and TALAGA not in options


def test_the_script_is_a_static_file_that_reads_the_data_block():
    script = Path(settings.BASE_DIR, "static/js/place_picker.js").read_text()
    for needed in ('"desa-by-kecamatan"', '"id_kecamatan"', '"id_desa"', "pick_kecamatan"):
        assert needed in script


def test_the_script_narrows_the_desa_in_place_in_chromium(client, owner, tmp_path):
    """The rendered form, saved with the script beside it, opened in Chromium."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    client.force_login(owner)
    html = client.get(URL).content.decode()
    script = Path(settings.BASE_DIR, "static/js/place_picker.js")
    (tmp_path / "form.html").write_text(html.replace("/static/js/place_picker.js", script.as_uri()))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.goto((tmp_path / "form.html").as_uri())
            assert page.locator("button[name=pick_kecamatan]").is_hidden()
            page.locator("#id_kecamatan").select_option(CIKUPA)
            values = page.locator("#id_desa option").evaluate_all("os => os.map(o => o.value)")
            assert TALAGA in values and ELSEWHERE not in values
            page.locator("#id_desa").select_option(TALAGA)
            page.locator("#id_kecamatan").select_option("36.03.01")
            values = page.locator("#id_desa option").evaluate_all("os => os.map(o => o.value)")
            assert ELSEWHERE in values and TALAGA not in values
        finally:
            browser.close()
