"""Moving, postponing or cancelling an event carries its space bookings along and tells
its booth applicants, each in their own language."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from gerai import services
from gerai.models import BoothApplication, Event, SpaceBooking
from tests.factories import BusinessFactory, UserFactory
from tests.gerai.admin_forms import post_event_change
from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory, soon, space

pytestmark = pytest.mark.django_db
Status = BoothApplication.Status


@pytest.fixture
def event():
    event = BoothEventFactory(
        title="Bazar Pindah",
        title_en="Moving Bazaar",
        start=soon(20, 9),
        end=soon(20, 17),
        booths=1,
        spaces=[space("aula"), space("halaman-depan")],
    )
    services.book_event_spaces(event=event, setup=timedelta(hours=2), teardown=timedelta(hours=1))
    return event


@pytest.fixture
def applicants(event):
    """Accepted (Indonesian), waiting (English) and rejected (not told)."""
    accepted = BoothApplicationFactory(event=event)
    services.accept_application(application=accepted, notify=False)
    english = UserFactory(email="buyer-en@example.com", language="en")
    waiting = BoothApplicationFactory(event=event, business=BusinessFactory(owner=english))
    services.waitlist_application(application=waiting)
    rejected = BoothApplicationFactory(event=event)
    services.reject_application(application=rejected)
    mail.outbox.clear()
    return accepted, waiting, rejected


def by_recipient():
    return {m.to[0]: m for m in mail.outbox}


def test_moving_an_event_moves_its_bookings_and_sends_the_new_dates_with_ics(
    client, venue_manager, event, applicants, django_capture_on_commit_callbacks
):
    accepted, waiting, _rejected = applicants
    before = {b.space_id: (b.start, b.end) for b in event.bookings.all()}
    client.force_login(venue_manager)
    day = timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event_change(
            client, event, start=event.start + day, end=event.end + day + timedelta(hours=1)
        )
    assert "2 dipindah, 0 dilepas" in response.content.decode()
    after = {b.space_id: (b.start, b.end) for b in event.bookings.all()}
    # Setup stays two hours before, teardown one hour after the new times.
    assert after == {
        pk: (start + day, end + day + timedelta(hours=1)) for pk, (start, end) in before.items()
    }
    mails = by_recipient()
    assert set(mails) == {accepted.business.owner.email, waiting.business.owner.email}
    indonesian = mails[accepted.business.owner.email]
    english = mails[waiting.business.owner.email]
    assert "Waktu acara berubah: Bazar Pindah" in indonesian.subject
    event.refresh_from_db()
    weekday_id = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    weekday_en = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    weekday = timezone.localtime(event.start).weekday()
    assert weekday_id[weekday] in indonesian.body
    assert "Moving Bazaar" in english.subject and weekday_en[weekday] in english.body
    assert '<html lang="en">' in english.alternatives[0][0]
    assert "/en/gerai/acara/" in english.body and "/en/" not in indonesian.body
    for message in (indonesian, english):
        ((filename, content, mimetype),) = message.attachments
        assert filename == f"{event.slug}.ics" and mimetype == "text/calendar"
        vevent = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
        assert vevent.decoded("dtstart") == event.start
        assert vevent["sequence"] == event.sequence


def test_a_clash_at_the_new_time_needs_staff_to_release_that_booking(
    client, venue_manager, event, applicants, django_capture_on_commit_callbacks
):
    day = timedelta(days=1)
    aula = event.bookings.get(space=space("aula"))
    yard = event.bookings.get(space=space("halaman-depan"))
    other = services.book_space(
        space=space("aula"),
        start=event.start + day,
        end=event.start + day + timedelta(hours=2),
        purpose="Rapat koperasi",
    )
    client.force_login(venue_manager)
    response = post_event_change(client, event, start=event.start + day, end=event.end + day)
    content = response.content.decode()
    assert "Rapat koperasi" in content and "Centang" in content
    event.refresh_from_db()
    assert event.bookings.count() == 2  # nothing moved, nothing released
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event_change(
            client,
            event,
            start=event.start + day,
            end=event.end + day,
            release_bookings=[aula.pk],
        )
    assert "1 dipindah, 1 dilepas" in response.content.decode()
    assert not SpaceBooking.objects.filter(pk=aula.pk).exists()
    assert SpaceBooking.objects.filter(pk=other.pk).exists()
    yard.refresh_from_db()
    assert yard.start == event.start + day - timedelta(hours=2)
    assert len(mail.outbox) == 2
    if connection.vendor == "postgresql":
        # The exclusion constraint still holds: no two bookings of a space overlap.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM gerai_spacebooking a JOIN gerai_spacebooking b "
                "ON a.space_id = b.space_id AND a.id < b.id "
                'AND a.start < b."end" AND b.start < a."end"'
            )
            assert cursor.fetchone()[0] == 0


def test_move_without_confirmation_is_refused_by_the_service(event):
    day = timedelta(days=1)
    services.book_space(
        space=space("aula"),
        start=event.start + day,
        end=event.start + day + timedelta(hours=1),
        purpose="Rapat koperasi",
    )
    old_start, old_end = event.start, event.end
    event.start, event.end = event.start + day, event.end + day
    event.save()
    with pytest.raises(Exception, match="Rapat koperasi"):
        services.move_event_bookings(event=event, old_start=old_start, old_end=old_end)
    assert event.bookings.count() == 2


def test_postponing_releases_the_bookings_and_tells_applicants(
    client, venue_manager, event, applicants, django_capture_on_commit_callbacks
):
    accepted, waiting, _rejected = applicants
    client.force_login(venue_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event_change(
            client, event, status=Event.Status.POSTPONED, status_reason="Cuaca buruk."
        )
    assert "0 dipindah, 2 dilepas" in response.content.decode()
    assert not event.bookings.exists()
    mails = by_recipient()
    assert set(mails) == {accepted.business.owner.email, waiting.business.owner.email}
    assert "Acara ditunda: Bazar Pindah" in mails[accepted.business.owner.email].subject
    assert "Cuaca buruk." in mails[accepted.business.owner.email].body
    assert "Moving Bazaar" in mails[waiting.business.owner.email].subject
    assert not mails[accepted.business.owner.email].attachments


def test_cancelling_tells_accepted_and_waiting_applicants(
    client, venue_manager, event, applicants, django_capture_on_commit_callbacks
):
    accepted, waiting, rejected = applicants
    client.force_login(venue_manager)
    with django_capture_on_commit_callbacks(execute=True):
        post_event_change(client, event, status=Event.Status.CANCELLED, status_reason="Banjir.")
    mails = by_recipient()
    assert set(mails) == {accepted.business.owner.email, waiting.business.owner.email}
    assert rejected.business.owner.email not in mails
    assert "Acara dibatalkan: Bazar Pindah" in mails[accepted.business.owner.email].subject
    assert "Banjir." in mails[waiting.business.owner.email].body


def test_a_series_date_moved_or_skipped_tells_its_applicants(
    django_capture_on_commit_callbacks,
):
    from datetime import date, time

    from gerai.models import EventKind, EventSeries, SeriesException
    from tests.gerai.factories import wib

    series = EventSeries.objects.create(
        title="Bazar Seri Kabar",
        slug="bazar-seri-kabar",
        kind=EventKind.BAZAAR,
        ordinal=EventSeries.Ordinal.SECOND,
        weekday=EventSeries.Weekday.SATURDAY,
        start_time=time(9),
        end_time=time(21),
        starts_on=date(2026, 11, 1),
        months_ahead=3,
        booths=5,
    )
    today = date(2026, 11, 28)
    services.generate_series_events(series=series, today=today)
    december = series.events.get(series_date=date(2026, 12, 12))
    january = series.events.get(series_date=date(2027, 1, 9))
    moved = BoothApplicationFactory(event=december)
    skipped = BoothApplicationFactory(event=january)
    services.accept_application(application=moved, notify=False)
    services.waitlist_application(application=skipped)
    mail.outbox.clear()
    SeriesException.objects.create(
        series=series,
        original_date=date(2026, 12, 12),
        action=SeriesException.Action.MOVE,
        new_start=wib(2026, 12, 19, 9),
        new_end=wib(2026, 12, 19, 21),
    )
    SeriesException.objects.create(
        series=series,
        original_date=date(2027, 1, 9),
        action=SeriesException.Action.SKIP,
        reason="Libur.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.generate_series_events(series=series, today=today)
    mails = by_recipient()
    assert "Waktu acara berubah" in mails[moved.business.owner.email].subject
    assert "19 Desember 2026" in mails[moved.business.owner.email].body
    assert "Acara dibatalkan" in mails[skipped.business.owner.email].subject
    assert len(mail.outbox) == 2


def test_the_quota_cannot_drop_below_the_booths_held(client, venue_manager, event, applicants):
    client.force_login(venue_manager)
    event.booths = 3
    event.save()
    response = post_event_change(client, event, booths=0)
    assert "1 stan sudah diterima atau sedang ditawarkan" in response.content.decode()
    event.refresh_from_db()
    assert event.booths == 3


def test_only_an_existing_event_offers_to_release_bookings(client, venue_manager, event):
    client.force_login(venue_manager)
    assert 'name="release_bookings"' not in client.get("/admin/gerai/event/add/").content.decode()
    change = client.get(f"/admin/gerai/event/{event.pk}/change/").content.decode()
    assert 'name="release_bookings"' in change and "Aula" in change
