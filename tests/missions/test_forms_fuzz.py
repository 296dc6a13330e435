"""Whatever an owner types into the mission forms, the answer is a page, never a 500."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missions.forms import ApplyForm, OwnerDealForm
from missions.models import Participation, TradeMission
from tests.missions.conftest import make_mission, make_participation

text = st.text(max_size=40)
numberish = st.one_of(text, st.decimals(allow_nan=False, allow_infinity=False).map(str))
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def participation(owner_business):
    mission = make_mission(
        status=TradeMission.Status.COMPLETED,
        start_date=timezone.localdate() - datetime.timedelta(days=10),
    )
    return make_participation(mission, owner_business, Participation.Status.ATTENDED)


@FUZZ
@given(
    kind=st.sampled_from(["spot", "potential", "realised", "", "x"]),
    amount=numberish,
    currency=text,
    rate=numberish,
    usd_rate=numberish,
    date=text,
    buyer_name=text,
    country=st.sampled_from(["ID", "KR", "ZZ", ""]),
)
def test_owner_deal_form_never_crashes(
    participation, kind, amount, currency, rate, usd_rate, date, buyer_name, country
):
    form = OwnerDealForm(
        {
            "kind": kind,
            "amount": amount,
            "currency": currency,
            "rate_to_idr": rate,
            "usd_rate": usd_rate,
            "rate_date": date,
            "date": date,
            "buyer_name": buyer_name,
            "destination_country": country,
            "rate_source": "BI",
        },
        participation=participation,
    )
    if form.is_valid():
        assert form.cleaned_data["currency"].isupper()
    else:
        assert form.errors


@FUZZ
@given(business=numberish, products=st.lists(numberish, max_size=3), notes=text)
def test_apply_form_never_crashes(owner, owner_business, business, products, notes):
    form = ApplyForm({"business": business, "products": products, "notes": notes}, user=owner)
    assert not form.is_valid() or form.cleaned_data["business"].owner == owner
