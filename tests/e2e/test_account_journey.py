"""An IKM owner signs up on a phone, confirms the e-mail from the outbox and logs in."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_page_is_sound
from tests.e2e.steps import confirm_and_log_in, sign_up

pytestmark = pytest.mark.e2e

PASSWORD = "anyaman-rotan-99"


@pytest.mark.django_db(transaction=True)
def test_owner_signs_up_confirms_and_logs_in(live_server, page, size, settings):
    settings.FORM_MIN_FILL_SECONDS = 0  # the browser fills the form faster than a person
    email = f"rina-{size}@example.com"
    page.goto(live_server.url + "/")
    assert_page_is_sound(page, f"home-{size}")
    page.goto(live_server.url + "/akun/daftar/")
    assert_page_is_sound(page, f"signup-{size}")
    sign_up(page, live_server, full_name="Rina Anyaman", email=email, password=PASSWORD)

    # Logging in before confirming is refused with a clear message.
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Alamat e-mail").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    # The form posts back to the same URL, so wait for the message, not for a new URL.
    expect(page.get_by_text("Konfirmasi alamat e-mail Anda terlebih dahulu")).to_be_visible()

    confirm_and_log_in(page, live_server, email=email, password=PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_language_switcher_works_without_javascript(live_server, context_factory):
    page = context_factory("phone", javascript=False).new_page()
    page.goto(live_server.url + "/katalog/?q=rotan")
    switcher = page.get_by_role("navigation", name="Bahasa")
    current = switcher.get_by_role("link", name="Bahasa Indonesia")
    assert current.get_attribute("aria-current") == "page"
    switcher.get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + "/en/katalog/?q=rotan")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "IKM product catalog"
    assert page.get_by_role("link", name="IKM Catalog").first.is_visible()
    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="Bahasa Indonesia"
    ).click()
    page.wait_for_url(live_server.url + "/katalog/?q=rotan")
    assert page.locator("html").get_attribute("lang") == "id"


@pytest.mark.django_db(transaction=True)
def test_keyboard_reaches_the_main_navigation_with_visible_focus(live_server, context_factory):
    page = context_factory("desktop").new_page()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Langsung ke isi"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
