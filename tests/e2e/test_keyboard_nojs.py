"""Keyboard-only use with visible focus, and forms and the calendar without JavaScript."""

import pytest
from playwright.sync_api import expect

from ikm_registry.models import Inquiry
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "Gemilang-2026!"

FOCUS_IS_VISIBLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || (style.boxShadow && style.boxShadow !== 'none');
}"""


def tab_to(page, selector, limit=60):
    """Press Tab until the element matching `selector` has focus, checking focus is visible."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"{selector}: focus is not visible"
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


@pytest.mark.django_db(transaction=True)
def test_login_with_the_keyboard_only(live_server, context_factory, size):
    user = UserFactory(email=f"keyboard-{size}@example.com")
    user.set_password(PASSWORD)
    user.save()
    page = context_factory(size).new_page()
    page.goto(live_server.url + "/akun/masuk/")
    tab_to(page, "input[name='username'], input[name='email']")
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_IS_VISIBLE)
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/akun/masuk/" not in page.url
    assert page.get_by_role("button", name="Keluar").or_(page.get_by_text("Keluar")).count() >= 1


@pytest.mark.django_db(transaction=True)
def test_inquiry_with_the_keyboard_only(live_server, context_factory, world, settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    product = world["product_a"]
    page = context_factory("phone").new_page()
    page.goto(live_server.url + f"/katalog/{product.slug}/tanya/")
    tab_to(page, "#id_name")
    page.keyboard.type("Kim Min-jun")
    tab_to(page, "#id_company")
    page.keyboard.type("Busan Living Co.")
    tab_to(page, "#id_country")
    page.keyboard.type("Korea")
    tab_to(page, "#id_email")
    page.keyboard.type("keyboard@example.kr")
    tab_to(page, "#id_quantity")
    page.keyboard.type("200 pcs")
    tab_to(page, "#id_message")
    page.keyboard.type("Please send your price list for 200 pieces.")
    tab_to(page, "form:has(#id_message) button[type='submit']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.locator(".errorlist, [role='alert']").all_inner_texts()
    assert Inquiry.objects.filter(email="keyboard@example.kr").exists(), errors


@pytest.mark.django_db(transaction=True)
def test_login_without_javascript(live_server, context_factory):
    user = UserFactory(email="nojs@example.com")
    user.set_password(PASSWORD)
    user.save()
    page = context_factory("phone", javascript=False).new_page()
    page.goto(live_server.url + "/akun/masuk/")
    page.get_by_label("Email").or_(page.get_by_label("E-mail")).first.fill(user.email)
    page.locator("input[type='password']").fill(PASSWORD)
    # wait_for_load_state() after a click returns at once while the old page is loaded:
    # wait for the navigation the submit starts.
    with page.expect_navigation():
        page.locator("main form button[type='submit']").first.click()
    assert "/akun/masuk/" not in page.url


@pytest.mark.django_db(transaction=True)
def test_inquiry_without_javascript(live_server, context_factory, world, settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    page = context_factory("phone", javascript=False).new_page()
    page.goto(live_server.url + f"/katalog/{world['product_a'].slug}/tanya/")
    page.locator("#id_name").fill("Tanpa Skrip")
    page.locator("#id_company").fill("Busan Living Co.")
    page.locator("#id_country").select_option("KR")
    page.locator("#id_email").fill("nojs@example.kr")
    page.locator("#id_quantity").fill("100 buah")
    page.locator("#id_message").fill("Harga untuk 100 buah?")
    with page.expect_navigation():
        page.locator("form:has(#id_message) button[type='submit']").click()
    assert Inquiry.objects.filter(email="nojs@example.kr").exists()


@pytest.mark.django_db(transaction=True)
def test_calendar_navigates_without_javascript(live_server, context_factory):
    page = context_factory("phone", javascript=False).new_page()
    page.goto(live_server.url + "/gerai/acara/kalender/")
    caption = page.locator("caption")
    first = caption.inner_text()
    with page.expect_navigation():
        page.locator("a[rel='next']").click()
    expect(caption).not_to_have_text(first)
    assert page.locator("table.month-calendar").count() == 1
    with page.expect_navigation():
        page.locator("a[rel='prev']").click()
    expect(caption).to_have_text(first)
