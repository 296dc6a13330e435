"""The owner's journeys with the keyboard only, each focused control visibly focused.

Tab and Shift+Tab move, Space ticks a checkbox or opens the file chooser, Enter follows a
link or submits; text is typed into whatever has focus. There is no .click() and no
.fill() here. Every control that receives focus on the way, not only the target, must
show a focus indicator (the check in test_keyboard_nojs.py).
"""

import pytest
from django.contrib.auth import get_user_model

from gerai.models import BoothApplication
from ikm_registry.models import Business, Commodity, Desa
from missions.models import Participation
from tests.e2e.steps import jpeg
from tests.e2e.test_keyboard_nojs import FOCUS_IS_VISIBLE
from tests.e2e.test_pages import login_browser
from tests.factories import BusinessFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.e2e

DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  const label = (el.innerText || el.value || el.name || '').trim().slice(0, 40);
  return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} “${label}”`;
}"""


def move_focus_to(page, selector, *, backwards=False, limit=150):
    """Press Tab (or Shift+Tab) until `selector` has focus.

    Every element that takes focus on the way must show a visible focus indicator.
    """
    target = page.locator(selector)
    assert target.count() == 1, f"{selector} matches {target.count()} elements"
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("() => document.activeElement === document.body"):
            continue  # focus left the page (past the last control): the next Tab wraps
        assert page.evaluate(FOCUS_IS_VISIBLE), (
            f"on the way to {selector}: focus is not visible on {page.evaluate(DESCRIBE_FOCUS)}"
        )
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with {key}")


def type_into(page, selector, text, **kwargs):
    move_focus_to(page, selector, **kwargs)
    page.keyboard.type(text)


def open_file_chooser_with_space(page):
    """Press Space on the focused file input and return the chooser it opens.

    The listener is in place before the key is pressed, so Chromium hands the dialog to
    Playwright rather than dropping it; under a loaded CI machine the first press can
    still come before the page is ready for it, so Space is pressed once more if no
    chooser came within five seconds.
    """
    choosers = []

    def on_chooser(chooser):
        choosers.append(chooser)

    page.on("filechooser", on_chooser)
    try:
        for timeout in (5_000, 15_000):
            page.keyboard.press("Space")
            deadline = timeout / 100
            while not choosers and deadline > 0:
                page.wait_for_timeout(100)
                deadline -= 1
            if choosers:
                return choosers[0]
        raise AssertionError("Space on the file input opened no file chooser")
    finally:
        page.remove_listener("filechooser", on_chooser)


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.locator(".error-text, .alert-error").all_inner_texts()
    assert not errors, errors


def choose_option_with_arrows(page, selector, value, limit=60):
    """With the closed <select> focused, type-ahead was used; step with ArrowDown to `value`."""
    select = page.locator(selector)
    for _ in range(limit):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{selector}: option {value} not reached with ArrowDown")


@pytest.mark.django_db(transaction=True)
def test_owner_signs_up_with_the_keyboard_only(live_server, context_factory, size, settings):
    settings.FORM_MIN_FILL_SECONDS = 0  # a fast typist is not a bot here
    page = context_factory(size).new_page()
    page.goto(live_server.url + "/")
    move_focus_to(page, "header a[href$='/akun/daftar/']")
    press_enter_and_wait(page)
    type_into(page, "#id_full_name", "Rina Anyaman")
    type_into(page, "#id_email", f"rina-kb-{size}@example.com")
    type_into(page, "#id_password1", "anyaman-rotan-99")
    type_into(page, "#id_password2", "anyaman-rotan-99")
    move_focus_to(page, "#id_privacy_consent")
    page.keyboard.press("Space")
    assert page.locator("#id_privacy_consent").is_checked()
    move_focus_to(page, "main form button[type='submit']")
    press_enter_and_wait(page)
    assert page.url.endswith("/akun/daftar/selesai/")
    user = get_user_model().objects.get(email=f"rina-kb-{size}@example.com")
    assert user.full_name == "Rina Anyaman"
    assert user.privacy_consent_at is not None


@pytest.mark.django_db(transaction=True)
def test_owner_registers_a_business_and_a_product_with_the_keyboard_only(
    live_server, context_factory, size, tmp_path
):
    owner = UserFactory(email=f"keyboard-owner-{size}@example.com")
    context = context_factory(size)
    login_browser(context, owner, live_server)
    page = context.new_page()
    page.goto(live_server.url + "/ikm/dasbor/")

    # The business form.
    # The dashboard's first line says the next step, with its link.
    move_focus_to(page, "#next-step a[href$='/ikm/usaha/baru/']")
    press_enter_and_wait(page)
    type_into(page, "#id_name", "Anyaman Bambu Keyboard")
    type_into(page, "#id_nib", "9120000008888")
    type_into(page, "#id_owner_name", "Rina Anyaman")
    type_into(page, "#id_address", "Jl. Raya Serang Km 18,5")
    desa = Desa.objects.get(code="36.03.18.2004")
    move_focus_to(page, "#id_kecamatan")
    page.keyboard.type(desa.kecamatan.name)  # type-ahead picks the kecamatan
    assert page.locator("#id_kecamatan").input_value() == desa.kecamatan.pk
    move_focus_to(page, "#id_desa")  # the script narrowed it to the kecamatan's desa
    page.keyboard.type(desa.name)
    choose_option_with_arrows(page, "#id_desa", str(desa.pk))
    type_into(page, "#id_phone", "0812-3456-7890")
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    move_focus_to(page, f"input[name='commodities'][value='{rotan.pk}']")
    page.keyboard.press("Space")
    # Back up with Shift+Tab to correct the phone number, then on to the button.
    move_focus_to(page, "#id_phone", backwards=True)
    page.keyboard.press("Control+A")
    page.keyboard.type("0812-3456-7891")
    move_focus_to(page, "main form button[type='submit']:not([name='pick_kecamatan'])")
    press_enter_and_wait(page)
    business = Business.objects.get(nib="9120000008888")
    assert business.owner == owner
    assert business.desa == desa
    assert business.phone == "+6281234567891"
    assert list(business.commodities.all()) == [rotan]
    assert page.locator("h1").inner_text() == "Anyaman Bambu Keyboard"

    # A product.
    move_focus_to(page, f"main a[href$='/ikm/usaha/{business.pk}/produk/baru/']")
    press_enter_and_wait(page)
    type_into(page, "#id_name", "Keranjang Bambu")
    type_into(page, "#id_name_en", "Bamboo Basket")
    move_focus_to(page, "#id_category")
    page.keyboard.type("Kerajinan Rotan")
    assert page.locator("#id_category").input_value() == str(rotan.pk)
    move_focus_to(page, "form:has(#id_name) button[type='submit']")
    press_enter_and_wait(page)
    product = business.products.get()
    assert (product.name, product.name_en, product.category) == (
        "Keranjang Bambu",
        "Bamboo Basket",
        rotan,
    )

    # Its photo: Space on the file input opens the chooser.
    move_focus_to(page, "#id_image")
    open_file_chooser_with_space(page).set_files(jpeg(tmp_path, "bambu.jpg"))
    type_into(page, "#id_alt_text", "Keranjang bambu bundar")
    move_focus_to(page, "#id_image", backwards=True)
    move_focus_to(page, "form:has(#id_image) button[type='submit']")
    press_enter_and_wait(page)
    photo = product.photos.get()
    assert photo.alt_text == "Keranjang bambu bundar"
    assert page.locator(f"img[alt='{photo.alt_text}']").count() == 1

    # Back to the business through the breadcrumb, and submit it for verification.
    move_focus_to(page, f"nav a[href$='/ikm/usaha/{business.pk}/']")
    press_enter_and_wait(page)
    move_focus_to(page, f"form[action$='/ikm/usaha/{business.pk}/ajukan/'] button")
    press_enter_and_wait(page)
    business.refresh_from_db()
    assert business.status == Business.Status.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_owner_applies_for_a_booth_with_the_keyboard_only(live_server, context_factory, size):
    from tests.gerai.factories import BoothEventFactory

    owner = UserFactory(email=f"keyboard-booth-{size}@example.com")
    business = BusinessFactory(owner=owner, name="Kue Keranjang Keyboard")
    product = ProductFactory(business=business, name="Kue Keranjang Wijen")
    event = BoothEventFactory(title="Bazar Papan Ketik", slug="bazar-papan-ketik")
    context = context_factory(size)
    login_browser(context, owner, live_server)
    page = context.new_page()
    page.goto(live_server.url + event.get_absolute_url())

    move_focus_to(page, "main a[href$='/daftar-stan/']")
    press_enter_and_wait(page)
    move_focus_to(page, "#id_business")
    assert page.locator("#id_business").input_value() == str(business.pk)
    move_focus_to(page, f"input[name='products'][value='{product.pk}']")
    page.keyboard.press("Space")
    type_into(page, "#id_note", "Satu meja, tanpa listrik.")
    move_focus_to(page, "main form button[type='submit']")
    press_enter_and_wait(page)

    application = BoothApplication.objects.get(event=event, business=business)
    assert application.status == BoothApplication.Status.APPLIED
    assert list(application.products.all()) == [product]
    assert application.note == "Satu meja, tanpa listrik."
    assert "Diajukan" in page.locator("tr", has_text="Bazar Papan Ketik").inner_text()
    # The owner's next step, withdrawing, is reachable too.
    move_focus_to(page, "main form[action$='/tarik/'] button")


@pytest.mark.django_db(transaction=True)
def test_owner_applies_for_a_mission_with_the_keyboard_only(live_server, context_factory, size):
    from tests.missions.conftest import make_mission

    owner = UserFactory(email=f"keyboard-mission-{size}@example.com")
    business = BusinessFactory(owner=owner, name="Mede Papan Ketik")
    product = ProductFactory(business=business, name="Kacang Mede Madu")
    mission = make_mission(title="Misi Papan Ketik", slug=f"misi-papan-ketik-{size}")
    context = context_factory(size)
    login_browser(context, owner, live_server)
    page = context.new_page()
    page.goto(live_server.url + f"/misi-dagang/{mission.slug}/")

    move_focus_to(page, f"main a[href$='/misi-dagang/{mission.slug}/daftar/']")
    press_enter_and_wait(page)
    move_focus_to(page, f"input[name='products'][value='{product.pk}']")
    page.keyboard.press("Space")
    type_into(page, "#id_notes", "Kami membawa 50 kg sampel.")
    move_focus_to(page, "main form button[type='submit']")
    press_enter_and_wait(page)

    participation = Participation.objects.get(mission=mission, business=business)
    assert participation.status == Participation.Status.APPLIED
    assert list(participation.products.all()) == [product]
    assert participation.notes == "Kami membawa 50 kg sampel."
    assert page.url.endswith("/misi-dagang/saya/")
    move_focus_to(
        page, f"main form[action$='/misi-dagang/peserta/{participation.pk}/mundur/'] button"
    )
