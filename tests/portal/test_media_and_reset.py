"""Public media served by the app in production, never a private document; password
reset goes through the task queue and does the same work for every address."""

import pytest
from django.core import mail
from django.tasks import task_backends
from django.test import Client
from django.urls import reverse

from tests.portal.test_form_guard import started

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(settings):
    path = settings.MEDIA_ROOT / "products" / "keranjang.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8\xff jpeg bytes")
    return path


def test_public_media_is_served_with_debug_off(client, settings, photo):
    assert not settings.DEBUG
    assert reverse("media", args=["products/keranjang.jpg"]) == "/media/products/keranjang.jpg"
    response = client.get("/media/products/keranjang.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff jpeg bytes"
    assert response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"]
    again = client.get(
        "/media/products/keranjang.jpg", headers={"if-modified-since": response["Last-Modified"]}
    )
    assert again.status_code == 304


def test_media_through_nginx_when_configured(client, settings, photo):
    settings.MEDIA_ACCEL_REDIRECT = "/_media/"
    response = client.get("/media/products/keranjang.jpg")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_media/products/keranjang.jpg"
    assert response.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/media/../private/certificates/scan.pdf",
        "/media/%2e%2e/private/certificates/scan.pdf",
        "/media/products/",
        "/media/tidak-ada.jpg",
    ],
)
def test_nothing_outside_media_root_is_served(client, settings, photo, path):
    private = settings.PRIVATE_MEDIA_ROOT / "certificates" / "scan.pdf"
    private.parent.mkdir(parents=True, exist_ok=True)
    private.write_bytes(b"%PDF-1.4 rahasia")
    response = client.get(path)
    assert response.status_code == 404
    assert b"rahasia" not in b"".join(getattr(response, "streaming_content", [response.content]))


def reset(client, email):
    return client.post("/akun/sandi/lupa/", {"email": email, "website": "", "started": started()})


def test_password_reset_queues_the_same_task_for_known_and_unknown_addresses(settings, owner):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    known = reset(Client(), owner.email)
    unknown = reset(Client(), "tidak-terdaftar@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert not mail.outbox  # nothing is sent inside the request
    queued = [(r.task.name, sorted(r.kwargs)) for r in backend.results]
    assert queued == [("send_password_reset", ["email"])] * 2
    assert [r.kwargs["email"] for r in backend.results] == [
        owner.email,
        "tidak-terdaftar@example.com",
    ]


def test_the_reset_task_sends_the_link_in_the_accounts_language(client, owner):
    owner.language = "en"
    owner.save(update_fields=["language"])
    reset(client, owner.email)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert "/en/akun/sandi/atur/" in message.body
    link = message.body.split("http://127.0.0.1:8000")[1].split()[0]
    assert client.get(link, follow=True).status_code == 200
    reset(client, "tidak-terdaftar@example.com")
    assert len(mail.outbox) == 1
