"""Steps that several browser journeys share: sign-up, admin actions, a photo to upload."""

import io
import re

from django.core import mail
from PIL import Image

from tests.e2e.conftest import assert_page_is_sound


def jpeg(tmp_path, name="keranjang.jpg"):
    """A real JPEG on disk, for a file input."""
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (170, 120, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def sign_up(page, live_server, *, full_name, email, password):
    """Fill in the sign-up form and wait for the 'check your e-mail' page."""
    page.goto(live_server.url + "/akun/daftar/")
    page.get_by_label("Nama lengkap").fill(full_name)
    page.get_by_label("Alamat e-mail").fill(email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.get_by_label("Saya telah membaca pemberitahuan data pribadi").check()
    page.get_by_role("button", name="Buat akun").click()
    page.wait_for_url("**/akun/daftar/selesai/")


def confirmation_link(email):
    """The confirmation link from the last e-mail sent to `email` (the test outbox)."""
    sent = [m for m in mail.outbox if email in m.to]
    assert sent, f"no e-mail was sent to {email}"
    return re.search(r"https?://\S+/akun/konfirmasi/\S+/", sent[-1].body).group(0)


def confirm_and_log_in(page, live_server, *, email, password, check_as=None):
    """Open the link from the outbox, then log in on the page it leads to.

    With `check_as`, the page the link opens is also checked (axe, layout, screenshot).
    """
    page.goto(confirmation_link(email))
    assert page.get_by_text("Alamat e-mail Anda sudah dikonfirmasi").is_visible()
    if check_as:
        assert_page_is_sound(page, check_as)
    page.get_by_label("Alamat e-mail").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(live_server.url + "/ikm/dasbor/")  # owners land on their dashboard
    assert page.get_by_role("button", name="Keluar").count() == 1


def run_admin_action(admin, url, pk, action):
    """Tick one row on an admin change list, run `action`, return the admin's messages.

    Waits for the action's redirect, so that the next step never races the POST.
    """
    admin.goto(url)
    admin.locator(f"input[name='_selected_action'][value='{pk}']").check()
    admin.locator("select[name='action']").select_option(action)
    with admin.expect_navigation():
        admin.locator("button[name='index'], input[name='index']").first.click()
    return admin.locator("ul.messagelist li").all_inner_texts()
