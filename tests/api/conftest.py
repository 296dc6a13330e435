"""A small seeded world for the API tests: the catalog's (public and every hidden kind),
events of each status, and missions before and after their results are published."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from gerai.models import Event, EventKind
from missions.models import Deal, Participation, TradeMission
from tests.gerai.factories import EventFactory, soon
from tests.ikm_registry.catalog_fixtures import catalog_world  # noqa: F401 - a fixture
from tests.missions.conftest import make_buyer, make_deal, make_mission, make_participation

# Personal data planted in the world: none of it may appear in any API answer.
PERSONAL = [
    "usaha-rahasia@example.com",  # the business e-mail
    "Jl. Kenanga Rahasia",  # the street address
    "SVLK-NOMOR-RAHASIA-123",  # a certificate number
    "Contact Person",  # a buyer's contact
    "@buyer.example",  # a buyer's e-mail
    "Pembeli Rahasia",  # a buyer's company
    "+8210555",  # a buyer's phone
]


@pytest.fixture
def api_world(catalog_world):  # noqa: F811 - the fixture imported above
    world = catalog_world
    # The second business keeps its phone private: it must never be published.
    world.other.phone = "+6281299990000"
    world.other.whatsapp_public = False
    world.other.npwp15 = "012345678901234"
    world.other.nik = "3603011234567890"
    world.other.save()

    world.event = EventFactory(
        title="Bazar Desember", title_en="December Bazaar", slug="bazar-desember"
    )
    world.cancelled = EventFactory(
        slug="bazar-batal",
        start=soon(20, 9),
        status=Event.Status.CANCELLED,
        status_reason="Hujan deras",
        kind=EventKind.CULINARY,
    )
    world.draft_event = EventFactory(
        slug="acara-drafsecret", title="DraftSecret Acara", status=Event.Status.DRAFT
    )

    world.open_mission = make_mission(title="Misi Busan", slug="misi-busan")
    world.draft_mission = make_mission(
        title="DraftSecret Misi", slug="misi-drafsecret", status=TradeMission.Status.DRAFT
    )
    past = timezone.localdate() - datetime.timedelta(days=60)
    done = make_mission(
        title="Misi Osaka",
        slug="misi-osaka",
        start_date=past,
        registration_opens=timezone.now() - datetime.timedelta(days=90),
        registration_closes=timezone.now() - datetime.timedelta(days=70),
        status=TradeMission.Status.COMPLETED,
        country="JP",
        city="Osaka",
    )
    done.commodities.add(world.rotan)
    make_participation(done, world.business, status=Participation.Status.ATTENDED)
    make_participation(done, world.other, status=Participation.Status.ACCEPTED)
    buyer = make_buyer(company="Pembeli Rahasia Co", country="JP")
    make_deal(done, world.business, amount="1500000", buyer=buyer)
    make_deal(done, world.other, amount="1000", currency="USD", rate="16000", destination="JP")
    make_deal(done, world.other, amount="999", kind=Deal.Kind.POTENTIAL, stage=Deal.Stage.LOI)
    world.done_mission = done
    return world


@pytest.fixture
def no_rate_limit(settings):
    settings.API_RATE_LIMIT = 1_000_000


def as_namespace(**kwargs):
    return SimpleNamespace(**kwargs)
