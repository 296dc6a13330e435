"""Whole public pages are cached for visitors without a session, and dropped on change."""

import re

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ikm_registry.forms_inquiry import SIGNING_SALT
from ikm_registry.models import Inquiry
from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(queries)


def hidden(body, name):
    return re.search(rf'name="{name}" value="([^"]*)"', body).group(1)


def test_a_second_visitor_gets_the_page_from_the_cache_without_queries():
    ProductFactory(name="Keranjang Rotan Talaga")
    first, _ = get(Client(), "/katalog/")
    second, queries = get(Client(), "/katalog/")
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert queries == 0
    assert second.content == first.content
    assert "Keranjang Rotan Talaga" in second.content.decode()
    assert "Cookie" in second["Vary"]


def test_a_change_to_the_data_drops_the_cached_page():
    product = ProductFactory(name="Keranjang Rotan Talaga")
    get(Client(), "/katalog/")
    product.name = "Tas Anyaman Rotan Talaga"
    product.save()
    response, queries = get(Client(), "/katalog/")
    assert response["X-Page-Cache"] == "miss"
    assert queries > 0
    assert "Tas Anyaman Rotan Talaga" in response.content.decode()


def test_a_change_in_the_registry_drops_the_gerai_pages_too():
    from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory

    event = BoothEventFactory(slug="bazar-cache")
    application = BoothApplicationFactory(event=event)
    from gerai import services

    services.accept_application(application=application, notify=False)
    url = "/gerai/acara/bazar-cache/"
    assert application.business.name in get(Client(), url)[0].content.decode()
    application.business.name = "Nama Baru Pameran"
    application.business.save()
    response, _ = get(Client(), url)
    assert response["X-Page-Cache"] == "miss"
    assert "Nama Baru Pameran" in response.content.decode()


def test_languages_and_query_strings_are_cached_apart():
    ProductFactory(name="Keranjang Rotan Talaga", name_en="Talaga Rattan Basket")
    get(Client(), "/katalog/")
    english, _ = get(Client(), "/en/katalog/")
    assert english["X-Page-Cache"] == "miss"
    assert "Talaga Rattan Basket" in english.content.decode()
    searched, _ = get(Client(), "/katalog/?q=tidak-ada")
    assert searched["X-Page-Cache"] == "miss"
    assert "Keranjang Rotan Talaga" not in searched.content.decode()


def test_logged_in_users_always_get_their_own_page(owner):
    get(Client(), "/katalog/")
    client = Client()
    client.force_login(owner)
    response, _ = get(client, "/katalog/")
    assert "X-Page-Cache" not in response
    assert "Keluar" in response.content.decode()
    # ... and what they saw is never served to anybody else.
    anonymous, _ = get(Client(), "/katalog/")
    assert "Keluar" not in anonymous.content.decode()


def test_a_visitor_with_pending_messages_skips_the_cache():
    get(Client(), "/katalog/")
    client = Client()
    client.cookies["messages"] = "anything"
    response, _ = get(client, "/katalog/")
    assert "X-Page-Cache" not in response


def test_not_found_and_posts_are_never_cached():
    assert Client().get("/katalog/tidak-ada/").status_code == 404
    assert "X-Page-Cache" not in Client().get("/katalog/tidak-ada/")


def test_the_cache_can_be_turned_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(Client(), "/katalog/")
    response, _ = get(Client(), "/katalog/")
    assert "X-Page-Cache" not in response


def test_each_visitor_gets_a_csrf_token_and_start_time_of_their_own(settings):
    """The inquiry form on a cached product page still works, and stays protected."""
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    product = ProductFactory(name="Keranjang Rotan Talaga", slug="keranjang-talaga")
    url = "/katalog/keranjang-talaga/"
    get(Client(enforce_csrf_checks=True), url)
    visitor = Client(enforce_csrf_checks=True)
    response, _ = get(visitor, url)
    assert response["X-Page-Cache"] == "hit"
    body = response.content.decode()
    assert "\x00" not in body
    token, started = hidden(body, "csrfmiddlewaretoken"), hidden(body, "started")
    signing.loads(started, salt=SIGNING_SALT)  # a valid signature, made for this visit
    assert "csrftoken" in response.cookies  # the token's secret, for this visitor

    form = {
        "csrfmiddlewaretoken": token,
        "started": started,
        "name": "Kim Min-jun",
        "country": "KR",
        "email": "buyer@example.kr",
        "quantity": "500 pcs",
        "message": "Price list, please.",
    }
    sent = visitor.post(url, form)
    assert sent.status_code == 302
    assert Inquiry.objects.get(email="buyer@example.kr").product == product

    # Another visitor's token (without its cookie) is refused, as CSRF should be.
    stranger = Client(enforce_csrf_checks=True)
    refused = stranger.post(url, {**form, "email": "other@example.kr"})
    assert refused.status_code == 403


def test_every_public_page_of_the_apps_is_cached(world):
    """The public pages named here are served from the cache on a second visit."""
    BusinessFactory(slug="ikm-cache")
    urls = [
        "/",
        "/katalog/",
        "/ikm-direktori/",
        "/katalog/keranjang-rotan-cikupa/",
        "/ikm-direktori/rotan-jaya-cikupa/",
        "/misi-dagang/",
        "/gerai/",
        "/gerai/acara/",
        "/gerai/acara/arsip/",
        "/gerai/acara/kalender/",
        "/gerai/acara/bazar-matriks/",
        "/gerai/acara/bazar-matriks.ics",
        "/gerai/kalender/",
        "/gerai/kalender.ics",
    ]
    for url in urls:
        get(Client(), url)
        response, queries = get(Client(), url)
        assert response["X-Page-Cache"] == "hit", url
        assert queries == 0, url


def test_a_page_without_forms_is_kept_compressed_and_sent_as_it_is():
    import gzip

    ProductFactory(name="Keranjang Rotan Talaga")
    first = Client().get("/katalog/", headers={"accept-encoding": "gzip"})
    second = Client().get("/katalog/", headers={"accept-encoding": "gzip"})
    plain = Client().get("/katalog/")
    assert second["X-Page-Cache"] == "hit" and second["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in second["Vary"] and "Cookie" in second["Vary"]
    body = gzip.decompress(second.content).decode()
    assert body == gzip.decompress(first.content).decode() == plain.content.decode()
    assert "Keranjang Rotan Talaga" in body


def test_a_page_with_a_form_is_compressed_with_its_tokens_filled_in(settings):
    """The cached parts of a page with a form are compressed once; each hit adds its own
    tokens. The result is one well-formed gzip member that gives the page, with tokens
    that work."""
    import zlib

    settings.INQUIRY_MIN_FILL_SECONDS = 0
    product = ProductFactory(slug="keranjang-gzip")
    url = "/katalog/keranjang-gzip/"
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(url, headers={"accept-encoding": "gzip"})
    assert response["X-Page-Cache"] == "hit" and response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    # Strict: one member, CRC and length checked, nothing after it.
    decoder = zlib.decompressobj(wbits=31)
    body = decoder.decompress(response.content).decode()
    assert decoder.eof and not decoder.unused_data
    assert "\x00" not in body
    plain = Client().get(url).content.decode()
    for name in ("csrfmiddlewaretoken", "started"):
        assert hidden(body, name) != hidden(plain, name)
    token, started = hidden(body, "csrfmiddlewaretoken"), hidden(body, "started")
    same = body.replace(token, "T").replace(started, "S")
    assert same == plain.replace(hidden(plain, "csrfmiddlewaretoken"), "T").replace(
        hidden(plain, "started"), "S"
    )
    sent = visitor.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "started": started,
            "name": "Kim Min-jun",
            "country": "KR",
            "email": "gzip@example.kr",
            "quantity": "500 pcs",
            "message": "Price list, please.",
        },
    )
    assert sent.status_code == 302
    assert Inquiry.objects.get(email="gzip@example.kr").product == product


def test_a_hole_longer_than_one_stored_block_is_split():
    import gzip

    from tangerang_ikm.cache import _deflated, _gzip_with_holes

    parts = [_deflated(b"<p>"), "long", _deflated(b"</p>")]
    long_value = "x" * 150_000
    body = _gzip_with_holes(parts, lambda name: long_value.encode())
    assert gzip.decompress(body).decode() == f"<p>{long_value}</p>"


def test_text_that_looks_like_a_marker_stays_text():
    """Only the page's own holes are filled in; anything else is left as it was."""
    from django.http import HttpResponse

    from tangerang_ikm.cache import _from_cache, _to_cache

    html = '<p>\x00page-cache:other\x00</p><input name="started" value="1">'
    holes = {"started": lambda request: "fresh"}
    stored = _to_cache(HttpResponse(html), holes)
    request = type("Request", (), {"headers": {}})()
    body = _from_cache(request, stored, holes).content.decode()
    assert body == '<p>\x00page-cache:other\x00</p><input name="started" value="fresh">'


# --- The process's recent copies ---------------------------------------------


def test_a_hit_from_this_processs_recent_copy_asks_the_shared_cache_nothing(monkeypatch):
    from django.core.cache import cache

    ProductFactory(name="Keranjang Rotan Talaga")
    first, _ = get(Client(), "/katalog/")
    monkeypatch.setattr(cache, "get", lambda *a, **kw: pytest.fail("asked the shared cache"))
    second, queries = get(Client(), "/katalog/")
    assert (second["X-Page-Cache"], queries) == ("hit", 0)
    assert second.content == first.content


def test_a_recent_copy_is_kept_a_few_seconds_then_read_again_from_the_shared_cache(
    monkeypatch,
):
    from django.core.cache import cache

    from tangerang_ikm import cache as page_cache

    ProductFactory(name="Keranjang Rotan Talaga")
    get(Client(), "/katalog/")
    now = page_cache.time.monotonic()
    later = now + page_cache._RecentPages.SECONDS + 0.1
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    shared_reads = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda *a, **kw: shared_reads.append(a) or real_get(*a, **kw))
    response, queries = get(Client(), "/katalog/")
    assert (response["X-Page-Cache"], queries) == ("hit", 0)
    assert any("page2:" in str(args[0]) for args in shared_reads)


def test_another_servers_change_reaches_this_process_despite_its_recent_copy(monkeypatch):
    from django.core.cache import cache

    from tangerang_ikm import cache as page_cache

    product = ProductFactory(name="Keranjang Rotan Talaga")
    get(Client(), "/katalog/")
    # Another app server renames the product: the shared version moves, this process's
    # memory of the old version runs out a second later.
    type(product).objects.filter(pk=product.pk).update(name="Tas Anyaman Rotan Talaga")
    cache.incr(page_cache._version_key("catalog"))
    page_cache._versions.clear()
    response, _ = get(Client(), "/katalog/")
    assert response["X-Page-Cache"] == "miss"
    assert "Tas Anyaman Rotan Talaga" in response.content.decode()


def test_recent_copies_are_few():
    from tangerang_ikm.cache import _RecentPages

    recent = _RecentPages()
    for n in range(_RecentPages.SIZE + 10):
        recent.put(f"page-{n}", {"n": n})
    assert recent.get("page-0") is None  # the oldest went first
    assert recent.get(f"page-{_RecentPages.SIZE + 9}") == {"n": _RecentPages.SIZE + 9}
    assert len(recent._pages) == _RecentPages.SIZE


def test_recent_copies_stand_threads_reading_and_evicting_at_once(monkeypatch):
    import threading

    from tangerang_ikm.cache import _RecentPages

    monkeypatch.setattr(_RecentPages, "SIZE", 4)
    recent = _RecentPages()
    errors = []

    def churn(offset):
        try:
            for n in range(3000):
                key = f"page-{(n + offset) % 9}"
                recent.put(key, n)
                recent.get(key)
        except Exception as exc:  # any error fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=churn, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(recent._pages) <= 4
