"""Meeting ratings reach the deal follow-up; the owner's deal form reads typed money;
mission deadlines say WIB (#23 part 3, #22)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.models import Deal, FollowUp, MeetingRequest, MissionBuyer, Rating, TradeMission
from tests.factories import BusinessFactory, ProductFactory
from tests.missions.conftest import at, make_buyer, make_mission, make_participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(owner, other_owner):
    """A completed mission where owner A met a buyer, and owner B met another."""
    start = timezone.localdate() - datetime.timedelta(days=20)
    mission = make_mission(
        start_date=start, status=TradeMission.Status.COMPLETED, time_zone="Asia/Seoul"
    )
    mine = make_participation(mission, BusinessFactory(owner=owner, name="Rotan A"))
    ProductFactory(business=mine.business)
    theirs = make_participation(mission, BusinessFactory(owner=other_owner, name="Mede B"))
    buyer, other_buyer = make_buyer("Seoul Deco"), make_buyer("Busan Foods")
    meeting = services.schedule_meeting(
        mission=mission, participation=mine, buyer=buyer, start=at(start, 10), end=at(start, 11)
    )
    other = services.schedule_meeting(
        mission=mission,
        participation=theirs,
        buyer=other_buyer,
        start=at(start, 10),
        end=at(start, 11),
    )
    return mission, mine, meeting, other


def _deal_data(**extra):
    return {
        "kind": "potential",
        "stage": "loi",
        "amount": "Rp 25.000.000",
        "currency": "IDR",
        "destination_country": "KR",
        "date": timezone.localdate().isoformat(),
        **extra,
    }


def test_owner_reports_a_deal_from_a_meeting_with_the_amount_as_typed(client, owner, held):
    _mission, mine, meeting, _other = held
    client.force_login(owner)
    url = reverse("missions:report_deal", args=[mine.pk])
    page = client.get(url).content.decode()
    assert "Seoul Deco" in page and "Busan Foods" not in page  # only their own meetings
    product = mine.business.products.get()
    response = client.post(url, _deal_data(meeting=meeting.pk, product=product.pk))
    assert response.status_code == 302, response.content.decode()
    deal = Deal.objects.get()
    assert deal.amount == Decimal("25000000") and deal.meeting == meeting
    assert deal.buyer == meeting.buyer  # taken from the meeting


def test_owner_cannot_link_another_owners_meeting(client, owner, held):
    _mission, mine, _meeting, other = held
    client.force_login(owner)
    url = reverse("missions:report_deal", args=[mine.pk])
    response = client.post(url, _deal_data(meeting=other.pk, buyer_name="X"))
    assert response.status_code == 200
    assert not Deal.objects.exists()


def test_a_typed_amount_that_is_not_a_number_is_explained(client, owner, held):
    mine = held[1]
    client.force_login(owner)
    url = reverse("missions:report_deal", args=[mine.pk])
    response = client.post(url, _deal_data(amount="dua juta", buyer_name="X"))
    body = response.content.decode()
    assert response.status_code == 200 and "Tulis jumlah dengan angka" in body
    assert 'value="dua juta"' in body


def test_follow_up_page_shows_both_sides_ratings_of_the_meeting(client, held):
    mission, mine, meeting, _other = held
    services.rate_meeting(meeting=meeting, side="ikm", rating=Rating.USEFUL, next_step="Sampel")
    services.rate_meeting(meeting=meeting, side="buyer", rating=Rating.NOT_USEFUL)
    deal = Deal(
        mission=mission,
        business=mine.business,
        buyer=meeting.buyer,
        meeting=meeting,
        commodity=mine.business.products.get().category,
        kind=Deal.Kind.POTENTIAL,
        amount=Decimal("1000000"),
        currency="IDR",
        date=mission.start_date,
    )
    deal.save()
    now = timezone.now()
    row = FollowUp.objects.create(
        deal=deal,
        months=3,
        due_date=timezone.localdate(),
        email="owner-a@example.com",
        expires_at=now + datetime.timedelta(days=30),
    )
    body = client.get(reverse("missions:follow_up", args=[row.token])).content.decode()
    assert "Dari pertemuan bisnis" in body
    assert "bermanfaat" in body and "Sampel" in body and "tidak bermanfaat" in body


def test_mission_page_gives_the_deadline_in_wib_and_the_destination_zone(client):
    mission = make_mission(time_zone="Asia/Dubai", country="AE", city="Dubai")
    body = client.get(mission.get_absolute_url()).content.decode()
    assert "WIB" in body and "Asia/Dubai" in body
    home = make_mission(time_zone="Asia/Jakarta", country="ID", city="Jakarta")
    assert "Zona waktu setempat" not in client.get(home.get_absolute_url()).content.decode()


def test_demo_busan_has_invited_buyers_requests_and_ratings(db):
    call_command("seed_demo", stdout=StringIO())
    busan = TradeMission.objects.get(
        slug=f"business-matching-itpc-busan-{timezone.localdate().year}"
    )
    assert busan.time_zone == "Asia/Seoul"
    assert MissionBuyer.objects.filter(mission=busan).count() == 3
    requests = MeetingRequest.objects.filter(invitation__mission=busan)
    assert requests.filter(status="accepted", meeting__isnull=False).count() == 2
    assert requests.filter(status="declined").count() == 1
    assert busan.meetings.filter(ikm_rating="useful", buyer_rating="useful").count() == 2
    call_command("seed_demo", stdout=StringIO())  # still idempotent
    assert MissionBuyer.objects.filter(mission=busan).count() == 3
