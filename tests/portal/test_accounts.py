import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

User = get_user_model()

SIGNUP = {
    "full_name": "Dewi Lestari",
    "email": "Dewi@Example.com",
    "password1": "anyaman-rotan-99",
    "password2": "anyaman-rotan-99",
    "privacy_consent": "on",
}


def confirmation_link(message):
    return re.search(r"https?://\S+/akun/konfirmasi/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_signup_confirm_then_login(client):
    response = client.post("/akun/daftar/", SIGNUP)
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
    client.post("/akun/daftar/", SIGNUP)
    path = confirmation_link(mail.outbox[0]).split("testserver")[-1]
    assert client.get(path).status_code == 302
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_signup_without_consent_keeps_what_was_typed(client):
    data = {**SIGNUP, "privacy_consent": ""}
    response = client.post("/akun/daftar/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Dewi Lestari"' in body
    assert "Anda harus menyetujui pemberitahuan data pribadi untuk mendaftar." in body
    assert not User.objects.exists()


@pytest.mark.django_db
def test_duplicate_email_is_refused(client, owner):
    response = client.post("/akun/daftar/", {**SIGNUP, "email": owner.email.upper()})
    assert response.status_code == 200
    assert User.objects.filter(email__iexact=owner.email).count() == 1


@pytest.mark.django_db
def test_password_reset_sends_a_link(client, owner):
    response = client.post("/akun/sandi/lupa/", {"email": owner.email})
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
