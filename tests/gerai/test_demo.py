"""seed_demo's gerai part: realistic, and running it twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from gerai.models import BoothApplication, Event, EventSeries, SpaceBooking, Venue

pytestmark = pytest.mark.django_db


def counts():
    return (
        Event.objects.count(),
        EventSeries.objects.count(),
        SpaceBooking.objects.count(),
        BoothApplication.objects.count(),
        sorted(Event.objects.values_list("slug", "sequence")),
    )


def test_migration_seeds_the_venue_and_its_spaces():
    venue = Venue.objects.get(slug="gerai-tangerang-gemilang")
    assert venue.desa.code == "36.03.18.2004"
    kinds = set(venue.spaces.values_list("kind", flat=True))
    assert {"aula", "panggung", "ruang_pamer", "halaman"} <= kinds
    assert set(venue.spaces.filter(kind="ruang_pamer").values_list("floor", flat=True)) == {1, 2}


def test_seed_demo_adds_series_festival_cancelled_event_and_applications_idempotently():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    assert EventSeries.objects.filter(slug="bazar-bulanan").exists()
    assert Event.objects.filter(kind="festival_kuliner", status="published").exists()
    assert Event.objects.filter(status="cancelled").exclude(status_reason="").exists()
    assert Event.objects.filter(series__slug="bazar-bulanan").count() >= 3
    assert BoothApplication.objects.filter(status="accepted").count() == 1
    assert BoothApplication.objects.count() == 2
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
