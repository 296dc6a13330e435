"""What each endpoint answers: only public rows, the pages' filters, both languages,
cursor pages, HTTP caching, CORS and the rate limit."""

import pytest
from django.test import override_settings

from ikm_registry.models import Business
from tests.ikm_registry.catalog_fixtures import HIDDEN_MARKERS

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def slugs(response):
    return [row["slug"] for row in results(response)]


# --- Visibility -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/products/",
        "/api/v1/products/?q=rotan",
        "/api/v1/businesses/",
        "/api/v1/businesses/?q=rotan",
        "/api/v1/events/",
        "/api/v1/missions/",
    ],
)
def test_lists_never_show_hidden_rows(client, api_world, url):
    body = client.get(url).content.decode()
    for marker in HIDDEN_MARKERS:
        assert marker not in body


def test_lists_show_the_public_rows(client, api_world):
    assert slugs(client.get("/api/v1/products/")) == [
        "kacang-mede-goreng",
        "keranjang-rotan-bundar",
        "kursi-rotan-teras",
    ]
    assert slugs(client.get("/api/v1/businesses/")) == [
        "anyaman-rotan-sejahtera",
        "kacang-mede-makmur",
    ]
    assert slugs(client.get("/api/v1/events/")) == ["bazar-desember", "bazar-batal"]
    assert set(slugs(client.get("/api/v1/missions/"))) == {"misi-busan", "misi-osaka"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/products/keranjang-rotan-draftsecret/",
        "/api/v1/products/keranjang-rotan-inactivesecret/",
        "/api/v1/businesses/rotan-draftsecret-usaha/",
        "/api/v1/businesses/rotan-archivedsecret-usaha/",
        "/api/v1/events/acara-drafsecret/",
        "/api/v1/missions/misi-drafsecret/",
        "/api/v1/missions/misi-drafsecret/results/",
    ],
)
def test_hidden_rows_are_not_found(client, api_world, url):
    assert client.get(url).status_code == 404


def test_a_cancelled_event_comes_with_its_status_and_reason(client, api_world):
    event = client.get("/api/v1/events/bazar-batal/").json()
    assert event["status"] == "cancelled"
    assert event["status_label"] == "dibatalkan"
    assert event["status_reason"] == "Hujan deras"


def test_product_detail_names_its_business_and_cover_photo(client, api_world):
    product = client.get("/api/v1/products/keranjang-rotan-bundar/").json()
    assert product["business"]["slug"] == "anyaman-rotan-sejahtera"
    assert product["business"]["kecamatan"] == {"code": "36.03.18", "name": "Cikupa"}
    assert product["photo"]["thumbnail"].startswith("http://testserver/media/products/thumbs/")
    assert product["min_order"] == "100.00"


def test_business_shows_valid_certificate_kinds_and_exports_only(client, api_world):
    business = client.get("/api/v1/businesses/anyaman-rotan-sejahtera/").json()
    # The halal certificate expired in 2020: only the SVLK one counts, and no number.
    assert business["certificates"] == [{"kind": "svlk", "label": "SVLK/V-Legal"}]
    assert [c["code"] for c in business["export_countries"]] == ["JP"]
    assert business["product_count"] == 2


def test_whatsapp_only_where_the_owner_published_it(client, api_world):
    published = client.get("/api/v1/businesses/anyaman-rotan-sejahtera/").json()
    private = client.get("/api/v1/businesses/kacang-mede-makmur/").json()
    assert published["whatsapp"] == "+6281234567890"
    assert private["whatsapp"] is None


# --- Filters --------------------------------------------------------------------


def test_product_filters_are_the_catalogs(client, api_world):
    assert slugs(client.get("/api/v1/products/?commodity=kerajinan-rotan")) == [
        "keranjang-rotan-bundar",
        "kursi-rotan-teras",
    ]
    assert slugs(client.get("/api/v1/products/?export_ready=true")) == ["keranjang-rotan-bundar"]
    assert slugs(client.get("/api/v1/products/?kecamatan=36.03.18")) == [
        "keranjang-rotan-bundar",
        "kursi-rotan-teras",
    ]
    assert slugs(client.get("/api/v1/products/?certificate=svlk")) == [
        "keranjang-rotan-bundar",
        "kursi-rotan-teras",
    ]
    assert slugs(client.get("/api/v1/products/?certificate=halal")) == []  # expired
    assert slugs(client.get("/api/v1/products/?size=mikro")) == ["kacang-mede-goreng"]
    assert slugs(client.get("/api/v1/products/?q=mede")) == ["kacang-mede-goreng"]


def test_business_filters_are_the_directorys(client, api_world):
    assert slugs(client.get("/api/v1/businesses/?size=kecil")) == ["anyaman-rotan-sejahtera"]
    assert slugs(client.get("/api/v1/businesses/?commodity=kacang-mede")) == ["kacang-mede-makmur"]
    assert slugs(client.get("/api/v1/businesses/?export_ready=true")) == ["anyaman-rotan-sejahtera"]
    # Found through a product's text (keranjang), as the directory search does.
    assert slugs(client.get("/api/v1/businesses/?q=keranjang")) == ["anyaman-rotan-sejahtera"]


def test_event_and_mission_date_ranges(client, api_world):
    event = api_world.event
    day = event.start.astimezone(event.start.tzinfo).date().isoformat()
    assert slugs(client.get(f"/api/v1/events/?from={day}&to={day}")) == ["bazar-desember"]
    assert slugs(client.get("/api/v1/events/?kind=festival_kuliner")) == ["bazar-batal"]
    done = api_world.done_mission
    window = f"from={done.start_date}&to={done.end_date}"
    assert slugs(client.get(f"/api/v1/missions/?{window}")) == ["misi-osaka"]
    assert slugs(client.get("/api/v1/missions/?status=completed")) == ["misi-osaka"]
    assert slugs(client.get("/api/v1/missions/?commodity=kerajinan-rotan")) == ["misi-osaka"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/products/?commodity=tidak-ada", "commodity"),
        ("/api/v1/products/?size=raksasa", "size"),
        ("/api/v1/businesses/?kecamatan=99.99", "kecamatan"),
        ("/api/v1/businesses/?sort=harga", "sort"),
        ("/api/v1/events/?from=kemarin", "from"),
        ("/api/v1/events/?from=2026-12-31&to=2026-12-01", "to"),
        ("/api/v1/events/?kind=konser", "kind"),
        ("/api/v1/missions/?status=draft", "status"),
        ("/api/v1/missions/?commodity=tidak-ada", "commodity"),
        ("/api/v1/products/?lang=fr", "lang"),
        ("/api/v1/products/?q=a%00b", "q"),
    ],
)
def test_a_bad_filter_is_a_400_that_names_it(client, api_world, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert field in response.json()


def test_a_nul_in_a_path_is_not_found(client, api_world):
    assert client.get("/api/v1/businesses/%00/").status_code == 404


def test_a_bad_filter_is_explained_in_the_asked_language(client, api_world):
    response = client.get("/api/v1/events/?from=2026-12-31&to=2026-12-01")
    assert response.json()["to"] == ["Tanggal akhir tidak boleh sebelum tanggal awal."]


# --- Languages ------------------------------------------------------------------


def test_english_by_parameter_or_accept_language(client, api_world):
    by_param = client.get("/api/v1/products/keranjang-rotan-bundar/?lang=en")
    by_header = client.get(
        "/api/v1/products/keranjang-rotan-bundar/", headers={"accept-language": "en"}
    )
    for response in (by_param, by_header):
        assert response.json()["name"] == "Round Rattan Basket"
        assert response.json()["category"]["name"] == "Rattan Crafts"
        assert response["Content-Language"] == "en"
    indonesian = client.get("/api/v1/products/keranjang-rotan-bundar/")
    assert indonesian.json()["name"] == "Keranjang Rotan Bundar"
    assert indonesian["Content-Language"] == "id"
    assert "Accept-Language" in indonesian["Vary"]


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8,id;q=0.5", "en"),
        ("id,en;q=0.9", "id"),
        ("ja", "id"),
        ("en;q=0, de", "id"),
        ("garbage;q=x", "id"),
    ],
)
def test_accept_language_picks_the_best_supported(client, api_world, header, language):
    response = client.get("/api/v1/kecamatan/", headers={"accept-language": header})
    assert response["Content-Language"] == language


def test_the_language_cookie_is_ignored(client, api_world):
    """Answers vary by Accept-Language only, so a shared cache may keep them."""
    client.cookies["django_language"] = "en"
    response = client.get("/api/v1/products/keranjang-rotan-bundar/")
    assert response.json()["name"] == "Keranjang Rotan Bundar"
    assert "Cookie" not in response.get("Vary", "")


def test_english_falls_back_to_indonesian_text(client, api_world):
    chair = client.get("/api/v1/products/kursi-rotan-teras/?lang=en").json()
    assert chair["name"] == "Kursi Rotan Teras"


# --- Cursor pages ---------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "q=rotan&", "sort=newest&"])
def test_cursor_pages_walk_every_row_once(client, api_world, query):
    expected = slugs(client.get(f"/api/v1/products/?{query}"))
    seen, url, pages = [], f"/api/v1/products/?{query}page_size=1", 0
    while url:
        body = client.get(url).json()
        seen += [row["slug"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert seen == expected
    assert pages == len(expected)
    # And back again from the last page.
    last = client.get(f"/api/v1/products/?{query}page_size=1")
    while last.json()["next"]:
        last = client.get(last.json()["next"])
    assert client.get(last.json()["previous"]).json()["results"][0]["slug"] == expected[-2]


@pytest.mark.parametrize("cursor", ["abc", "cD0yMDI2", "cD1rdXJzaQ:forged"])
def test_a_forged_cursor_is_a_400(client, api_world, cursor):
    response = client.get(f"/api/v1/products/?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()


# --- HTTP -----------------------------------------------------------------------


def test_etag_and_304_when_unchanged(client, api_world):
    first = client.get("/api/v1/products/")
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/products/", headers={"if-none-match": etag})
    assert again.status_code == 304
    Business.objects.filter(pk=api_world.other.pk).update(name="Kacang Mede Baru")
    changed = client.get("/api/v1/products/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_cors_open_for_get_only(client, api_world):
    response = client.get("/api/v1/kecamatan/", headers={"origin": "https://data.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/kecamatan/",
        headers={"origin": "https://data.example", "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    for method in (client.post, client.put, client.patch, client.delete):
        assert method("/api/v1/products/").status_code == 405


@override_settings(API_RATE_LIMIT=3)
def test_rate_limited_per_address_with_retry_after(client, api_world):
    for _ in range(3):
        assert client.get("/api/v1/kecamatan/").status_code == 200
    refused = client.get("/api/v1/kecamatan/?lang=en")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"]
    # Another address still gets its answers.
    other = client.get("/api/v1/kecamatan/", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200


# --- Mission results ------------------------------------------------------------


def test_published_results_are_the_pages_figures(client, api_world):
    from missions import reports

    body = client.get("/api/v1/missions/misi-osaka/results/").json()
    figures = reports.public_results(api_world.done_mission)
    assert [r["label"] for r in body["results"]] == [str(f.label) for f in figures]
    values = {r["key"]: r["value"] for r in body["results"]}
    assert values["participants"] == "2"
    assert values["confirmed_deals"] == "3"
    # 1,500,000 IDR + 1,000 USD at 16,000: the page's sum, in rupiah.
    assert values["deal_value_idr"] == "17500000.00"
    detail = client.get("/api/v1/missions/misi-osaka/").json()
    assert detail["results_url"] == "http://testserver/api/v1/missions/misi-osaka/results/"


def test_results_are_not_found_before_they_are_published(client, api_world):
    assert client.get("/api/v1/missions/misi-busan/results/").status_code == 404
    assert client.get("/api/v1/missions/misi-busan/").json()["results_url"] is None
