from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from missions import reports
from missions.models import Deal
from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal, make_mission

K = Deal.Kind


@pytest.fixture
def business(db):
    return BusinessFactory()


def test_usd_deal_is_converted_at_its_rate(mission, business):
    deal = make_deal(
        mission, business, amount="1234.57", currency="USD", rate="16250.50", usd_rate="1"
    )
    # 1234.57 x 16250.50 = 20,061,762.50 + 617.285 = 20,062,379.785 → half up to .79
    assert deal.value_idr == Decimal("20062379.79")
    assert deal.usd_rate == Decimal("16250.50")  # a USD deal's dollar rate is its own rate
    assert deal.value_usd == Decimal("1234.57")


def test_euro_deal_uses_both_rates_of_its_date(mission, business):
    deal = make_deal(
        mission, business, amount="1000.00", currency="EUR", rate="17500.125", usd_rate="16000"
    )
    assert deal.value_idr == Decimal("17500125.00")
    # 17500125 / 16000 = 1093.7578125 → 1093.76
    assert deal.value_usd == Decimal("1093.76")


def test_rupiah_deal_has_rate_one_and_rounds_half_up(mission, business):
    deal = make_deal(mission, business, amount="8000", currency="IDR", rate="999", usd_rate="16000")
    assert deal.rate_to_idr == 1
    assert deal.value_idr == Decimal("8000.00")
    assert deal.value_usd == Decimal("0.50")
    half = make_deal(mission, business, amount="80", currency="IDR", usd_rate="16000")
    assert half.value_usd == Decimal("0.01")  # 0.005 rounds half up, not to even


def test_changing_the_rate_recomputes_stored_values(mission, business):
    deal = make_deal(
        mission, business, amount="100", currency="SGD", rate="12000", usd_rate="16000"
    )
    deal.rate_to_idr = Decimal("12100")
    deal.save(update_fields=["rate_to_idr"])
    deal.refresh_from_db()
    assert deal.value_idr == Decimal("1210000.00")
    assert deal.value_usd == Decimal("75.63")  # 1210000/16000 = 75.625


def test_realisation_must_link_a_potential_of_the_same_business(mission, business):
    spot = make_deal(mission, business, amount="10", currency="USD", rate="16000")
    with pytest.raises(ValidationError, match="harus menunjuk"):
        make_deal(mission, business, amount="5", kind=K.REALISED)
    with pytest.raises(ValidationError, match="harus berupa potensi"):
        make_deal(mission, business, amount="5", kind=K.REALISED, realises=spot)
    potential = make_deal(mission, business, amount="100", kind=K.POTENTIAL)
    with pytest.raises(ValidationError, match="IKM lain"):
        make_deal(mission, BusinessFactory(), amount="5", kind=K.REALISED, realises=potential)
    realised = make_deal(mission, business, amount="60", kind=K.REALISED, realises=potential)
    assert list(potential.realisations.all()) == [realised]


def _sums(mission):
    deals = reports.with_realised(Deal.objects.confirmed().filter(mission=mission))
    return deals.aggregate(**reports.deal_sums())


def test_a_realised_potential_is_not_counted_twice(business):
    mission = make_mission()
    potential = make_deal(mission, business, amount="1000000", kind=K.POTENTIAL)
    make_deal(mission, business, amount="400000", kind=K.REALISED, realises=potential)
    other_potential = make_deal(mission, business, amount="250000", kind=K.POTENTIAL)
    sums = _sums(mission)
    assert sums["actual_idr"] == Decimal("400000")
    # the partly realised potential keeps its remaining 600,000 open; the other stays whole
    assert sums["open_idr"] == Decimal("600000") + other_potential.value_idr
    table = reports.deals_by_kind_table(sums)
    # 400,000 realised + 850,000 open = the 1,250,000 of potential, nothing counted twice
    assert table.total[1] == Decimal("1250000.00")


def test_a_fully_realised_potential_leaves_nothing_open_and_over_realisation_shows(business):
    mission = make_mission()
    full = make_deal(mission, business, amount="1000", kind=K.POTENTIAL)
    make_deal(mission, business, amount="1000", kind=K.REALISED, realises=full)
    over = make_deal(mission, business, amount="500", kind=K.POTENTIAL)
    make_deal(mission, business, amount="300", kind=K.REALISED, realises=over)
    make_deal(mission, business, amount="450", kind=K.REALISED, realises=over)
    sums = _sums(mission)
    assert sums["open_idr"] == Decimal("0")  # never below zero: 500 - 750 counts as 0
    assert sums["over_idr"] == Decimal("250")
    assert sums["n_over"] == 1


def test_unconfirmed_realisation_keeps_the_potential_open(business):
    mission = make_mission()
    potential = make_deal(mission, business, amount="1000", kind=K.POTENTIAL)
    make_deal(
        mission,
        business,
        amount="400",
        kind=K.REALISED,
        realises=potential,
        status=Deal.Status.REPORTED,
    )
    sums = _sums(mission)
    assert sums["open_idr"] == Decimal("1000")
    assert sums["actual_idr"] is None
