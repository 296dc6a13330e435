"""Security headers: the CSP everywhere, and HSTS & co. in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_csp_allows_only_self_and_no_inline_code(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(
        [*part.split(" ", 1), ""][:2] for part in (d.strip() for d in csp.split(";")) if part
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


@pytest.mark.django_db
@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_REDIRECT_EXEMPT=[r"^healthz$"],
)
def test_production_headers(owner):
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"

    login = Client(HTTP_X_FORWARDED_PROTO="https")
    reply = login.post("/akun/masuk/", {"username": owner.email, "password": "password-123"})
    assert reply.status_code == 302
    cookie = reply.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"

    # Plain HTTP is redirected to HTTPS, except the load balancer's health probe.
    plain = Client()
    assert plain.get("/akun/masuk/").status_code == 301
    assert plain.get("/akun/masuk/")["Location"].startswith("https://")
    assert plain.get("/healthz").status_code == 200


def test_production_settings_turn_the_headers_on():
    skip = {"DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(DEBUG="false", SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="tangerang_ikm.settings")
    code = (
        "from django.conf import settings as s; import django; django.setup();"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_SAMESITE, s.X_FRAME_OPTIONS,"
        " s.SECURE_REFERRER_POLICY, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "31536000", "True", "True", "True", "Lax", "DENY", "strict-origin-when-cross-origin",
        "True", "True",
    ]  # fmt: skip


@pytest.mark.django_db
def test_pages_are_sent_compressed_to_browsers_that_accept_it(client):
    import gzip

    response = client.get("/katalog/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Katalog" in gzip.decompress(response.content).decode()
