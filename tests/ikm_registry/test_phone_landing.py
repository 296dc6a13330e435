"""Owners land on their dashboard after login, whose first line says what to do next."""

import pytest
from django.urls import reverse

from ikm_registry.models import Business
from tests.factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def post(user, **extra):
        return client.post(
            "/akun/masuk/" + extra.get("query", ""),
            {"username": user.email, "password": "password-123"},
        )

    return post


def test_owner_lands_on_the_dashboard(login, owner):
    response = login(owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("ikm_registry:dashboard")


def test_staff_land_where_they_did(login, admin_staff):
    response = login(admin_staff)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_next_link_still_wins(login, owner):
    response = login(owner, query="?next=/katalog/")
    assert response["Location"] == "/katalog/"


def first_line(client):
    html = client.get(reverse("ikm_registry:dashboard")).content.decode()
    after_heading = html.split("</h1>", 1)[1].lstrip()
    assert after_heading.startswith('<p class="next-step" id="next-step">')
    return after_heading.split("</p>", 1)[0]


@pytest.mark.parametrize(
    ("status", "says", "links_to"),
    [
        (None, "Daftarkan usaha Anda", "/ikm/usaha/baru/"),
        (Business.Status.DRAFT, "Lengkapi data Rotan A, lalu ajukan verifikasi.", "detail"),
        (Business.Status.RETURNED, "Rotan A dikembalikan petugas", "detail"),
        (Business.Status.SUBMITTED, "Rotan A menunggu verifikasi petugas", None),
        (Business.Status.VERIFIED, "tambahkan produk dan daftarlah ke misi dagang", "product"),
    ],
)
def test_the_dashboards_first_line_says_the_next_step(client, owner, status, says, links_to):
    business = status and BusinessFactory(owner=owner, name="Rotan A", status=status)
    client.force_login(owner)
    line = first_line(client)
    assert says in line
    if links_to == "detail":
        assert reverse("ikm_registry:business_detail", args=[business.pk]) in line
    elif links_to == "product":
        assert reverse("ikm_registry:product_create", args=[business.pk]) in line
        assert reverse("missions:list") in line
    elif links_to:
        assert links_to in line
    else:
        assert "<a " not in line


def test_the_business_that_needs_the_owner_comes_first(client, owner):
    BusinessFactory(owner=owner, name="Sudah Terverifikasi", status=Business.Status.VERIFIED)
    BusinessFactory(owner=owner, name="Dikembalikan", status=Business.Status.RETURNED)
    client.force_login(owner)
    assert "Dikembalikan dikembalikan petugas" in first_line(client)
