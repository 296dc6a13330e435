"""An event series creates its dated events, and regenerating keeps its exceptions."""

from datetime import date, time

import pytest
from django.utils import timezone

from gerai import services
from gerai.models import Event, EventKind, EventSeries, SeriesException
from tests.gerai.factories import space, wib

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


@pytest.fixture
def series():
    s = EventSeries.objects.create(
        title="Bazar Sabtu Kedua",
        slug="bazar-sabtu-kedua",
        kind=EventKind.BAZAAR,
        ordinal=EventSeries.Ordinal.SECOND,
        weekday=EventSeries.Weekday.SATURDAY,
        start_time=time(9),
        end_time=time(21),
        starts_on=date(2026, 11, 1),
        months_ahead=4,
        booths=10,
    )
    s.spaces.set([space("halaman-depan")])
    return s


def test_the_rule_finds_second_saturdays_and_last_weekdays(series):
    assert series.occurrence_on(2026, 12) == date(2026, 12, 12)
    assert series.occurrence_on(2027, 1) == date(2027, 1, 9)
    series.ordinal = EventSeries.Ordinal.LAST
    assert series.occurrence_on(2027, 2) == date(2027, 2, 27)
    assert series.occurrence_on(2026, 12) == date(2026, 12, 26)


def test_generation_creates_published_events_from_today_on_with_booked_spaces(series):
    created, updated, cancelled = services.generate_series_events(series=series, today=TODAY)
    events = list(series.events.order_by("start"))
    # November's second Saturday (14th) is before TODAY, so Dec, Jan, Feb.
    assert [e.series_date for e in events] == [
        date(2026, 12, 12),
        date(2027, 1, 9),
        date(2027, 2, 13),
    ]
    assert (created, updated, cancelled) == (3, 0, 0)
    first = events[0]
    assert timezone.localtime(first.start) == wib(2026, 12, 12, 9)
    assert timezone.localtime(first.end) == wib(2026, 12, 12, 21)
    assert first.status == Event.Status.PUBLISHED
    assert first.booths == 10 and first.applications_close_at < first.start
    booking = first.bookings.get()
    assert booking.space.slug == "halaman-depan"
    assert booking.start < first.start and booking.end > first.end  # setup and teardown


def test_regenerating_keeps_a_skipped_and_a_moved_date(series):
    services.generate_series_events(series=series, today=TODAY)
    SeriesException.objects.create(
        series=series,
        original_date=date(2027, 1, 9),
        action=SeriesException.Action.SKIP,
        reason="Gedung dipakai Pemkab.",
    )
    SeriesException.objects.create(
        series=series,
        original_date=date(2027, 2, 13),
        action=SeriesException.Action.MOVE,
        new_start=wib(2027, 2, 20, 10),
        new_end=wib(2027, 2, 20, 22),
    )
    services.generate_series_events(series=series, today=TODAY)
    # Regenerate twice more, after a change to the rule's times: exceptions still hold.
    series.start_time = time(8)
    series.save()
    services.generate_series_events(series=series, today=TODAY)
    services.generate_series_events(series=series, today=TODAY)

    skipped = series.events.get(series_date=date(2027, 1, 9))
    assert skipped.status == Event.Status.CANCELLED  # was published: kept for the feeds
    assert skipped.status_reason == "Gedung dipakai Pemkab."
    assert not skipped.bookings.exists()
    moved = series.events.get(series_date=date(2027, 2, 13))
    assert timezone.localtime(moved.start) == wib(2027, 2, 20, 10)
    assert timezone.localtime(moved.end) == wib(2027, 2, 20, 22)
    regular = series.events.get(series_date=date(2026, 12, 12))
    assert timezone.localtime(regular.start) == wib(2026, 12, 12, 8)
    assert series.events.count() == 3


def test_a_skipped_date_never_gets_an_event_when_it_was_never_generated(series):
    SeriesException.objects.create(
        series=series, original_date=date(2026, 12, 12), action=SeriesException.Action.SKIP
    )
    services.generate_series_events(series=series, today=TODAY)
    assert not series.events.filter(series_date=date(2026, 12, 12)).exists()
    assert series.events.count() == 2


def test_regenerating_without_changes_changes_nothing_and_keeps_sequence(series):
    services.generate_series_events(series=series, today=TODAY)
    before = list(series.events.values_list("pk", "sequence", "start"))
    assert services.generate_series_events(series=series, today=TODAY) == (0, 0, 0)
    assert list(series.events.values_list("pk", "sequence", "start")) == before


def test_a_time_change_raises_the_sequence(series):
    services.generate_series_events(series=series, today=TODAY)
    series.end_time = time(22)
    series.save()
    services.generate_series_events(series=series, today=TODAY)
    assert set(series.events.values_list("sequence", flat=True)) == {1}


def test_management_command_generates_every_series_and_is_repeatable(series):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("generate_gerai_series", stdout=out)
    assert "bazar-sabtu-kedua:" in out.getvalue() and " created" in out.getvalue()
    count = series.events.count()
    assert count >= 3
    out = io.StringIO()
    call_command("generate_gerai_series", stdout=out)
    assert "bazar-sabtu-kedua: 0 created, 0 updated, 0 cancelled" in out.getvalue()
    assert series.events.count() == count


def test_changing_the_type_raises_sequence(series):
    services.generate_series_events(series=series, today=TODAY)
    event = series.events.first()
    event.kind = EventKind.CULINARY
    event.save()
    event.refresh_from_db()
    assert event.sequence == 1
