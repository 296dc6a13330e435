"""No two bookings of a space overlap: in the application on every database, and by
the exclusion constraint itself on PostgreSQL."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from gerai import services
from gerai.models import SpaceBooking
from tests.gerai.factories import space, wib

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall_booked():
    return services.book_space(
        space=space("aula"),
        start=wib(2026, 12, 12, 7),
        end=wib(2026, 12, 12, 22),
        purpose="Bazar Desember",
    )


def test_overlapping_booking_is_refused_with_a_message_naming_the_clash(hall_booked):
    with pytest.raises(ValidationError) as caught:
        services.book_space(
            space=space("aula"),
            start=wib(2026, 12, 12, 20),
            end=wib(2026, 12, 12, 23),
            purpose="Rapat koperasi",
        )
    message = " ".join(caught.value.messages)
    assert "Aula" in message
    assert "Bazar Desember" in message
    assert "12 Desember 2026 07.00" in message
    assert SpaceBooking.objects.count() == 1


def test_a_booking_inside_another_is_refused(hall_booked):
    with pytest.raises(ValidationError):
        services.book_space(
            space=space("aula"),
            start=wib(2026, 12, 12, 10),
            end=wib(2026, 12, 12, 11),
            purpose="Foto produk",
        )


def test_back_to_back_bookings_and_other_spaces_are_fine(hall_booked):
    services.book_space(
        space=space("aula"),
        start=wib(2026, 12, 12, 22),
        end=wib(2026, 12, 12, 23),
        purpose="Bersih-bersih",
    )
    services.book_space(
        space=space("halaman-depan"),
        start=wib(2026, 12, 12, 10),
        end=wib(2026, 12, 12, 11),
        purpose="Senam pagi",
    )
    assert SpaceBooking.objects.count() == 3


def test_model_validation_refuses_overlap_on_every_path(hall_booked):
    booking = SpaceBooking(
        space=space("aula"),
        start=wib(2026, 12, 12, 6),
        end=wib(2026, 12, 12, 8),
        purpose="Persiapan lain",
    )
    with pytest.raises(ValidationError, match="Bazar Desember"):
        booking.full_clean()


def test_editing_a_booking_does_not_clash_with_itself(hall_booked):
    hall_booked.end = hall_booked.end + timedelta(hours=1)
    hall_booked.full_clean()
    hall_booked.save()


def test_end_before_start_is_refused():
    with pytest.raises(ValidationError, match="sesudah waktu mulai"):
        services.book_space(
            space=space("aula"),
            start=wib(2026, 12, 12, 10),
            end=wib(2026, 12, 12, 9),
            purpose="Terbalik",
        )


def test_event_spaces_are_booked_all_or_nothing(hall_booked):
    from tests.gerai.factories import EventFactory

    event = EventFactory(
        start=wib(2026, 12, 12, 9),
        end=wib(2026, 12, 12, 21),
        spaces=[space("halaman-depan"), space("aula")],
    )
    with pytest.raises(ValidationError, match="Bazar Desember"):
        services.book_event_spaces(event=event, setup=timedelta(hours=2))
    assert not event.bookings.exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraint: PostgreSQL")
def test_the_constraint_itself_refuses_a_bulk_create_that_skips_validation(hall_booked):
    clash = SpaceBooking(
        space=space("aula"),
        start=wib(2026, 12, 12, 8),
        end=wib(2026, 12, 12, 9),
        purpose="Lewat bulk_create",
    )
    with pytest.raises(IntegrityError, match="gerai_spacebooking_no_overlap"):
        with transaction.atomic():
            SpaceBooking.objects.bulk_create([clash])


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraint: PostgreSQL")
def test_the_constraint_itself_refuses_a_raw_insert(hall_booked):
    with pytest.raises(IntegrityError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                'INSERT INTO gerai_spacebooking (space_id, purpose, start, "end", note, '
                "created_at) VALUES (%s, 'raw', %s, %s, '', now())",
                [space("aula").pk, wib(2026, 12, 12, 12), wib(2026, 12, 12, 13)],
            )
    # and a raw insert that does not overlap is accepted
    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO gerai_spacebooking (space_id, purpose, start, "end", note, '
            "created_at) VALUES (%s, 'raw', %s, %s, '', now())",
            [space("aula").pk, wib(2026, 12, 13, 12), wib(2026, 12, 13, 13)],
        )
    assert SpaceBooking.objects.count() == 2
