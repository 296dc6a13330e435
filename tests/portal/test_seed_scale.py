"""seed_scale builds data that the models' own rules accept, in every app."""

import pytest
from django.core.management import call_command
from django.db.models import F

from gerai.models import BoothApplication, Event, SpaceBooking
from ikm_registry.models import Business, Product
from missions.models import Deal, Meeting, Participation, TradeMission

pytestmark = pytest.mark.django_db


def seed(**sizes):
    options = {
        "ikm": 60,
        "products": 240,
        "missions": 8,
        "buyers": 70,
        "deals": 400,
        "events": 30,
        "bookings": 300,
        "batch": 100,
    }
    call_command("seed_scale", **{**options, **sizes})


def test_seed_scale_builds_every_app_to_the_asked_sizes():
    seed()
    assert Business.objects.count() == 60
    assert Product.objects.count() == 240
    assert TradeMission.objects.count() == 8
    assert Event.objects.count() == 30
    assert SpaceBooking.objects.count() == 300
    # Deals only come from missions that took place: about the asked number.
    assert 300 <= Deal.objects.count() <= 400
    assert Participation.objects.exists()
    assert Meeting.objects.exists()
    assert BoothApplication.objects.exists()
    # Derived columns that bulk_create skips are filled in, search texts included.
    assert not Business.objects.filter(size_class="").exists()
    assert not Deal.objects.filter(value_idr=0).exists()
    assert not Product.objects.filter(search_text="").exists()
    assert Product.objects.public().search("keranjang").exists()
    assert Product.objects.public().search("kerajinan rotan").exists()  # by its category
    assert Business.objects.verified().search("rotan").exists()
    # Products are public exactly when their business is (what sync_public would store).
    public = set(Product.objects.filter(is_public=True).values_list("pk", flat=True))
    Product.objects.all().sync_public()
    assert public == set(Product.objects.filter(is_public=True).values_list("pk", flat=True))
    assert public and len(public) < 240


def test_seeded_bookings_and_meetings_never_overlap():
    """The exclusion constraints (PostgreSQL) would refuse them; SQLite is checked here."""
    seed()
    seed(ikm=10, products=20, missions=2, buyers=10, deals=50, events=5, bookings=60)
    for booking in SpaceBooking.objects.all():
        clash = SpaceBooking.objects.overlapping(booking.space_id, booking.start, booking.end)
        assert clash.exclude(pk=booking.pk).count() == 0, booking
    for meeting in Meeting.objects.all():
        same_time = Meeting.objects.overlapping(meeting.start, meeting.end).exclude(pk=meeting.pk)
        assert not same_time.filter(business=meeting.business_id).exists()
        assert not same_time.filter(buyer=meeting.buyer_id).exists()
        assert not same_time.filter(mission=meeting.mission_id, table=meeting.table).exists()


def test_seeded_realisations_point_at_a_potential_of_the_same_business():
    seed()
    realised = Deal.objects.filter(kind=Deal.Kind.REALISED)
    assert realised.exists()
    assert not realised.exclude(realises__kind=Deal.Kind.POTENTIAL).exists()
    assert not realised.exclude(realises__business=F("business")).exists()
    # Money is stored in rupiah and dollars at the recorded rates.
    for deal in Deal.objects.all()[:50]:
        assert (deal.value_idr, deal.value_usd) == Deal.convert(
            deal.amount, deal.rate_to_idr, deal.usd_rate
        )
