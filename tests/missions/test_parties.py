"""Both parties confirm each deal through a signed, single-use, expiring link: no account."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.models import Deal, PartyAnswer, PartyConfirmation
from tests.factories import BusinessFactory
from tests.missions.conftest import make_buyer, make_deal, make_mission, make_participation

K = Deal.Kind


@pytest.fixture
def deal_world(db, owner, coordinator):
    mission = make_mission(status="completed")
    business = BusinessFactory(owner=owner, name="Rotan Sejahtera")
    make_participation(mission, business, "attended")
    buyer = make_buyer(
        "Seoul Home Co", "KR", email="buyer@seoul.example", contact_person="Park Secret"
    )
    return {"mission": mission, "business": business, "buyer": buyer}


def record(world, by, **extra):
    fields = {
        "mission": world["mission"],
        "business": world["business"],
        "buyer": world["buyer"],
        "commodity_id": world["business"].commodities.first().pk
        if world["business"].commodities.exists()
        else None,
        "kind": K.ON_THE_SPOT,
        "amount": "2500",
        "currency": "USD",
        "rate_to_idr": "16000",
        "destination_country": "KR",
        "date": world["mission"].start_date,
    }
    if fields["commodity_id"] is None:
        from ikm_registry.models import Commodity

        fields["commodity_id"] = Commodity.objects.get(slug="kerajinan-rotan").pk
    fields.update(extra)
    return services.record_deal(recorded_by=by, confirmed=True, **fields)


def link_of(message):
    return re.search(r"https?://[^\s]+(/misi-dagang/konfirmasi/[^\s]+/)", message.body).group(1)


def test_a_deal_staff_record_asks_both_parties_each_in_their_language(
    deal_world, coordinator, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deal = record(deal_world, coordinator)
    assert sorted(m.to[0] for m in mail.outbox) == ["buyer@seoul.example", owner.email]
    rows = {r.side: r for r in deal.party_confirmations.all()}
    assert rows["buyer"].language == "en"  # a buyer in Korea without a chosen language
    assert rows["ikm"].language == (owner.language or "id")
    body = next(m for m in mail.outbox if m.to == ["buyer@seoul.example"]).body
    assert "Rotan Sejahtera" in body
    assert "US$2,500.00" in body  # written the English way for an English reader
    assert deal.buyer_answer == "" and deal.ikm_answer == ""


def test_a_deal_the_owner_reports_counts_as_confirmed_by_the_ikm(
    deal_world, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deal = record(deal_world, owner)
    deal.refresh_from_db()
    assert deal.ikm_answer == PartyAnswer.CONFIRMED and deal.ikm_answered_at
    assert [m.to for m in mail.outbox] == [["buyer@seoul.example"]]


def test_no_buyer_e_mail_means_only_the_owner_is_asked(
    deal_world, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(deal_world, coordinator, buyer=None, buyer_name="Walk-in Buyer")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["owner-a@example.com"]


def test_the_buyer_confirms_through_the_link(
    client, deal_world, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deal = record(deal_world, coordinator)
    url = link_of(next(m for m in mail.outbox if m.to == ["buyer@seoul.example"]))
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="en">' in body  # the buyer's language, not the office's
    for fact in (deal_world["mission"].title, "Rotan Sejahtera", "Seoul Home Co", "US$2,500.00"):
        assert fact in body
    assert "Park Secret" not in body and "owner-a@example.com" not in body
    response = client.post(url, {"answer": "confirmed"})
    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.buyer_answer == PartyAnswer.CONFIRMED and deal.buyer_answered_at is not None
    assert deal.party_state == "one"
    assert deal.status == Deal.Status.CONFIRMED  # the office's confirmation keeps its meaning


def test_reused_expired_and_altered_links_show_the_same_refusal(
    client, deal_world, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deal = record(deal_world, coordinator)
    rows = {r.side: r for r in deal.party_confirmations.all()}
    used = reverse("missions:party_confirm", args=[rows["buyer"].token])
    assert client.post(used, {"answer": "confirmed"}).status_code == 200
    reused = client.post(used, {"answer": "disputed", "comment": "changed my mind"})
    expired_row = rows["ikm"]
    expired_row.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    expired_row.save()
    expired = client.get(reverse("missions:party_confirm", args=[expired_row.token]))
    token = rows["ikm"].token
    altered = client.get(reverse("missions:party_confirm", args=[token[:-2] + "xx"]))
    forged = signing.dumps([rows["ikm"].pk, "guessed-nonce"], salt=PartyConfirmation.SALT)
    guessed = client.get(reverse("missions:party_confirm", args=[forged]))

    def main(response):
        body = response.content.decode()
        return body[body.index("<main") : body.index("</main>")]

    answers = (reused, expired, altered, guessed)
    assert {r.status_code for r in answers} == {410}
    bodies = {main(r) for r in answers}
    assert len(bodies) == 1 and "Tautan tidak berlaku" in bodies.pop()
    deal.refresh_from_db()
    assert deal.buyer_answer == PartyAnswer.CONFIRMED and deal.ikm_answer == ""


def test_a_dispute_needs_a_comment_and_goes_to_the_coordinator(
    client, deal_world, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deal = record(deal_world, coordinator)
    row = deal.party_confirmations.get(side="buyer")
    url = reverse("missions:party_confirm", args=[row.token])
    mail.outbox.clear()
    page = client.post(url, {"answer": "disputed", "comment": ""})
    # The buyer reads English: the error is in their language.
    assert page.status_code == 200 and "Please say what is not right." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"answer": "disputed", "comment": "We ordered 2.000 only"})
    deal.refresh_from_db()
    assert deal.buyer_answer == PartyAnswer.DISPUTED and deal.party_state == "disputed"
    assert deal.buyer_comment == "We ordered 2.000 only"
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "We ordered 2.000 only" in mail.outbox[0].body


def test_mission_coordinators_named_on_the_mission_get_the_dispute(deal_world, coordinator):
    from tests.factories import UserFactory

    named = UserFactory(email="named@example.com", is_staff=True)
    deal_world["mission"].coordinators.add(named)
    assert deal_world["mission"].coordinator_emails() == ["named@example.com"]
    deal_world["mission"].coordinators.clear()
    assert deal_world["mission"].coordinator_emails() == [coordinator.email]


def test_changing_a_deals_facts_asks_both_again_and_replaces_old_links(
    client, deal_world, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deal = record(deal_world, coordinator)
    old = deal.party_confirmations.get(side="buyer")
    services.answer_party(confirmation=deal.party_confirmations.get(side="ikm"), answer="confirmed")
    client.force_login(coordinator)
    data = {
        f.name: getattr(deal, f.attname) or ""
        for f in Deal._meta.fields
        if f.editable and f.name not in ("id", "document")
    }
    data.update(amount="3000", status="confirmed", rate_date=deal.rate_date.isoformat())
    data.update(date=deal.date.isoformat(), usd_rate=deal.usd_rate)
    mail.outbox.clear()
    for prefix in ("party_confirmations", "follow_ups"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:missions_deal_change", args=[deal.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    deal.refresh_from_db()
    assert deal.amount == 3000 and deal.ikm_answer == "" and deal.buyer_answer == ""
    assert len(mail.outbox) == 2
    assert client.get(reverse("missions:party_confirm", args=[old.token])).status_code == 410


def test_admin_filters_by_the_parties_answers_and_resends(
    client, deal_world, coordinator, django_capture_on_commit_callbacks
):
    mission, business = deal_world["mission"], deal_world["business"]
    both = make_deal(mission, business, amount="1", buyer=deal_world["buyer"])
    Deal.objects.filter(pk=both.pk).update(buyer_answer="confirmed", ikm_answer="confirmed")
    one = make_deal(mission, business, amount="2", buyer=deal_world["buyer"])
    Deal.objects.filter(pk=one.pk).update(ikm_answer="confirmed")
    none = make_deal(mission, business, amount="3", buyer=deal_world["buyer"])
    disputed = make_deal(mission, business, amount="4", buyer=deal_world["buyer"])
    Deal.objects.filter(pk=disputed.pk).update(buyer_answer="disputed", ikm_answer="confirmed")
    assert list(Deal.objects.by_party_answers("both")) == [both]
    assert list(Deal.objects.by_party_answers("one")) == [one]
    assert list(Deal.objects.by_party_answers("none")) == [none]
    assert list(Deal.objects.by_party_answers("disputed")) == [disputed]
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_changelist")
    for state, deal in (("both", both), ("one", one), ("none", none), ("disputed", disputed)):
        body = client.get(url, {"parties": state}).content.decode()
        assert reverse("admin:missions_deal_change", args=[deal.pk]) in body, state
        others = {both, one, none, disputed} - {deal}
        for other in others:
            assert reverse("admin:missions_deal_change", args=[other.pk]) not in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "resend_party_links", "_selected_action": [none.pk, both.pk]})
    # "both" needs nothing; "none" gets a link to each party.
    assert sorted(r.side for r in PartyConfirmation.objects.filter(deal=none)) == ["buyer", "ikm"]
    assert not PartyConfirmation.objects.filter(deal=both).exists()
    assert len(mail.outbox) == 2


def test_resending_replaces_the_earlier_link(client, deal_world, coordinator):
    deal = record(deal_world, coordinator)
    first = deal.party_confirmations.get(side="buyer")
    services.resend_party_requests(deals=[deal])
    second = deal.party_confirmations.filter(side="buyer").exclude(pk=first.pk).get()
    assert client.get(reverse("missions:party_confirm", args=[first.token])).status_code == 410
    assert client.get(reverse("missions:party_confirm", args=[second.token])).status_code == 200


def test_links_are_rate_limited(client, deal_world, coordinator):
    deal = record(deal_world, coordinator)
    url = reverse("missions:party_confirm", args=[deal.party_confirmations.first().token])
    codes = [client.get(url).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30 and codes[30] == 429


def test_the_confirmation_page_runs_a_fixed_number_of_queries(client, deal_world, coordinator):
    from tests.queries import assert_fixed_queries

    deal = record(deal_world, coordinator)
    url = reverse("missions:party_confirm", args=[deal.party_confirmations.first().token])

    def grow():
        for i in range(3):
            make_deal(deal_world["mission"], deal_world["business"], amount=str(i + 1))

    assert_fixed_queries(client, url, grow)
    # Besides the rate-limit counter: the link's row, then the deal with its mission,
    # business, buyer and commodity in one query.
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    ours = [q["sql"] for q in ctx.captured_queries if "missions_" in q["sql"]]
    assert len(ours) == 2


def test_a_deal_staff_add_under_a_meeting_asks_both_parties(
    client, deal_world, coordinator, django_capture_on_commit_callbacks
):
    from ikm_registry.models import Commodity
    from missions.models import Meeting
    from tests.missions.conftest import at

    mission, business, buyer = deal_world["mission"], deal_world["business"], deal_world["buyer"]
    participation = mission.participations.get()
    start = at(mission.start_date, 9)
    meeting = services.schedule_meeting(
        mission=mission,
        participation=participation,
        buyer=buyer,
        start=start,
        end=start + datetime.timedelta(minutes=30),
    )
    local = timezone.localtime(start)
    end = local + datetime.timedelta(minutes=30)
    data = {
        "mission": mission.pk,
        "participation": participation.pk,
        "buyer": buyer.pk,
        "start_0": f"{local:%Y-%m-%d}",
        "start_1": f"{local:%H:%M}",
        "end_0": f"{end:%Y-%m-%d}",
        "end_1": f"{end:%H:%M}",
        "table": "",
        "outcome": "deal",
        "notes": "",
        "deals-TOTAL_FORMS": "1",
        "deals-INITIAL_FORMS": "0",
        "deals-0-kind": "spot",
        "deals-0-commodity": Commodity.objects.get(slug="kerajinan-rotan").pk,
        "deals-0-amount": "7000000",
        "deals-0-currency": "IDR",
        "deals-0-destination_country": "KR",
        "deals-0-date": mission.start_date.isoformat(),
        "deals-0-status": "confirmed",
    }
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:missions_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    deal = Deal.objects.get(meeting=meeting)
    assert deal.business == business and deal.rate_to_idr == 1 and deal.confirmed_by == coordinator
    assert sorted(r.side for r in deal.party_confirmations.all()) == ["buyer", "ikm"]
    assert len(mail.outbox) == 2
    assert Meeting.objects.get(pk=meeting.pk).outcome == "deal"
