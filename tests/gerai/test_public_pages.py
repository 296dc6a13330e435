"""Public event pages: content, drafts never shown, JSON-LD, fixed query counts."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from gerai import services
from gerai.models import Event, EventKind, ShowroomItem
from tests.factories import BusinessFactory, ProductFactory
from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory, EventFactory, space
from tests.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db


def tiny_jpeg(width=8, height=6):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, "JPEG")
    return buffer.getvalue()


def this_month():
    today = timezone.localdate()
    return today.year, today.month


def json_ld(response):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


@pytest.fixture
def draft():
    return EventFactory(title="Draf Rahasia", slug="draf-rahasia", status=Event.Status.DRAFT)


# --- Drafts -------------------------------------------------------------------


def test_drafts_never_appear_publicly(client, draft):
    year, month = this_month()
    EventFactory(title="Bazar Terbit")
    past_draft = EventFactory(
        title="Draf Lama",
        status=Event.Status.DRAFT,
        start=timezone.now() - timedelta(days=30),
        end=timezone.now() - timedelta(days=29),
    )
    pages = [
        "/gerai/",
        "/gerai/acara/",
        "/gerai/acara/arsip/",
        f"/gerai/acara/kalender/{year}/{month}/",
        f"/gerai/acara/kalender/{draft.start.year}/{draft.start.month}/",
        "/gerai/kalender.ics",
        "/gerai/kalender/bazar.ics",
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "Draf Rahasia" not in content, url
        assert "Draf Lama" not in content, url
    assert "Bazar Terbit" in client.get("/gerai/acara/").content.decode()
    for event in (draft, past_draft):
        assert client.get(f"/gerai/acara/{event.slug}/").status_code == 404
        assert client.get(f"/gerai/acara/{event.slug}.ics").status_code == 404


def test_staff_do_not_see_drafts_on_public_pages_either(client, venue_manager, draft):
    client.force_login(venue_manager)
    assert client.get(f"/gerai/acara/{draft.slug}/").status_code == 404


# --- Lists, filters, archive, calendar -----------------------------------------


def test_upcoming_list_is_soonest_first_and_past_events_go_to_the_archive(client):
    later = EventFactory(title="Festival Nanti", start=timezone.now() + timedelta(days=20))
    sooner = EventFactory(title="Bazar Dulu", start=timezone.now() + timedelta(days=2))
    old = EventFactory(
        title="Pelatihan Lama",
        start=timezone.now() - timedelta(days=10),
        end=timezone.now() - timedelta(days=10) + timedelta(hours=3),
    )
    content = client.get("/gerai/acara/").content.decode()
    assert content.index(sooner.title) < content.index(later.title)
    assert old.title not in content
    archive = client.get("/gerai/acara/arsip/").content.decode()
    assert old.title in archive and sooner.title not in archive


def test_filters_by_type_and_month(client):
    start = timezone.now() + timedelta(days=40)
    EventFactory(title="Bazar Bulan Depan", start=start)
    EventFactory(title="Pameran Bulan Depan", start=start, kind=EventKind.EXHIBITION)
    EventFactory(title="Bazar Besok", start=timezone.now() + timedelta(days=1))
    month = timezone.localtime(start).strftime("%Y-%m")
    content = client.get(f"/gerai/acara/?kind=bazar&month={month}").content.decode()
    assert "Bazar Bulan Depan" in content
    assert "Pameran Bulan Depan" not in content
    if timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m") != month:
        assert "Bazar Besok" not in content


def test_bad_filter_values_show_a_message_not_an_error(client):
    response = client.get("/gerai/acara/?month=kemarin&kind=rahasia")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tulis bulan sebagai TTTT-BB" in content
    assert 'value="kemarin"' in content


def test_month_calendar_is_a_table_with_prev_next_links(client):
    EventFactory(
        title="Bazar Desember",
        start=timezone.make_aware(timezone.datetime(2026, 12, 12, 9)),
        end=timezone.make_aware(timezone.datetime(2026, 12, 13, 21)),
    )
    EventFactory(
        title="Pameran Desember",
        kind=EventKind.EXHIBITION,
        start=timezone.make_aware(timezone.datetime(2026, 12, 20, 9)),
        end=timezone.make_aware(timezone.datetime(2026, 12, 20, 17)),
        status=Event.Status.CANCELLED,
        status_reason="Renovasi.",
    )
    response = client.get("/gerai/acara/kalender/2026/12/")
    content = response.content.decode()
    assert "<table" in content and "<caption>" in content
    assert '<th scope="col"><abbr title="Senin">Sen</abbr></th>' in content
    table, month_list = content.split("</table>")
    assert table.count("Bazar Desember") == 2  # on both days it runs
    assert "Bazar Desember</a>, <time" in month_list
    assert "(dibatalkan)" in content
    assert 'href="/gerai/acara/kalender/2026/11/"' in content
    assert 'href="/gerai/acara/kalender/2027/1/"' in content
    filtered = client.get("/gerai/acara/kalender/2026/12/?kind=pameran").content.decode()
    assert "Bazar Desember" not in filtered and "Pameran Desember" in filtered
    assert 'href="/gerai/acara/kalender/2027/1/?kind=pameran"' in filtered
    assert client.get("/gerai/acara/kalender/2026/13/").status_code == 404
    assert client.get("/gerai/acara/kalender/1900/1/").status_code == 404


def test_english_pages_use_the_english_title(client):
    EventFactory(title="Bazar Gemilang", title_en="Gemilang Bazaar")
    content = client.get("/en/gerai/acara/").content.decode()
    assert "Gemilang Bazaar" in content


# --- Event page --------------------------------------------------------------


def test_event_page_shows_time_in_wib_place_links_and_exhibitors(client):
    event = BoothEventFactory(
        title="Festival Kuliner Benteng",
        start=timezone.make_aware(timezone.datetime(2026, 12, 19, 16)),
        end=timezone.make_aware(timezone.datetime(2026, 12, 19, 22)),
        spaces=[space("halaman-depan"), space("panggung-utama")],
        is_free=False,
        ticket_price=15000,
    )
    accepted = BoothApplicationFactory(event=event, business=BusinessFactory(name="Rotan Jaya"))
    services.accept_application(application=accepted)
    BoothApplicationFactory(event=event, business=BusinessFactory(name="Masih Menunggu"))
    content = client.get(event.get_absolute_url()).content.decode()
    assert "Sabtu, 19 Desember 2026, 16.00\N{EN DASH}22.00 WIB" in content
    assert "Halaman depan (area luar)" in content and "Panggung pertunjukan" in content
    assert "Jl. Raya Serang Km 18,5" in content
    assert "https://www.openstreetmap.org/search?query=" in content
    assert "https://wa.me/?text=" in content
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in content
    assert "dates=20261219T090000Z%2F20261219T150000Z" in content
    assert f'href="/gerai/acara/{event.slug}.ics"' in content
    assert f'href="webcal://testserver/gerai/acara/{event.slug}.ics"' in content
    assert "Rp15.000" in content
    assert "Stan 1: Rotan Jaya" in content
    assert "Masih Menunggu" not in content
    assert "Daftar stan" in content


def test_exhibitors_link_to_the_catalog_when_the_business_has_a_page(client, monkeypatch):
    from ikm_registry.models import Business

    monkeypatch.setattr(
        Business, "get_absolute_url", lambda self: f"/katalog/{self.slug}/", raising=False
    )
    event = BoothEventFactory()
    application = BoothApplicationFactory(event=event, business=BusinessFactory(slug="rotan-a"))
    services.accept_application(application=application)
    content = client.get(event.get_absolute_url()).content.decode()
    assert '<a href="/katalog/rotan-a/">' in content


def test_cancelled_event_says_so_in_words_and_in_json_ld(client):
    event = EventFactory(status=Event.Status.CANCELLED, status_reason="Hujan badai.")
    response = client.get(event.get_absolute_url())
    content = response.content.decode()
    assert "Acara ini dibatalkan." in content and "Hujan badai." in content
    data = json_ld(response)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_postponed_event_says_so(client):
    event = EventFactory(status=Event.Status.POSTPONED, status_reason="Menunggu izin.")
    response = client.get(event.get_absolute_url())
    assert "Acara ini ditunda." in response.content.decode()
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventPostponed"


def test_json_ld_describes_the_event(client, settings):
    from django.core.files.base import ContentFile

    event = EventFactory(title="Bazar <Gemilang> & Kawan", organiser="Disperindag")
    event.poster.save("p.png", ContentFile(b"x"), save=True)
    response = client.get(event.get_absolute_url())
    raw = response.content.decode()
    assert "Bazar <Gemilang>" not in raw.split('application/ld+json">')[1].split("</script>")[0]
    data = json_ld(response)
    assert data["@type"] == "Event"
    assert data["name"] == "Bazar <Gemilang> & Kawan"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["startDate"].endswith("+07:00")
    assert data["location"]["address"]["addressLocality"] == "Cikupa"
    assert data["organizer"] == {"@type": "Organization", "name": "Disperindag"}
    assert data["offers"]["price"] == "0" and data["isAccessibleForFree"] is True
    assert data["image"][0].startswith("http://testserver/media/gerai/posters/")


def test_json_ld_image_without_poster_is_a_photo_of_the_event_space(client):
    from django.core.files.base import ContentFile

    from gerai.models import SpacePhoto

    aula, halaman = space("aula"), space("halaman-depan")
    for where in (halaman, aula):
        photo = SpacePhoto(space=where, alt_text=f"Foto {where.slug}")
        photo.image.save(f"{where.slug}.jpg", ContentFile(tiny_jpeg()), save=True)
    event = EventFactory(spaces=[aula])
    data = json_ld(client.get(event.get_absolute_url()))
    assert re.search(r"/media/gerai/spaces/aula\w*\.jpg$", data["image"][0])


def test_json_ld_image_without_poster_or_photo_is_the_venue_picture(client):
    event = EventFactory()
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["image"][0].startswith("http://testserver/static/img/gerai-tangerang-gemilang")


@pytest.mark.parametrize(
    ("status", "days", "availability"),
    [
        (Event.Status.PUBLISHED, 5, "InStock"),
        (Event.Status.PUBLISHED, -5, "Discontinued"),
        (Event.Status.POSTPONED, 5, "OutOfStock"),
        (Event.Status.CANCELLED, 5, "Discontinued"),
    ],
)
def test_json_ld_offer_follows_the_event_status(client, status, days, availability):
    start = timezone.now() + timedelta(days=days)
    event = EventFactory(
        status=status, status_reason="Alasan.", start=start, end=start + timedelta(hours=3)
    )
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["offers"]["availability"] == f"https://schema.org/{availability}"
    assert data["offers"]["priceCurrency"] == "IDR"


def test_poster_has_its_size_and_english_alt_text_on_english_pages(client):
    event = EventFactory(title="Bazar Rotan", title_en="Rattan Bazaar", poster_alt="Poster bazar")
    event.poster.save("p.jpg", ContentFile(tiny_jpeg(40, 50), name="p.jpg"), save=True)
    event.refresh_from_db()
    assert (event.poster_width, event.poster_height) == (40, 50)
    content = client.get(event.get_absolute_url()).content.decode()
    assert 'alt="Poster bazar" width="40" height="50"' in content
    with translation.override("en"):
        url = event.get_absolute_url()
    content = client.get(url).content.decode()
    assert 'alt="Rattan Bazaar" width="40" height="50"' in content


# --- Venue and showroom ------------------------------------------------------


def test_venue_page_lists_spaces_and_what_is_on_display_now(client):
    shown = ProductFactory(name="Keranjang Pandan")
    ShowroomItem.objects.create(product=shown, space=space("ruang-pamer-1"), shelf="Rak A")
    ended = ProductFactory(name="Kursi Rotan Lama")
    ShowroomItem.objects.create(
        product=ended,
        space=space("ruang-pamer-1"),
        displayed_from=timezone.localdate() - timedelta(days=30),
        displayed_until=timezone.localdate() - timedelta(days=1),
    )
    content = client.get("/gerai/").content.decode()
    assert "Aula" in content and "Ruang pamer lantai 2" in content
    assert "Keranjang Pandan" in content and "Rak A" in content
    assert "Kursi Rotan Lama" not in content


# --- Query counts ------------------------------------------------------------


def _grow_events(n=3):
    def grow():
        for i in range(n):
            event = BoothEventFactory(
                spaces=[space("aula"), space("halaman-depan")],
                start=timezone.now() + timedelta(days=1 + i),
            )
            application = BoothApplicationFactory(event=event)
            services.accept_application(application=application)
            EventFactory(
                status=Event.Status.CANCELLED,
                status_reason="x",
                start=timezone.now() - timedelta(days=5 + i),
                end=timezone.now() - timedelta(days=4 + i),
                spaces=[space("aula")],
            )

    return grow


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/gerai/acara/", 3),
        ("/gerai/acara/arsip/", 3),
        ("/gerai/acara/?kind=bazar&month={month}", 3),
        ("/gerai/acara/kalender/", 1),
        ("/gerai/acara/kalender/?kind=bazar", 1),
        ("/gerai/kalender.ics", 2),
        ("/gerai/kalender/bazar.ics", 2),
        ("/gerai/kalender/", 0),
        ("/gerai/", 5),
    ],
)
def test_pages_run_a_fixed_number_of_queries(client, url, expected):
    first = EventFactory(spaces=[space("aula")])
    EventFactory(
        start=timezone.now() - timedelta(days=3),
        end=timezone.now() - timedelta(days=2),
        spaces=[space("aula")],
    )
    url = url.format(month=timezone.localtime(first.start).strftime("%Y-%m"))
    assert assert_fixed_queries(client, url, _grow_events()) == expected


def test_event_page_runs_a_fixed_number_of_queries(client):
    event = BoothEventFactory(booths=10, spaces=[space("aula")])

    def grow():
        for _i in range(3):
            services.accept_application(application=BoothApplicationFactory(event=event))
        event.spaces.add(space("halaman-depan"))

    # Event, spaces with their venue, exhibitors (the spaces' photos for the JSON-LD
    # without a poster are kept per data version of the venue: feeds.venue_photos).
    assert assert_fixed_queries(client, event.get_absolute_url(), grow) == 3


def test_sitemap_items_exclude_drafts(draft):
    from gerai.sitemaps import EventSitemap

    shown = EventFactory(title="Bazar Sitemap")
    items = list(EventSitemap().items())
    assert shown in items and draft not in items


@pytest.mark.parametrize("who", ["owner", "other_owner", "venue_manager", "leadership"])
def test_public_pages_show_the_same_to_every_logged_in_role(client, request, who, draft):
    EventFactory(title="Bazar Untuk Semua")
    client.force_login(request.getfixturevalue(who))
    for url in ["/gerai/acara/", "/gerai/acara/kalender/", "/gerai/"]:
        content = client.get(url).content.decode()
        assert "Draf Rahasia" not in content, (who, url)
    assert "Bazar Untuk Semua" in client.get("/gerai/acara/").content.decode()
    assert client.get(f"/gerai/acara/{draft.slug}/").status_code == 404


def test_english_floor_names_agree_with_the_english_space_names(client):
    """Lantai 2 is the British 'first floor', as "Showroom, first floor" says."""
    from gerai.models import Space

    assert Space.objects.get(slug="ruang-pamer-2").floor == 2
    content = client.get("/en/gerai/").content.decode()
    assert "Showroom, first floor" in content and "First floor" in content
    assert "Floor 2" not in content and "lantai 2" not in content.lower()
    assert "Lantai 2" in client.get("/gerai/").content.decode()


def test_event_page_has_open_graph_tags_with_the_same_picture_as_its_json_ld(client):
    event = EventFactory(title="Bazar Terang", description="Bazar malam.")
    content = client.get(event.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Bazar Terang">' in content
    assert '<meta property="og:description" content="Bazar malam.">' in content
    image = json_ld(client.get(event.get_absolute_url()))["image"][0]
    assert f'<meta property="og:image" content="{image}">' in content
    assert content.count("application/ld+json") == 1
