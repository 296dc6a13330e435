"""Each potential deal stores the sums of its staff-confirmed realisations; the reports
read them. They must follow every change of a realisation, bulk deletes included."""

from decimal import Decimal

import pytest

from missions import reports
from missions.models import Deal
from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal

K = Deal.Kind


@pytest.fixture
def business(db):
    return BusinessFactory()


def stored(deal):
    deal.refresh_from_db()
    return deal.realised_idr, deal.realised_usd


def test_sums_follow_creation_confirmation_moves_and_deletes(mission, business):
    first = make_deal(mission, business, amount="1000000", kind=K.POTENTIAL)
    second = make_deal(mission, business, amount="2000000", kind=K.POTENTIAL)
    assert stored(first) == (0, 0)

    realised = make_deal(
        mission, business, amount="400000", kind=K.REALISED, realises=first, usd_rate="16000"
    )
    assert stored(first) == (Decimal("400000.00"), Decimal("25.00"))
    make_deal(
        mission,
        business,
        amount="100000",
        kind=K.REALISED,
        realises=first,
        status=Deal.Status.REPORTED,
    )
    assert stored(first)[0] == Decimal("400000.00")  # only staff-confirmed ones count

    realised.amount = Decimal("800000")
    realised.save()
    assert stored(first)[0] == Decimal("800000.00")

    realised.realises = second  # moved: the old potential loses it, the new one gains it
    realised.save()
    assert stored(first)[0] == 0 and stored(second)[0] == Decimal("800000.00")

    realised.status = Deal.Status.REPORTED
    realised.save()
    assert stored(second)[0] == 0
    realised.status = Deal.Status.CONFIRMED
    realised.save()

    Deal.objects.filter(pk=realised.pk).delete()  # a bulk delete, as the admin's action
    assert stored(second) == (0, 0)


def test_the_report_reads_the_stored_sums(mission, business):
    potential = make_deal(mission, business, amount="1000000", kind=K.POTENTIAL)
    make_deal(mission, business, amount="1500000", kind=K.REALISED, realises=potential)
    sums = reports.with_realised(Deal.objects.confirmed().filter(mission=mission)).aggregate(
        **reports.deal_sums()
    )
    assert sums["open_idr"] == 0  # realised above its value: nothing left open
    assert sums["over_idr"] == Decimal("500000.00")
    assert sums["realised_of_potential_idr"] == Decimal("1500000.00")
    # Stored sums gone stale would show here: clear them and the figures change.
    Deal.objects.filter(pk=potential.pk).update(realised_idr=0)
    sums = reports.with_realised(Deal.objects.confirmed().filter(mission=mission)).aggregate(
        **reports.deal_sums()
    )
    assert sums["open_idr"] == Decimal("1000000.00")
    Deal.objects.filter(pk=potential.pk).refresh_realised()
    assert stored(potential)[0] == Decimal("1500000.00")
