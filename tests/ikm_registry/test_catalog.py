"""The public catalog: what it shows, what it never shows, in both languages."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from ikm_registry import services
from ikm_registry.models import Business, Certificate
from tests.ikm_registry import catalog_fixtures
from tests.ikm_registry.catalog_fixtures import HIDDEN_MARKERS, column_conditions, grow_catalog

catalog_world = catalog_fixtures.catalog_world

pytestmark = pytest.mark.django_db


def url(name, *args, lang="id"):
    with translation.override(lang):
        return reverse(f"ikm_registry:{name}", args=args)


def public_urls(world):
    urls = []
    for lang in ("id", "en"):
        urls += [
            url("catalog", lang=lang),
            url("catalog", lang=lang) + "?q=rotan",
            url("catalog", lang=lang) + "?q=keranjang&sort=newest",
            url("catalog", lang=lang) + f"?commodity={world.rotan.slug}",
            url("directory", lang=lang),
            url("directory", lang=lang) + "?q=rotan",
            url("catalog_product", world.basket.slug, lang=lang),
            url("directory_business", world.business.slug, lang=lang),
        ]
    return [*urls, "/", "/en/", "/sitemap.xml", "/robots.txt"]


def test_hidden_data_never_reaches_any_public_page(client, catalog_world):
    for address in public_urls(catalog_world):
        body = client.get(address).content.decode()
        for marker in HIDDEN_MARKERS:
            assert marker not in body, (address, marker)
    # The public page of the same visit did render what is public.
    assert "Keranjang Rotan Bundar" in client.get(url("catalog")).content.decode()


@pytest.mark.parametrize("marker", HIDDEN_MARKERS)
def test_hidden_product_and_business_pages_are_404(client, catalog_world, marker):
    product = catalog_world.hidden[marker]
    assert client.get(url("catalog_product", product.slug)).status_code == 404
    if product.business != catalog_world.business:
        assert client.get(url("directory_business", product.business.slug)).status_code == 404


def test_hidden_pages_stay_hidden_from_their_own_owner_and_staff(
    client, catalog_world, other_owner, admin_staff
):
    """The public catalog is public data only, whoever looks: owners use their dashboard."""
    draft = catalog_world.hidden["DraftSecret"]
    for user in (other_owner, admin_staff):
        client.force_login(user)
        assert client.get(url("catalog_product", draft.slug)).status_code == 404
        assert "DraftSecret" not in client.get(url("catalog")).content.decode()


def test_business_that_loses_verification_disappears(client, catalog_world, coordinator):
    business = catalog_world.business
    assert client.get(url("directory_business", business.slug)).status_code == 200
    services.return_with_notes(business=business, by=coordinator, notes="Foto kurang jelas.")
    assert client.get(url("directory_business", business.slug)).status_code == 404
    assert client.get(url("catalog_product", catalog_world.basket.slug)).status_code == 404
    body = client.get(url("catalog")).content.decode()
    assert "Keranjang Rotan Bundar" not in body
    assert "Kacang Mede Goreng" in body


@pytest.mark.parametrize("who", ["anonymous", "owner", "other_owner", "admin_staff"])
def test_every_public_page_shows_the_same_public_content_to_everyone(
    client, catalog_world, request, who
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    pages = {
        url("catalog"): ["Keranjang Rotan Bundar", "Kacang Mede Goreng"],
        url("directory"): ["Anyaman Rotan Sejahtera", "Kacang Mede Makmur"],
        url("catalog_product", "keranjang-rotan-bundar"): ["Round Rattan Basket", "SVLK"],
        url("directory_business", "anyaman-rotan-sejahtera"): ["Kursi Rotan Teras"],
    }
    pages[url("catalog_product", "keranjang-rotan-bundar")] = ["Keranjang Rotan Bundar", "SVLK"]
    for address, expected in pages.items():
        response = client.get(address)
        assert response.status_code == 200, address
        body = response.content.decode()
        for text in expected:
            assert text in body, (who, address, text)


def test_product_page_shows_the_facts_a_buyer_needs(client, catalog_world):
    body = client.get(url("catalog_product", "keranjang-rotan-bundar")).content.decode()
    assert "Keranjang anyaman rotan alami" in body
    assert "Pesanan minimum" in body and "100 pcs" in body
    assert "2.000 pcs per bulan" in body
    assert "Siap ekspor" in body
    assert "/media/products/keranjang-rotan-bundar-0" in body  # the photo
    assert "Keranjang rotan bundar di atas meja" in body  # its alt text
    assert "Anyaman Rotan Sejahtera" in body and "Cikupa" in body  # the business profile
    assert "Jepang" in body  # export experience, the country named in Indonesian (CLDR)
    assert 'href="https://wa.me/6281234567890"' in body
    assert 'id="permintaan"' in body  # the inquiry form


def test_certificates_show_number_and_validity_never_the_scan(client, catalog_world):
    for address in (
        url("catalog_product", "keranjang-rotan-bundar"),
        url("directory_business", "anyaman-rotan-sejahtera"),
    ):
        body = client.get(address).content.decode()
        assert "SVLK/V-Legal" in body and "SVLK-NOMOR-RAHASIA-123" in body
        start = body.rindex("<li", 0, body.index("EXPIRED-HALAL-1"))  # expired in 2020
        assert "kedaluwarsa" in body[start : body.index("</li>", start)]
        assert "/dokumen/" not in body  # the scan stays private


def test_no_owner_email_or_private_data_on_any_page(client, catalog_world):
    business = catalog_world.business
    private = [
        business.email,
        business.owner.email,
        catalog_world.other.owner.email,
        business.nib,
        business.owner_name,
        business.address,
    ]
    for address in public_urls(catalog_world):
        body = client.get(address).content.decode()
        for value in private:
            assert value not in body, (address, value)


def test_whatsapp_link_only_where_the_owner_allowed_it(client, catalog_world):
    Business.objects.filter(pk=catalog_world.business.pk).update(whatsapp_public=False)
    body = client.get(url("directory_business", "anyaman-rotan-sejahtera")).content.decode()
    assert "wa.me" not in body
    assert "81234567890" not in body


def test_english_pages_show_english_text_with_indonesian_fallback(client, catalog_world):
    body = client.get(url("catalog_product", "keranjang-rotan-bundar", lang="en")).content.decode()
    assert body.startswith("<!DOCTYPE html>") and '<html lang="en">' in body
    assert "<h1>Round Rattan Basket</h1>" in body
    assert "Handwoven natural rattan basket." in body
    assert "Rattan weavers in Cikupa since 1998." in body
    assert "Rattan Crafts" in body  # the commodity's English name
    assert "Minimum order" in body

    fallback = client.get(url("catalog_product", "kursi-rotan-teras", lang="en")).content.decode()
    assert "<h1>Kursi Rotan Teras</h1>" in fallback  # no English name given
    assert "Kursi rotan untuk teras." in fallback

    catalog = client.get(url("catalog", lang="en")).content.decode()
    assert "Round Rattan Basket" in catalog and "Kursi Rotan Teras" in catalog
    assert "Fried Cashew Nuts" in catalog
    assert 'href="/en/katalog/keranjang-rotan-bundar/"' in catalog

    indonesian = client.get(url("catalog_product", "keranjang-rotan-bundar")).content.decode()
    assert "<h1>Keranjang Rotan Bundar</h1>" in indonesian
    assert "Round Rattan Basket" not in indonesian


def test_urls_are_readable_slugs_in_both_languages(catalog_world):
    assert url("catalog_product", "keranjang-rotan-bundar") == "/katalog/keranjang-rotan-bundar/"
    assert (
        url("catalog_product", "keranjang-rotan-bundar", lang="en")
        == "/en/katalog/keranjang-rotan-bundar/"
    )
    assert url("directory_business", "anyaman-rotan-sejahtera", lang="en") == (
        "/en/ikm-direktori/anyaman-rotan-sejahtera/"
    )


def test_filters_narrow_the_catalog(client, catalog_world):
    def names(query, name="catalog"):
        body = client.get(url(name) + query).content.decode()
        return {
            text
            for text in [
                "Keranjang Rotan Bundar",
                "Kursi Rotan Teras",
                "Kacang Mede Goreng",
                "Anyaman Rotan Sejahtera",
                "Kacang Mede Makmur",
            ]
            if f"{text}</a></h2>" in body
        }

    assert names("?export_ready=on") == {"Keranjang Rotan Bundar"}
    assert names(f"?commodity={catalog_world.mede.slug}") == {"Kacang Mede Goreng"}
    kecamatan = catalog_world.other.desa.kecamatan.code
    assert names(f"?kecamatan={kecamatan}") == {"Kacang Mede Goreng"}
    assert names(f"?certificate={Certificate.Kind.SVLK}") == {
        "Keranjang Rotan Bundar",
        "Kursi Rotan Teras",
    }
    assert names(f"?certificate={Certificate.Kind.HALAL}") == set()  # only an expired one
    assert names("?size=mikro") == {"Kacang Mede Goreng"}
    assert names("?size=mikro", "directory") == {"Kacang Mede Makmur"}
    assert names("?export_ready=on", "directory") == {"Anyaman Rotan Sejahtera"}
    assert names(f"?commodity={catalog_world.rotan.slug}", "directory") == {
        "Anyaman Rotan Sejahtera"
    }
    # In a search, export-ready is checked on the word's matches (see below).
    assert names("?q=rotan") == {"Keranjang Rotan Bundar", "Kursi Rotan Teras"}
    assert names("?q=rotan&export_ready=on") == {"Keranjang Rotan Bundar"}
    assert names("?q=rotan&export_ready=on&sort=newest") == {"Keranjang Rotan Bundar"}


def test_a_search_checks_export_ready_on_its_matches(client, catalog_world):
    """Searched, the export-ready filter is written so that no index answers it: as a
    plain condition PostgreSQL ANDed the word's matches with a bitmap of every
    export-ready product (1,200,000 at national scale). Browsing keeps the plain one,
    which the export-ready indexes serve."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def export_conditions(query):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("catalog") + query).status_code == 200
        return column_conditions(" ".join(q["sql"] for q in queries), "export_ready")

    assert export_conditions("?q=rotan&export_ready=on") == (False, True)
    assert export_conditions("?export_ready=on") == (True, False)


def test_bad_filter_values_are_reported_not_a_500(client, catalog_world):
    response = client.get(url("catalog") + "?commodity=nope&kecamatan=xx&sort=evil&size=huge")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Masukkan pilihan yang valid" in body
    assert "Keranjang Rotan Bundar" in body  # the bad filters are ignored
    response = client.get(url("directory") + "?page=999&certificate=bogus")
    assert response.status_code == 200


def test_sorting_by_name_and_newest(client, catalog_world):
    def order(query):
        body = client.get(url("catalog") + query).content.decode()
        found = re.findall(r'<h2><a href="/katalog/([\w-]+)/">', body)
        return found

    assert order("?sort=name") == sorted(order("?sort=name"))
    newest = order("?sort=newest")
    assert newest[0] == "kacang-mede-goreng"  # created last among the public ones
    english = client.get(url("catalog", lang="en") + "?sort=name").content.decode()
    en_order = re.findall(r'<h2><a href="/en/katalog/[\w-]+/">([^<]+)</a>', english)
    assert en_order == sorted(en_order)  # by the English name where given


def test_pagination_keeps_the_filters(client, catalog_world, settings):
    grow_catalog(13, with_photos=False)
    body = client.get(url("catalog") + "?commodity=kerajinan-rotan&sort=name").content.decode()
    assert "Halaman 1 dari 2" in body
    assert 'href="?commodity=kerajinan-rotan&amp;sort=name&amp;page=2"' in body
    page2 = client.get(url("catalog") + "?commodity=kerajinan-rotan&sort=name&page=2")
    assert "Halaman 2 dari 2" in page2.content.decode()


def test_seo_titles_descriptions_and_open_graph(client, catalog_world):
    body = client.get(url("catalog_product", "keranjang-rotan-bundar")).content.decode()
    assert "<title>Keranjang Rotan Bundar — Anyaman Rotan Sejahtera" in body
    assert '<meta name="description" content="Keranjang anyaman rotan alami' in body
    assert '<meta property="og:title" content="Keranjang Rotan Bundar">' in body
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/products/'
        r'keranjang-rotan-bundar-0[^"]*\.jpg">',
        body,
    )
    assert (
        '<link rel="alternate" hreflang="en" '
        'href="http://testserver/en/katalog/keranjang-rotan-bundar/">' in body
    )
    english = client.get(url("catalog_product", "keranjang-rotan-bundar", lang="en"))
    assert '<meta property="og:title" content="Round Rattan Basket">' in english.content.decode()
    listing = client.get(url("catalog") + "?q=rotan").content.decode()
    assert "<title>Produk untuk “rotan”" in listing


def test_sitemap_lists_public_pages_in_both_languages_only(client, catalog_world):
    body = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/katalog/keranjang-rotan-bundar/" in body
    assert "http://testserver/en/katalog/keranjang-rotan-bundar/" in body
    assert "http://testserver/ikm-direktori/anyaman-rotan-sejahtera/" in body
    assert "http://testserver/en/ikm-direktori/" in body
    assert 'hreflang="en"' in body
    for marker in HIDDEN_MARKERS:
        assert marker.lower() not in body.lower()


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_home_features_verified_products_only(client, catalog_world):
    body = client.get("/").content.decode()
    assert "Keranjang Rotan Bundar" in body
    for marker in HIDDEN_MARKERS:
        assert marker not in body
    assert "Round Rattan Basket" in client.get("/en/").content.decode()


def test_header_link_still_reaches_the_catalog(client, catalog_world):
    body = client.get("/").content.decode()
    assert f'href="{url("catalog")}"' in body


@pytest.mark.parametrize("sort", ["name", "relevance"])
def test_a_search_pages_through_its_matches_in_order(client, sort):
    from tests.factories import ProductFactory

    names = [f"Tikar Pandan {n:02d}" for n in range(30)]
    for name in reversed(names):  # created in the opposite order: the sort decides
        ProductFactory(name=name)
    ProductFactory(name="Keranjang Rotan")  # no match

    def names_on(page):
        response = client.get(url("catalog") + f"?q=pandan&sort={sort}&page={page}")
        return re.findall(r'<h2><a href="/katalog/[\w-]+/">([^<]+)</a>', response.content.decode())

    first, second = names_on(1), names_on(2)
    assert len(first) == 24
    assert sorted(first + second) == names  # every match once, across both pages
    if sort == "name":
        assert first + second == names
