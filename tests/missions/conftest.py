"""Builders for mission tests: missions, participants, buyers, meetings and deals."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ikm_registry.models import Commodity
from missions.models import Buyer, Deal, Participation, TradeMission
from tests.factories import BusinessFactory, ProductFactory

TZ = datetime.timezone(datetime.timedelta(hours=7))
_seq = iter(range(1, 100000))


def make_mission(**fields):
    n = next(_seq)
    now = timezone.now()
    start = fields.pop("start_date", timezone.localdate() + datetime.timedelta(days=30))
    defaults = {
        "title": f"Misi Uji {n}",
        "slug": f"misi-uji-{n}",
        "kind": TradeMission.Kind.BUSINESS_MATCHING,
        "scope": TradeMission.Scope.INTERNATIONAL,
        "city": "Busan",
        "country": "KR",
        "start_date": start,
        "end_date": start + datetime.timedelta(days=2),
        "registration_opens": now - datetime.timedelta(days=10),
        "registration_closes": now + datetime.timedelta(days=10),
        "quota": 5,
        "status": TradeMission.Status.OPEN,
    }
    defaults.update(fields)
    return TradeMission.objects.create(**defaults)


def make_participation(mission, business=None, status=Participation.Status.ACCEPTED, **kw):
    return Participation.objects.create(
        mission=mission, business=business or BusinessFactory(), status=status, **kw
    )


def make_buyer(company=None, country="KR", **kw):
    n = next(_seq)
    buyer = Buyer(
        company=company or f"Buyer Co {n}",
        country=country,
        city="Seoul",
        kind=kw.pop("kind", Buyer.Kind.IMPORTER),
        contact_person=kw.pop("contact_person", f"Contact Person {n}"),
        email=kw.pop("email", f"contact{n}@buyer.example"),
        phone=kw.pop("phone", f"+8210555{n:04d}"),
        **kw,
    )
    buyer.save()
    return buyer


def make_deal(
    mission,
    business,
    *,
    amount,
    currency="IDR",
    rate="1",
    usd_rate="16000",
    kind=Deal.Kind.ON_THE_SPOT,
    status=Deal.Status.CONFIRMED,
    commodity=None,
    date=None,
    destination="KR",
    buyer=None,
    **kw,
):
    deal = Deal(
        mission=mission,
        business=business,
        buyer=buyer,
        buyer_name="" if buyer else "Pembeli Uji",
        commodity=commodity or Commodity.objects.get(slug="kerajinan-rotan"),
        kind=kind,
        amount=Decimal(amount),
        currency=currency,
        rate_to_idr=Decimal(rate),
        usd_rate=Decimal(usd_rate),
        rate_date=date or mission.start_date,
        destination_country=destination,
        date=date or mission.start_date,
        status=status,
        **kw,
    )
    deal.full_clean()
    deal.save()
    return deal


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


@pytest.fixture
def mission(db):
    return make_mission()


@pytest.fixture
def owner_business(owner):
    business = BusinessFactory(owner=owner, name="Rotan Milik A")
    ProductFactory(business=business, name="Keranjang Milik A")
    return business


@pytest.fixture
def other_business(other_owner):
    business = BusinessFactory(owner=other_owner, name="Mede Milik B")
    ProductFactory(business=business, name="Produk Milik B")
    return business


@pytest.fixture
def session_query(settings):
    """1 when each request reads its session from the database, 0 when the cache holds it."""
    return int(settings.SESSION_ENGINE == "django.contrib.sessions.backends.db")
