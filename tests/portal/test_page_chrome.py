"""What every page built on base.html shares: the language links worked out from the
request's own match (tangerang_ikm/templatetags/page_languages.py), and the home page's
featured products kept per registry data version."""

import re

import pytest
from django.urls import translate_url

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _links(body):
    nav = re.search(r'<nav class="language-switcher".*?</nav>', body, re.S).group(0)
    switcher = dict(
        (lang, href.replace("&amp;", "&"))
        for href, lang in re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', nav)
    )
    head = body.split("</head>", 1)[0]
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', head).group(1)
    alternates = dict(
        (lang, href) for lang, href in re.findall(r'hreflang="([\w-]+)" href="([^"]+)"', head)
    )
    return switcher, canonical, alternates


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/",
        "/katalog/?q=rotan&sort=name",
        "/en/katalog/?q=rotan&page=2",
        "/ikm-direktori/",
        "/gerai/kalender/",
        "/en/gerai/acara/?kind=bazaar",
        "/halaman-yang-tidak-ada/?a=1",  # a 404: no match, the path kept as it is
    ],
)
def test_language_links_are_what_translate_url_gives(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    switcher, canonical, alternates = _links(response.content.decode())
    bare = "http://testserver" + path.split("?")[0]
    for language in ("id", "en"):
        assert switcher[language] == translate_url(path, language)
    expected = {lang: translate_url(bare, lang) for lang in ("id", "en")}
    current = "en" if path.startswith("/en/") else "id"
    assert canonical == expected[current]
    if expected["id"] != expected["en"]:
        assert alternates == {
            "id": expected["id"],
            "en": expected["en"],
            "x-default": expected["id"],
        }
    else:
        assert alternates == {}


def test_a_detail_page_links_its_own_slug_in_both_languages(client):
    product = ProductFactory(name="Tas Pandan Biru")
    body = client.get(f"/katalog/{product.slug}/").content.decode()
    switcher, canonical, alternates = _links(body)
    assert switcher == {"id": f"/katalog/{product.slug}/", "en": f"/en/katalog/{product.slug}/"}
    assert canonical == f"http://testserver/katalog/{product.slug}/"
    assert alternates["en"] == f"http://testserver/en/katalog/{product.slug}/"
    assert f'<meta property="og:url" content="http://testserver/katalog/{product.slug}/">' in body


def test_home_featured_products_are_kept_until_the_registry_changes(
    client, django_assert_num_queries
):
    product = ProductFactory(name="Keranjang Mendong Hijau", export_ready=True)
    assert "Keranjang Mendong Hijau" in client.get("/").content.decode()
    with django_assert_num_queries(0):  # from the cache: no query for the cards
        again = client.get("/").content.decode()
    assert "Keranjang Mendong Hijau" in again
    assert '<ul class="card-grid">' in again  # the kept HTML is not escaped
    product.name = "Keranjang Mendong Merah"
    product.name_en = "Red Mendong Basket"
    product.save()
    body = client.get("/").content.decode()
    assert "Keranjang Mendong Merah" in body
    assert "Keranjang Mendong Hijau" not in body
    # Per language: the English page has its own copy.
    assert "Red Mendong Basket" in client.get("/en/").content.decode()


def test_kept_header_and_footer_never_show_one_visitors_menu_to_another(client, owner):
    assert ">Masuk</a>" in client.get("/").content.decode()
    client.force_login(owner)
    logged_in = client.get("/").content.decode()
    assert "Keluar" in logged_in and "Dasbor IKM saya" in logged_in
    assert "csrfmiddlewaretoken" in logged_in  # the logout form's own token
    client.logout()
    again = client.get("/").content.decode()
    assert "Keluar" not in again and "Dasbor IKM saya" not in again
    assert ">Masuk</a>" in again
    # In English, the kept parts are English.
    english = client.get("/en/").content.decode()
    assert ">Log in</a>" in english and ">Home</a>" in english
    assert ">Masuk</a>" not in english


def test_kept_footer_follows_the_settings(client, settings):
    client.get("/")  # the footer kept with the first address
    settings.OFFICE_EMAIL = "kantor-baru@example.go.id"
    assert "mailto:kantor-baru@example.go.id" in client.get("/").content.decode()


def test_every_stylesheet_is_linked_in_the_head(client):
    """A stylesheet linked in the body applies after the first paint: a rule of it that
    touches the header moves the page (Lighthouse's layout shift; catalog.css once made
    the language switcher's current link bold after the home page was painted)."""
    from tests.gerai.factories import EventFactory

    product = ProductFactory(name="Tampah Bambu", export_ready=True)
    event = EventFactory()
    # The home page with its featured cards: they are what needs catalog.css there.
    assert "Tampah Bambu" in client.get("/").content.decode()
    pages = ["/", "/en/", "/katalog/", f"/katalog/{product.slug}/", event.get_absolute_url()]
    for path in pages:
        head, rest = client.get(path).content.decode().split("</head>", 1)
        assert 'rel="stylesheet"' in head, path
        assert 'rel="stylesheet"' not in rest, path
