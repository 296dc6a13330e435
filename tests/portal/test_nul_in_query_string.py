"""A NUL byte in a query string gets a 400 page that says so, never a 500.

PostgreSQL refuses NUL in text, so any filter on such a value failed as a 500: the admin's
lookups (`?status__exact=%00`) did.
"""

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = ["/katalog/?q=rotan%00", "/ikm-direktori/?kecamatan=%00", "/?%00=1", "/en/katalog/?q=%00"]
# (path with a NUL byte, the same filter with a value the list takes)
STAFF = [
    ("/admin/missions/deal/?currency__exact=%00", "IDR"),
    ("/admin/ikm_registry/business/?status__exact=%00", "verified"),
    ("/admin/gerai/spacebooking/?space__id__exact=%00", "1"),
]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_addresses_with_a_nul_byte_answer_400_with_a_page(client, path):
    response = client.get(path)
    assert response.status_code == 400
    html = response.content.decode()
    if path.startswith("/en/"):
        assert "This address cannot be read" in html
    else:
        assert "Alamat tidak dapat dibaca" in html
    assert 'href="/"' in html or 'href="/en/"' in html


@pytest.mark.parametrize(("path", "value"), STAFF)
def test_admin_lookups_with_a_nul_byte_answer_400(client, superuser, path, value):
    client.force_login(superuser)
    response = client.get(path)
    assert response.status_code == 400
    assert "Alamat tidak dapat dibaca" in response.content.decode()
    # The same filter with a value the list takes is the change list as usual.
    response = client.get(path.replace("%00", value))
    assert response.status_code == 200
    assert 'id="changelist"' in response.content.decode()


def test_an_escaped_zero_is_no_nul_byte(client):
    response = client.get("/katalog/?q=%2500")
    assert response.status_code == 200
    assert 'value="%00"' in response.content.decode()  # searched for as typed


def test_the_api_names_the_parameter_in_json_itself(client):
    response = client.get("/api/v1/products/?q=a%00b")
    assert response.status_code == 400
    assert response.json()["q"] == ["Karakter NUL tidak diperbolehkan."]


def test_djangos_own_400s_keep_djangos_page():
    """The page above speaks of the address: a bad Host header or a post with too many
    fields is not that, and rendering a page for them would need a request they lack."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    for response in (
        client.get("/", HTTP_HOST="evil.example"),
        client.post(
            "/akun/daftar/",
            "&".join(f"f{n}=1" for n in range(1200)),
            content_type="application/x-www-form-urlencoded",
        ),
    ):
        assert response.status_code == 400
        assert b"Alamat tidak dapat dibaca" not in response.content
