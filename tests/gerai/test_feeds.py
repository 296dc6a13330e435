"""Calendar feeds: RFC 5545 that two independent parsers accept."""

import re

import icalendar
import pytest
import vobject
from django.utils import timezone

from gerai.models import Event, EventKind
from tests.gerai.factories import EventFactory, space

pytestmark = pytest.mark.django_db

LONG = ("Bazar produk IKM Kabupaten Tangerang dengan kerajinan rotan, kacang mede, " * 4).strip()


@pytest.fixture
def events():
    published = EventFactory(
        title="Bazar Gemilang Desember", description=LONG, spaces=[space("halaman-depan")]
    )
    cancelled = EventFactory(
        title="Pameran Batik",
        kind=EventKind.EXHIBITION,
        status=Event.Status.CANCELLED,
        status_reason="Renovasi aula.",
    )
    postponed = EventFactory(
        title="Festival Kuliner", status=Event.Status.POSTPONED, status_reason="Cuaca."
    )
    draft = EventFactory(title="Draf Rahasia", status=Event.Status.DRAFT)
    return published, cancelled, postponed, draft


def get_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def assert_rfc5545_shape(body):
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines), "bare LF inside the feed"
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    # Every TZID used has its VTIMEZONE.
    used = set(re.findall(rb"TZID=([^:;]+)", body))
    defined = set(re.findall(rb"\r\nTZID:([^\r]+)", body))
    assert used and used <= defined, (used, defined)


def test_whole_feed_parses_with_both_parsers_and_keeps_cancelled_events(client, events):
    published, cancelled, postponed, _draft = events
    body = get_feed(client, "/gerai/kalender.ics")
    assert_rfc5545_shape(body)
    assert b"\r\n " in body, "the long description must be folded"

    cal = icalendar.Calendar.from_ical(body)
    assert cal.get_missing_tzids() == set()
    vevents = cal.walk("VEVENT")
    uids = [str(e["UID"]) for e in vevents]
    assert len(uids) == len(set(uids)) == 3
    by_uid = {str(e["UID"]): e for e in vevents}
    item = by_uid[f"{published.uid}@gerai.ikm.tangerangkab.go.id"]
    assert item["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert item.decoded("DTSTART") == published.start
    assert "DTSTAMP" in item and int(item["SEQUENCE"]) == 0
    assert LONG.strip() in str(item["DESCRIPTION"])
    gone = by_uid[f"{cancelled.uid}@gerai.ikm.tangerangkab.go.id"]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert str(by_uid[f"{postponed.uid}@gerai.ikm.tangerangkab.go.id"]["STATUS"]) == "TENTATIVE"
    assert b"Draf Rahasia" not in body

    strict = vobject.readOne(body.decode("utf-8"), validate=True)
    strict_events = strict.contents["vevent"]
    assert len(strict_events) == 3
    assert {e.uid.value for e in strict_events} == set(uids)
    assert "CANCELLED" in {e.status.value for e in strict_events}
    assert [tz.tzid.value for tz in strict.contents["vtimezone"]] == ["Asia/Jakarta"]
    assert strict.prodid.value and strict.version.value == "2.0"


def test_type_feed_holds_only_that_type(client, events):
    body = get_feed(client, "/gerai/kalender/pameran.ics")
    cal = icalendar.Calendar.from_ical(body)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["DIBATALKAN: Pameran Batik"]
    assert client.get("/gerai/kalender/tidak-ada.ics").status_code == 404


def test_event_feed_and_drafts_404(client, events):
    published, _c, _p, draft = events
    body = get_feed(client, f"/gerai/acara/{published.slug}.ics")
    assert_rfc5545_shape(body)
    strict = vobject.readOne(body.decode(), validate=True)
    assert strict.vevent.uid.value == f"{published.uid}@gerai.ikm.tangerangkab.go.id"
    assert client.get(f"/gerai/acara/{draft.slug}.ics").status_code == 404


def test_a_change_raises_sequence_and_keeps_the_uid(client, events):
    published = events[0]
    url = f"/gerai/acara/{published.slug}.ics"
    before = icalendar.Calendar.from_ical(get_feed(client, url)).walk("VEVENT")[0]
    published.start = published.start.replace(hour=10)
    published.save()
    published.title = "Bazar Gemilang (diperbarui)"
    published.save()
    published.save()  # no change: no new sequence
    after = icalendar.Calendar.from_ical(get_feed(client, url)).walk("VEVENT")[0]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 2
    published.refresh_from_db()
    assert published.sequence == 2


def test_moving_an_event_to_other_spaces_raises_sequence_via_admin(client, venue_manager, events):
    published = events[0]
    client.force_login(venue_manager)
    url = f"/admin/gerai/event/{published.pk}/change/"
    response = client.get(url)
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("spaces",)}
    data.update(
        {
            "start_0": timezone.localtime(published.start).strftime("%d/%m/%Y"),
            "start_1": timezone.localtime(published.start).strftime("%H:%M:%S"),
            "end_0": timezone.localtime(published.end).strftime("%d/%m/%Y"),
            "end_1": timezone.localtime(published.end).strftime("%H:%M:%S"),
            "spaces": [space("aula").pk],
            "poster": "",
        }
    )
    data.pop("applications_open_at", None)
    data.pop("applications_close_at", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    published.refresh_from_db()
    assert list(published.spaces.values_list("slug", flat=True)) == ["aula"]
    assert published.sequence == 1


def test_feeds_page_offers_webcal_links(client, events):
    response = client.get("/gerai/kalender/")
    content = response.content.decode()
    assert 'href="webcal://testserver/gerai/kalender.ics"' in content
    assert 'href="webcal://testserver/gerai/kalender/bazar.ics"' in content


def test_the_feed_carries_recent_and_coming_events_only(client, db):
    from datetime import timedelta

    from django.utils import timezone

    from gerai import feeds
    from tests.gerai.factories import EventFactory

    now = timezone.now()
    EventFactory(title="Bazar Lama Sekali", start=now - timedelta(days=200))
    EventFactory(title="Bazar Bulan Lalu", start=now - timedelta(days=30))
    EventFactory(title="Bazar Bulan Depan", start=now + timedelta(days=30))
    EventFactory(title="Bazar Dua Tahun Lagi", start=now + timedelta(days=800))
    body = client.get("/gerai/kalender.ics").content.decode()
    assert "Bazar Bulan Lalu" in body and "Bazar Bulan Depan" in body
    assert "Bazar Lama Sekali" not in body and "Bazar Dua Tahun Lagi" not in body
    since, until = feeds.feed_window(now)
    assert (now - since).days == feeds.FEED_DAYS_BACK
    assert (until - now).days == feeds.FEED_DAYS_AHEAD
