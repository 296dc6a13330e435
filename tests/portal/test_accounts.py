import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing

from tangerang_ikm.forms import START_SALT

User = get_user_model()

SIGNUP = {
    "full_name": "Dewi Lestari",
    "email": "Dewi@Example.com",
    "password1": "anyaman-rotan-99",
    "password2": "anyaman-rotan-99",
    "privacy_consent": "on",
}


def guarded(data, seconds_ago=60):
    """What a person sends: the form as shown a minute ago (its signed start time)."""
    return {**data, "started": signing.dumps(time.time() - seconds_ago, salt=START_SALT)}


def send(client, path, data, **kwargs):
    return client.post(path, guarded(data), **kwargs)


def confirmation_link(message):
    return re.search(r"https?://\S+/akun/konfirmasi/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_signup_confirm_then_login(client):
    response = send(client, "/akun/daftar/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="dewi@example.com")
    assert user.privacy_consent_at is not None
    assert not user.email_confirmed
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dewi@example.com"]

    # Before confirming: refused, with a clear message.
    refused = client.post(
        "/akun/masuk/", {"username": "dewi@example.com", "password": SIGNUP["password1"]}
    )
    assert refused.status_code == 200
    assert "Konfirmasi alamat e-mail Anda terlebih dahulu" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    link = confirmation_link(mail.outbox[0])
    confirmed = client.get(link.split("testserver")[-1], follow=True)
    assert confirmed.status_code == 200
    user.refresh_from_db()
    assert user.email_confirmed

    ok = client.post(
        "/akun/masuk/", {"username": "dewi@example.com", "password": SIGNUP["password1"]}
    )
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_confirmation_link_works_only_once(client):
    send(client, "/akun/daftar/", SIGNUP)
    path = confirmation_link(mail.outbox[0]).split("testserver")[-1]
    assert client.get(path).status_code == 302
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_signup_without_consent_keeps_what_was_typed(client):
    data = {**SIGNUP, "privacy_consent": ""}
    response = send(client, "/akun/daftar/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Dewi Lestari"' in body
    assert "Anda harus menyetujui pemberitahuan data pribadi untuk mendaftar." in body
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_with_a_registered_email_reveals_nothing_and_tells_the_owner(client, owner):
    """The visitor sees what a new sign-up sees; the address's owner gets an e-mail."""
    new = send(client, "/akun/daftar/", {**SIGNUP, "email": "baru@example.com"}, follow=True)
    mail.outbox.clear()
    taken = send(client, "/akun/daftar/", {**SIGNUP, "email": owner.email.upper()}, follow=True)
    assert taken.redirect_chain == new.redirect_chain == [("/akun/daftar/selesai/", 302)]
    assert taken.content == new.content
    assert "Akun dengan alamat e-mail ini sudah ada" not in taken.content.decode()

    assert User.objects.filter(email__iexact=owner.email).count() == 1
    owner.refresh_from_db()
    assert owner.full_name == "Owner A"
    assert owner.check_password("password-123")  # the account is unchanged
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [owner.email]
    assert "sudah memiliki akun" in notice.subject
    assert "http://testserver/akun/masuk/" in notice.body
    assert "http://testserver/akun/sandi/lupa/" in notice.body
    assert "/akun/konfirmasi/" not in notice.body


@pytest.mark.django_db
def test_signup_with_an_unconfirmed_email_sends_a_new_confirmation_link(client):
    send(client, "/akun/daftar/", SIGNUP)
    mail.outbox.clear()
    again = send(client, "/akun/daftar/", {**SIGNUP, "full_name": "Someone Else"})
    assert again.status_code == 302
    user = User.objects.get(email="dewi@example.com")
    assert user.full_name == "Dewi Lestari"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dewi@example.com"]
    path = confirmation_link(mail.outbox[0]).split("testserver")[-1]
    assert client.get(path).status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed


@pytest.mark.django_db
def test_account_exists_notice_is_in_the_owners_language(client, owner):
    owner.language = "en"
    owner.save(update_fields=["language"])
    send(client, "/akun/daftar/", {**SIGNUP, "email": owner.email})
    subject = mail.outbox[0].subject
    assert subject == "You already have an account on the Portal IKM Kabupaten Tangerang"
    assert "no new account was created" in mail.outbox[0].body


@pytest.mark.django_db
def test_signup_with_a_registered_email_still_checks_the_form(client, owner):
    """A bad form is shown again for a taken address too, with what was typed."""
    data = {**SIGNUP, "email": owner.email, "password2": "something-else-1"}
    response = send(client, "/akun/daftar/", data)
    assert response.status_code == 200
    assert 'value="Dewi Lestari"' in response.content.decode()
    assert not mail.outbox


@pytest.mark.django_db
def test_one_address_gets_at_most_five_account_emails_an_hour(client, owner):
    """Sign-ups with a taken address and resend requests count together, per address;
    the visitor's answer never changes, and other addresses are not held back."""
    pages = set()
    for _ in range(4):
        response = send(client, "/akun/daftar/", {**SIGNUP, "email": owner.email}, follow=True)
        pages.add(response.content)
    unconfirmed = User.objects.create_user("baru@example.com", "anyaman-rotan-99")
    owner.email_confirmed_at = None
    owner.save(update_fields=["email_confirmed_at"])
    for _ in range(3):
        response = send(client, "/akun/konfirmasi/kirim-ulang/", {"email": owner.email})
        assert response.status_code == 302
    assert len(pages) == 1
    assert [m.to for m in mail.outbox] == [[owner.email]] * 5
    send(client, "/akun/konfirmasi/kirim-ulang/", {"email": unconfirmed.email})
    assert mail.outbox[-1].to == [unconfirmed.email]


@pytest.mark.django_db
def test_password_reset_sends_a_link(client, owner):
    response = send(client, "/akun/sandi/lupa/", {"email": owner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/akun/sandi/atur/" in mail.outbox[0].body


@pytest.mark.django_db
def test_owner_cannot_open_the_admin(client, owner):
    client.force_login(owner)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_staff_can_open_the_admin_and_it_is_branded(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Portal IKM Kabupaten Tangerang — Disperindag" in response.content.decode()
