"""sitemap.xml lists every public page, each in both languages with its alternates (#22)."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from gerai.models import Event
from missions.models import TradeMission
from tests.factories import ProductFactory
from tests.gerai.factories import EventFactory
from tests.missions.conftest import make_mission

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def entries(client):
    """{loc: {hreflang: href}} of every <url> of /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, in a test
    found = {}
    for url in root.findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        assert loc not in found, f"{loc} listed twice"
        found[loc] = links
    return found


@pytest.fixture
def world(db):
    return {
        "product": ProductFactory(slug="keranjang-peta"),
        "event": EventFactory(slug="bazar-peta"),
        "cancelled": EventFactory(
            slug="bazar-batal", status=Event.Status.CANCELLED, status_reason="Hujan."
        ),
        "draft_event": EventFactory(slug="bazar-draf", status=Event.Status.DRAFT),
        "mission": make_mission(slug="misi-peta"),
        "draft_mission": make_mission(slug="misi-draf", status=TradeMission.Status.DRAFT),
    }


LIST_PAGES = [
    "/",
    "/katalog/",
    "/ikm-direktori/",
    "/gerai/",
    "/gerai/acara/",
    "/gerai/acara/kalender/",
    "/gerai/acara/arsip/",
    "/gerai/kalender/",
    "/misi-dagang/",
]


def test_every_public_page_is_listed_in_both_languages(client, world):
    found = entries(client)
    base = "http://testserver"
    detail_pages = [
        f"/katalog/{world['product'].slug}/",
        f"/ikm-direktori/{world['product'].business.slug}/",
        "/gerai/acara/bazar-peta/",
        "/gerai/acara/bazar-batal/",  # cancelled events stay public, saying so
        "/misi-dagang/misi-peta/",
    ]
    for path in LIST_PAGES + detail_pages:
        assert base + path in found, path
        assert base + "/en" + path in found, path
    assert base + "/api/" in found


def test_each_entry_carries_id_en_and_x_default_alternates(client, world):
    for loc, links in entries(client).items():
        path = urlsplit(loc).path
        if path == "/api/":
            assert links == {}
            continue
        indonesian = path.removeprefix("/en")
        assert links == {
            "id": "http://testserver" + indonesian,
            "en": "http://testserver/en" + indonesian,
            "x-default": "http://testserver" + indonesian,
        }, loc


def test_drafts_are_never_listed(client, world):
    body = client.get("/sitemap.xml").content.decode()
    assert "bazar-draf" not in body and "misi-draf" not in body


def test_every_listed_page_answers(client, world):
    for loc in entries(client):
        assert client.get(urlsplit(loc).path).status_code == 200, loc
