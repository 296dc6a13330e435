"""Sign-up, password reset and resend-confirmation are guarded like the inquiry form,
by the same code (tangerang_ikm.forms.GuardedFormMixin): a honeypot, a minimum fill
time whose signed start is used once, and at most ten attempts an hour per address."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.cache import caches

from tangerang_ikm.forms import START_SALT

User = get_user_model()
pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Dewi Lestari",
    "email": "dewi@example.com",
    "password1": "anyaman-rotan-99",
    "password2": "anyaman-rotan-99",
    "privacy_consent": "on",
}
# (path, what a person types, a field whose typed value is shown again)
FORMS = {
    "signup": ("/akun/daftar/", SIGNUP, "full_name"),
    "resend": ("/akun/konfirmasi/kirim-ulang/", {"email": "dewi@example.com"}, "email"),
    "reset": ("/akun/sandi/lupa/", {"email": "dewi@example.com"}, "email"),
}


@pytest.fixture(autouse=True)
def _fresh_limits():
    caches["limits"].clear()
    yield
    caches["limits"].clear()


def started(seconds_ago=60):
    return signing.dumps(time.time() - seconds_ago, salt=START_SALT)


def typed(data, **overrides):
    return {**data, "website": "", "started": started(), **overrides}


def assert_kept(response, data, field):
    body = response.content.decode()
    assert f'value="{data[field]}"' in body
    assert data.get("password1", "\0") not in body  # passwords are never shown again


@pytest.mark.parametrize("name", FORMS)
def test_an_instant_post_is_refused_with_what_was_typed(client, name):
    path, data, field = FORMS[name]
    sent = typed(data, started=started(seconds_ago=0.2))
    response = client.post(path, sent)
    assert response.status_code == 200
    assert "Formulir dikirim terlalu cepat" in response.content.decode()
    assert_kept(response, sent, field)
    assert not mail.outbox and not User.objects.exists()


@pytest.mark.parametrize("name", FORMS)
def test_a_filled_honeypot_is_refused(client, name):
    path, data, field = FORMS[name]
    sent = typed(data, website="http://spam.example")
    response = client.post(path, sent)
    assert response.status_code == 200
    assert "kolom tersembunyi yang tidak boleh diisi" in response.content.decode()
    assert_kept(response, sent, field)
    assert not mail.outbox and not User.objects.exists()


@pytest.mark.parametrize("name", FORMS)
def test_a_missing_start_time_is_refused_and_renewed(client, name):
    path, data, _field = FORMS[name]
    response = client.post(path, {**data, "website": ""})
    body = response.content.decode()
    assert "Formulir ini sudah kedaluwarsa" in body
    fresh = re.search(r'name="started" value="([^"]+)"', body).group(1)
    assert signing.loads(fresh, salt=START_SALT) <= time.time()


@pytest.mark.parametrize("name", FORMS)
def test_the_eleventh_attempt_in_an_hour_from_one_address_is_refused(client, name):
    path, data, field = FORMS[name]
    for n in range(10):
        sent = typed(data, email=f"orang{n}@example.com")
        assert client.post(path, sent, REMOTE_ADDR="10.7.0.1").status_code == 302, n
    sent = typed(data, email="orang11@example.com")
    response = client.post(path, sent, REMOTE_ADDR="10.7.0.1")
    assert response.status_code == 429
    assert "Terlalu banyak permintaan dari jaringan Anda" in response.content.decode()
    assert_kept(response, sent, field)
    # Another address is not held back.
    assert client.post(path, typed(data, email="lain@example.com"), REMOTE_ADDR="10.7.0.2")[
        "Location"
    ]


def test_the_limit_message_is_in_the_visitors_language(client):
    path, data, _field = FORMS["signup"]
    for n in range(11):
        response = client.post("/en" + path, typed(data, email=f"o{n}@example.com"))
    assert response.status_code == 429
    body = response.content.decode()
    assert "from your network in the last hour" in body
    assert "Terlalu banyak permintaan" not in body


@pytest.mark.parametrize("name", FORMS)
def test_a_start_time_serves_one_post_only(client, name):
    path, data, _field = FORMS[name]
    sent = typed(data)
    assert client.post(path, sent).status_code == 302
    again = client.post(path, {**sent, "email": "lain@example.com"})
    assert again.status_code == 200
    assert "Formulir ini sudah pernah dikirim" in again.content.decode()


def test_a_refused_signup_keeps_its_start_time_for_the_next_try(client):
    """A typo is not a replay: the same form, corrected, goes through."""
    sent = typed(SIGNUP, password2="lain-sekali-77")
    body = client.post("/akun/daftar/", sent).content.decode()
    assert re.search(r'name="started" value="([^"]+)"', body).group(1) == sent["started"]
    assert (
        client.post("/akun/daftar/", {**sent, "password2": SIGNUP["password2"]}).status_code == 302
    )
    assert User.objects.filter(email="dewi@example.com").exists()


def test_the_honeypot_is_out_of_sight_on_every_account_form(client):
    for path, _data, _field in FORMS.values():
        body = client.get(path).content.decode()
        assert re.search(r'<div class="hp" aria-hidden="true">.*?name="website"', body, re.S)
        assert "css/guard.css" in body


@pytest.mark.parametrize(
    "value", ["Dewi\r\nBcc: korban@evil.example", "Dewi\nLestari", "Dewi\x00", "Dewi\u2028X"]
)
def test_single_line_fields_refuse_control_characters(client, value):
    response = client.post("/akun/daftar/", typed(SIGNUP, full_name=value))
    assert response.status_code == 200
    assert "hanya boleh berisi satu baris" in response.content.decode()
    assert not User.objects.exists()


def test_a_real_website_field_of_an_unguarded_form_stays_in_sight(client, owner):
    """The shared form include hides only a guarded form's honeypot: the business form's
    own `website` field is shown like any other."""
    client.force_login(owner)
    body = client.get("/ikm/usaha/baru/").content.decode()
    assert 'name="website"' in body
    assert 'class="hp"' not in body
