"""Invited buyers request meetings; owners answer; staff place them; both sides rate (#23)."""

import datetime
import re

import icalendar
import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.models import Meeting, MeetingRequest, MissionBuyer, Participation
from tests.factories import BusinessFactory, ProductFactory
from tests.missions.conftest import at, make_buyer, make_mission, make_participation
from tests.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(owner, other_owner):
    mission = make_mission(
        city="Seoul",
        country="KR",
        time_zone="Asia/Seoul",
        meeting_request_limit=2,
        status="selection",
    )
    biz_a = BusinessFactory(owner=owner, name="Rotan Jaya A")
    ProductFactory(business=biz_a, name="Kursi rotan", name_en="Rattan chair")
    biz_b = BusinessFactory(owner=other_owner, name="Mede Sentosa B")
    p_a = make_participation(mission, biz_a)
    p_b = make_participation(mission, biz_b)
    p_a.products.set(biz_a.products.all())
    applied = make_participation(
        mission, BusinessFactory(name="Masih Mendaftar C"), status=Participation.Status.APPLIED
    )
    buyer = make_buyer("Seoul Living Co")
    invitation = MissionBuyer.objects.create(mission=mission, buyer=buyer)
    return mission, p_a, p_b, applied, buyer, invitation


def _slots(mission):
    return [mission.free_slot_choices()[0][0]]


def _request(client, invitation, *participations, slots=None):
    return client.post(
        reverse("missions:buyer_link", args=[invitation.token]),
        {
            "participations": [p.pk for p in participations],
            "free_slots": slots or _slots(invitation.mission),
            "message": "We import rattan furniture.",
        },
    )


# --- The mission's time zone --------------------------------------------------


def test_time_zone_is_validated_with_zoneinfo(setup):
    mission = setup[0]
    mission.time_zone = "Asia/Atlantis"
    with pytest.raises(ValidationError) as exc:
        mission.full_clean()
    assert "time_zone" in exc.value.message_dict
    mission.time_zone = "Asia/Dubai"
    mission.full_clean()


# --- The buyer's link --------------------------------------------------------


def test_buyer_link_shows_the_catalogue_of_accepted_ikm_in_english(client, setup):
    invitation = setup[-1]
    other = make_mission()
    make_participation(other, BusinessFactory(name="Misi Lain D"))
    response = client.get(invitation.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rotan Jaya A" in body and "Mede Sentosa B" in body and "Rattan chair" in body
    assert "Masih Mendaftar C" not in body and "Misi Lain D" not in body
    assert 'name="participations"' in body  # the request form
    assert 'lang="en"' in body


@pytest.mark.parametrize("how", ["forged", "tampered", "revoked", "expired"])
def test_a_bad_buyer_link_gets_a_clear_page_not_an_error(client, setup, how):
    invitation = setup[-1]
    token = invitation.token
    if how == "forged":
        token = signing.dumps([invitation.pk, "guess"], salt=MissionBuyer.SALT)
    elif how == "tampered":
        token = token[:-3] + "abc"
    elif how == "revoked":
        invitation.revoked_at = timezone.now()
        invitation.save()
    else:
        invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
        invitation.save()
    response = client.get(reverse("missions:buyer_link", args=[token]))
    assert response.status_code == 410
    assert "Tautan tidak berlaku" in response.content.decode() or "no longer" in (
        response.content.decode()
    )
    post = client.post(reverse("missions:buyer_link", args=[token]), {})
    assert post.status_code == 410
    assert not MeetingRequest.objects.exists()


def test_a_token_of_another_kind_of_link_is_refused(client, setup):
    invitation = setup[-1]
    token = signing.dumps([invitation.pk, invitation.nonce], salt="missions.FollowUp")
    assert client.get(reverse("missions:buyer_link", args=[token])).status_code == 410


def test_buyer_requests_two_ikm_and_each_owner_is_told(
    client, setup, django_capture_on_commit_callbacks
):
    mission, p_a, p_b, _applied, _buyer, invitation = setup
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, invitation, p_a, p_b)
    assert response.status_code == 302
    rows = MeetingRequest.objects.filter(invitation=invitation)
    assert {r.participation_id for r in rows} == {p_a.pk, p_b.pk}
    assert all(r.status == MeetingRequest.Status.PENDING for r in rows)
    invitation.refresh_from_db()
    assert invitation.free_slots == _slots(mission)
    to = sorted(addr for m in mail.outbox for addr in m.to)
    assert to == ["owner-a@example.com", "owner-b@example.com"]
    assert "Seoul Living Co" in mail.outbox[0].subject


def test_the_limit_of_requests_holds(client, setup):
    mission, p_a, p_b, _applied, _buyer, invitation = setup
    mission.meeting_request_limit = 1
    mission.save()
    response = _request(client, invitation, p_a, p_b)
    assert response.status_code == 400
    assert "only choose 1" in response.content.decode() or "1 IKM" in response.content.decode()
    assert not MeetingRequest.objects.exists()
    # The entered message comes back.
    assert "We import rattan furniture." in response.content.decode()


def test_a_buyer_cannot_request_an_ikm_outside_the_accepted_list(client, setup):
    _mission, _p_a, _p_b, applied, _buyer, invitation = setup
    foreign = make_participation(make_mission(), BusinessFactory())
    for p in (applied, foreign):
        response = _request(client, invitation, p)
        assert response.status_code == 400
    assert not MeetingRequest.objects.exists()


def test_a_slot_outside_the_mission_is_refused(client, setup):
    invitation, p_a = setup[-1], setup[1]
    response = _request(client, invitation, p_a, slots=["1999-01-01|am"])
    assert response.status_code == 400
    assert not MeetingRequest.objects.exists()


def test_the_same_ikm_twice_is_refused_by_the_service(setup):
    _mission, p_a, _p_b, _applied, _buyer, invitation = setup
    slots = _slots(invitation.mission)
    services.request_meetings(invitation=invitation, participations=[p_a], free_slots=slots)
    with pytest.raises(ValidationError):
        services.request_meetings(invitation=invitation, participations=[p_a], free_slots=slots)


# --- Owners answer ------------------------------------------------------------


def _make_requests(setup):
    _mission, p_a, p_b, _applied, _buyer, invitation = setup
    slots = _slots(invitation.mission)
    return services.request_meetings(
        invitation=invitation, participations=[p_a, p_b], free_slots=slots
    )


def test_owner_accepts_and_sees_only_their_own_requests(client, owner, setup):
    _mission, p_a, p_b, *_ = setup
    req_a, req_b = _make_requests(setup)
    client.force_login(owner)
    page = client.get(reverse("missions:agenda", args=[p_a.pk]))
    assert page.status_code == 200
    assert "Seoul Living Co" in page.content.decode()
    assert client.get(reverse("missions:agenda", args=[p_b.pk])).status_code == 404
    other = client.post(
        reverse("missions:answer_meeting_request", args=[req_b.pk]),
        {f"r{req_b.pk}-decision": "accept"},
    )
    assert other.status_code == 404
    response = client.post(
        reverse("missions:answer_meeting_request", args=[req_a.pk]),
        {f"r{req_a.pk}-decision": "accept", f"r{req_a.pk}-comment": "Sampai jumpa"},
    )
    assert response.status_code == 302
    req_a.refresh_from_db()
    req_b.refresh_from_db()
    assert req_a.status == "accepted" and req_a.owner_comment == "Sampai jumpa"
    assert req_a.answered_by == owner
    assert req_b.status == "pending"


def test_declining_needs_a_comment_and_the_buyer_sees_it(client, other_owner, setup):
    invitation = setup[-1]
    _req_a, req_b = _make_requests(setup)
    client.force_login(other_owner)
    url = reverse("missions:answer_meeting_request", args=[req_b.pk])
    response = client.post(url, {f"r{req_b.pk}-decision": "decline"})
    assert response.status_code == 400
    assert "alasan" in response.content.decode()
    response = client.post(
        url, {f"r{req_b.pk}-decision": "decline", f"r{req_b.pk}-comment": "Stok habis"}
    )
    assert response.status_code == 302
    client.logout()
    body = client.get(invitation.get_absolute_url()).content.decode()
    assert "Stok habis" in body


def test_anonymous_is_sent_to_log_in(client, setup):
    p_a = setup[1]
    response = client.get(reverse("missions:agenda", args=[p_a.pk]))
    assert response.status_code == 302


# --- Staff place accepted requests ----------------------------------------------


def _accept(setup):
    req_a, req_b = _make_requests(setup)
    owner_a = req_a.participation.business.owner
    services.answer_meeting_request(meeting_request=req_a, owner=owner_a, accept=True)
    services.answer_meeting_request(
        meeting_request=req_b, owner=req_b.participation.business.owner, accept=False, comment="x"
    )
    return req_a, req_b


def _place(client, mission, req, *, time="10:00", table="3"):
    url = reverse("admin:missions_trademission_schedule", args=[mission.pk])
    return client.post(
        url + f"?date={mission.start_date.isoformat()}&request={req.pk}",
        {
            "participation": req.participation_id,
            "buyer": req.invitation.buyer_id,
            "request": req.pk,
            "date": mission.start_date.isoformat(),
            "time": time,
            "minutes": 30,
            "table": table,
        },
        follow=True,
    )


def test_staff_see_requests_and_answers_in_the_grid_and_place_the_accepted(
    client, coordinator, setup
):
    mission = setup[0]
    req_a, req_b = _accept(setup)
    client.force_login(coordinator)
    url = reverse("admin:missions_trademission_schedule", args=[mission.pk])
    body = client.get(url).content.decode()
    assert "Seoul Living Co" in body and "diterima IKM" in body and "ditolak IKM" in body
    assert f"request={req_a.pk}" in body and f"request={req_b.pk}" not in body
    response = _place(client, mission, req_a)
    assert response.status_code == 200
    req_a.refresh_from_db()
    meeting = req_a.meeting
    assert meeting is not None and meeting.table == "3"
    assert meeting.business == req_a.participation.business
    assert timezone.localtime(meeting.start).hour == 10
    # Once placed, it cannot be placed a second time.
    _place(client, mission, req_a, time="14:00")
    assert Meeting.objects.count() == 1


def test_a_declined_request_cannot_be_placed(client, coordinator, setup):
    mission = setup[0]
    _req_a, req_b = _accept(setup)
    client.force_login(coordinator)
    response = _place(client, mission, req_b)
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_a_clash_gives_a_message_not_an_error(client, coordinator, setup):
    mission, p_a, *_rest = setup
    req_a, _req_b = _accept(setup)
    other_buyer = make_buyer("Busan Other")
    services.schedule_meeting(
        mission=mission,
        participation=p_a,
        buyer=other_buyer,
        start=at(mission.start_date, 10),
        end=at(mission.start_date, 10, 30),
        table="9",
    )
    client.force_login(coordinator)
    response = _place(client, mission, req_a)
    assert response.status_code == 200
    assert "Bentrok" in response.content.decode()
    req_a.refresh_from_db()
    assert req_a.meeting is None


# --- The owner's agenda ----------------------------------------------------------


def _placed(setup):
    mission = setup[0]
    req_a, _ = _accept(setup)
    return services.place_meeting_request(
        meeting_request=req_a,
        start=at(mission.start_date, 10),
        end=at(mission.start_date, 10, 30),
        table="4",
    )


def test_agenda_shows_wib_and_local_time_buyer_and_table(client, owner, setup):
    p_a = setup[1]
    _placed(setup)
    client.force_login(owner)
    body = client.get(reverse("missions:agenda", args=[p_a.pk])).content.decode()
    assert "10.00\u201310.30</td>" in body and "WIB" in body  # Jakarta
    assert "12.00\u201312.30</td>" in body and "Asia/Seoul" in body  # Seoul is two hours ahead
    assert "Seoul Living Co" in body and ">4<" in body
    printed = client.get(reverse("missions:agenda_print", args=[p_a.pk]))
    assert printed.status_code == 200 and "Seoul Living Co" in printed.content.decode()


def test_agenda_ics_parses_with_icalendar(client, owner, other_owner, setup):
    p_a = setup[1]
    meeting = _placed(setup)
    client.force_login(owner)
    response = client.get(reverse("missions:agenda_ics", args=[p_a.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    assert events[0].decoded("dtstart") == meeting.start
    assert "Seoul Living Co" in str(events[0]["summary"])
    assert "4" in str(events[0]["location"])
    client.force_login(other_owner)
    assert client.get(reverse("missions:agenda_ics", args=[p_a.pk])).status_code == 404


# --- Ratings after the mission --------------------------------------------------


def test_both_sides_rate_after_the_meeting(client, owner, setup):
    invitation = setup[-1]
    meeting = _placed(setup)
    client.force_login(owner)
    url = reverse("missions:rate_meeting", args=[meeting.pk])
    data = {f"m{meeting.pk}-rating": "useful", f"m{meeting.pk}-next_step": "Kirim sampel"}
    early = client.post(url, data)
    assert early.status_code == 400  # not yet held
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - datetime.timedelta(hours=2),
        end=timezone.now() - datetime.timedelta(hours=1),
    )
    assert client.post(url, data).status_code == 302
    client.logout()
    buyer_url = reverse("missions:buyer_rate", args=[invitation.token, meeting.pk])
    response = client.post(buyer_url, {f"m{meeting.pk}-rating": "not_useful"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.ikm_rating == "useful" and meeting.ikm_next_step == "Kirim sampel"
    assert meeting.buyer_rating == "not_useful" and meeting.buyer_rated_at


def test_a_buyer_cannot_rate_another_buyers_meeting(client, setup):
    mission = setup[0]
    meeting = _placed(setup)
    stranger = MissionBuyer.objects.create(mission=mission, buyer=make_buyer("Stranger"))
    url = reverse("missions:buyer_rate", args=[stranger.token, meeting.pk])
    assert client.post(url, {f"m{meeting.pk}-rating": "useful"}).status_code == 404


def test_an_owner_cannot_rate_another_owners_meeting(client, other_owner, setup):
    meeting = _placed(setup)
    client.force_login(other_owner)
    url = reverse("missions:rate_meeting", args=[meeting.pk])
    assert client.post(url, {f"m{meeting.pk}-rating": "useful"}).status_code == 404


# --- Fixed query counts -----------------------------------------------------------


def _grow(setup, n=5):
    mission, p_a, *_ = setup
    for _i in range(n):
        p = make_participation(mission, BusinessFactory())
        ProductFactory(business=p.business)
        p.products.set(p.business.products.all())
        buyer = make_buyer()
        inv = MissionBuyer.objects.create(mission=mission, buyer=buyer)
        slots = _slots(mission)
        services.request_meetings(invitation=inv, participations=[p_a, p], free_slots=slots)


def test_agenda_runs_the_same_queries_with_more_data(client, owner, setup):
    p_a = setup[1]
    _placed(setup)
    client.force_login(owner)
    counts = {}
    for name in ("missions:agenda", "missions:agenda_print", "missions:agenda_ics"):
        url = reverse(name, args=[p_a.pk])
        counts[name] = assert_fixed_queries(client, url, lambda: _grow(setup, 3))
    # The session and user, the participation, its meetings, its requests (no ICS requests).
    assert counts == {
        "missions:agenda": 5,
        "missions:agenda_print": 5,
        "missions:agenda_ics": 4,
    }


def test_buyer_page_runs_the_same_queries_with_more_data(client, setup):
    invitation = setup[-1]
    _placed(setup)
    n = assert_fixed_queries(client, invitation.get_absolute_url(), lambda: _grow(setup, 3))
    # 11 of them are the rate limiter's database cache; the page itself reads 6.
    assert n == 17


def test_grid_runs_the_same_queries_with_more_requests(client, coordinator, setup):
    mission = setup[0]
    _placed(setup)
    client.force_login(coordinator)
    url = reverse("admin:missions_trademission_schedule", args=[mission.pk])
    n = assert_fixed_queries(client, url, lambda: _grow(setup, 3))
    assert n == 9


# --- The invitation e-mail --------------------------------------------------------


def test_staff_send_the_buyer_their_personal_link_in_english(client, coordinator, setup):
    mission, *_rest, invitation = setup
    no_mail = MissionBuyer.objects.create(mission=mission, buyer=make_buyer("No Mail", email=""))
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:missions_missionbuyer_changelist"),
        {"action": "send_links", "_selected_action": [invitation.pk, no_mail.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [invitation.buyer.email]
    assert settings.SITE_URL + "/en/misi-dagang/pembeli/" in message.body
    invitation.refresh_from_db()
    no_mail.refresh_from_db()
    assert invitation.link_sent_at is not None and no_mail.link_sent_at is None
    # The e-mailed link opens the buyer's page.
    path = message.body.split(settings.SITE_URL, 1)[1].split()[0]
    assert client.get(path).status_code == 200


def test_the_mission_admin_lists_invited_buyers_with_their_link(client, coordinator, setup):
    mission, *_rest, invitation = setup
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_trademission_change", args=[mission.pk]))
    links = re.findall(r'href="[^"]*(/misi-dagang/pembeli/[^"]+)"', body.content.decode())
    assert len(links) == 1
    client.logout()
    page = client.get(links[0])
    assert page.status_code == 200 and invitation.buyer.company in page.content.decode()


def test_when_the_database_refuses_an_overlap_staff_get_a_message(
    client, coordinator, setup, is_postgres, monkeypatch
):
    """A clash the checks missed (a concurrent write) hits PostgreSQL's exclusion
    constraint: the grid says so instead of failing."""
    if not is_postgres:
        pytest.skip("the no-overlap exclusion constraints are PostgreSQL's")
    mission, p_a, *_rest = setup
    req_a, _req_b = _accept(setup)
    services.schedule_meeting(
        mission=mission,
        participation=p_a,
        buyer=make_buyer("Earlier Buyer"),
        start=at(mission.start_date, 10),
        end=at(mission.start_date, 10, 30),
        table="9",
    )
    monkeypatch.setattr(services, "meeting_clashes", lambda **kwargs: [])
    client.force_login(coordinator)
    response = _place(client, mission, req_a)
    assert response.status_code == 200
    assert "bentrok" in response.content.decode()
    req_a.refresh_from_db()
    assert req_a.meeting is None and Meeting.objects.count() == 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_owner_is_told_of_a_request_in_their_language(
    setup, owner, language, django_capture_on_commit_callbacks
):
    from tests.portal.test_notifications import check

    owner.language = language
    owner.save()
    _mission, p_a, *_rest, invitation = setup
    with django_capture_on_commit_callbacks(execute=True):
        services.request_meetings(
            invitation=invitation, participations=[p_a], free_slots=_slots(invitation.mission)
        )
    (message,) = mail.outbox
    assert message.to == [owner.email]
    check(message, language)
    assert f"/misi-dagang/peserta/{p_a.pk}/agenda/" in message.body


def test_the_invitation_is_a_sound_english_mail(setup):
    from tests.portal.test_notifications import check

    invitation = setup[-1]
    assert services.send_invitation(invitation)
    check(mail.outbox[0], "en")


@pytest.mark.parametrize("language", ["id", "en"])
def test_both_sides_are_told_when_staff_place_the_meeting(
    setup, owner, language, django_capture_on_commit_callbacks
):
    from tests.portal.test_notifications import check

    owner.language = language
    owner.save()
    mission, p_a, *_rest, invitation = setup
    req_a, _req_b = _accept(setup)
    with django_capture_on_commit_callbacks(execute=True):
        services.place_meeting_request(
            meeting_request=req_a,
            start=at(mission.start_date, 10),
            end=at(mission.start_date, 10, 30),
            table="4",
        )
    by_address = {m.to[0]: m for m in mail.outbox}
    to_owner = check(by_address[owner.email], language)
    assert "10.00" in to_owner.body and "12.00" in to_owner.body  # WIB and Seoul
    assert f"/misi-dagang/peserta/{p_a.pk}/agenda/" in to_owner.body
    to_buyer = check(by_address[invitation.buyer.email], "en")
    assert "12.00" in to_buyer.body and "Asia/Seoul" in to_buyer.body
    assert "/en/misi-dagang/pembeli/" in to_buyer.body
