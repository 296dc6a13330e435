"""Whatever a buyer or an owner sends to the meeting pages, the answer is a page, never a
500, and nothing is written unless it was valid (#23 part 3)."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from missions.models import MeetingRequest, MissionBuyer
from tests.factories import BusinessFactory
from tests.missions.conftest import make_buyer, make_mission, make_participation

FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(max_size=30)
ids = st.one_of(text, st.integers(-5, 10**12).map(str))


@pytest.fixture
def invitation(db, owner):
    mission = make_mission(status="selection", meeting_request_limit=2)
    make_participation(mission, BusinessFactory(owner=owner))
    make_participation(mission, BusinessFactory())
    return MissionBuyer.objects.create(mission=mission, buyer=make_buyer())


@FUZZ
@given(participations=st.lists(ids, max_size=4), slots=st.lists(text, max_size=3), message=text)
def test_buyer_request_form_never_crashes(invitation, participations, slots, message):
    client = Client()
    before = MeetingRequest.objects.count()
    response = client.post(
        reverse("missions:buyer_link", args=[invitation.token]),
        {"participations": participations, "free_slots": slots, "message": message},
    )
    assert response.status_code in (302, 400, 429)
    if response.status_code != 302:
        assert MeetingRequest.objects.count() == before


@FUZZ
@given(token=text, pk=st.integers(0, 10**9))
def test_any_token_gets_a_page(db, token, pk):
    client = Client()
    if not token.strip("/"):
        return
    # Quoted as a browser sends it: a raw "#" or "?" would end the path instead.
    url = reverse("missions:buyer_link", args=["x"]).replace("/x/", f"/{quote(token, safe='')}/")
    assert client.get(url).status_code in (404, 410, 429)
    rate_url = f"/misi-dagang/pembeli/tok/nilai/{pk}/"
    assert client.post(rate_url, {"m1-rating": token}).status_code in (404, 410, 429)


@FUZZ
@given(decision=text, comment=text)
def test_owner_answer_never_crashes(invitation, owner, decision, comment):
    mission = invitation.mission
    mine = mission.participations.get(business__owner=owner)
    row, _ = MeetingRequest.objects.get_or_create(invitation=invitation, participation=mine)
    client = Client()
    client.force_login(owner)
    response = client.post(
        reverse("missions:answer_meeting_request", args=[row.pk]),
        {f"r{row.pk}-decision": decision, f"r{row.pk}-comment": comment},
    )
    assert response.status_code in (302, 400)
