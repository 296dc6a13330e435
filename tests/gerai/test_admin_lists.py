"""The bookings list at regency scale: a date drill-down without a scan of every booking."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gerai.models import SpaceBooking
from tests.gerai.factories import space, wib

pytestmark = pytest.mark.django_db

URL = "/admin/gerai/spacebooking/"


def book(start, purpose="Rapat"):
    return SpaceBooking.objects.create(
        space=space("aula"), purpose=purpose, start=start, end=start.replace(hour=start.hour + 1)
    )


def test_the_years_run_from_the_first_booking_to_the_last(client, venue_manager):
    # 1 January 03.00 in Jakarta is still the old year in UTC; the years are local ones.
    book(wib(2024, 1, 1, 3))
    book(wib(2026, 3, 2, 9))
    client.force_login(venue_manager)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(URL).content.decode()
    for year in (2024, 2025, 2026):
        assert f'<a href="?start__year={year}">{year}</a>' in body
    assert "start__year=2023" not in body and "start__year=2027" not in body
    # MIN and MAX, not a DISTINCT over the year of every booking.
    assert not any("DISTINCT" in q["sql"] for q in queries.captured_queries)


def test_below_a_year_the_drill_down_is_djangos(client, venue_manager):
    book(wib(2025, 3, 2, 9))
    book(wib(2025, 7, 8, 9), purpose="Pelatihan")
    client.force_login(venue_manager)
    body = client.get(URL + "?start__year=2025").content.decode()
    assert "?start__month=3&amp;start__year=2025" in body
    assert "?start__month=7&amp;start__year=2025" in body
    assert 'class="date-back"' in body
    body = client.get(URL + "?start__month=7&start__year=2025").content.decode()
    assert "Pelatihan" in body and "Rapat" not in body


def test_an_empty_list_offers_no_years(client, venue_manager):
    client.force_login(venue_manager)
    response = client.get(URL)
    assert response.status_code == 200
    assert "start__year" not in response.content.decode()


def test_fifty_bookings_a_page(client, venue_manager):
    for day in range(1, 28):
        book(wib(2025, 3, day, 9))
        book(wib(2025, 4, day, 9))
    client.force_login(venue_manager)
    response = client.get(URL)
    assert len(response.context["cl"].result_list) == 50
