"""The staff side: mission admin, bulk decisions, buyers, inquiries, deal confirmation."""

from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ikm_registry.models import Commodity, Inquiry
from missions.models import Buyer, Deal, Meeting, Participation, TradeMission
from tests.missions.conftest import make_buyer, make_deal, make_mission, make_participation
from tests.queries import assert_fixed_queries

S = Participation.Status


def msgs(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_bulk_accept_action_respects_the_quota(client, coordinator):
    mission = make_mission(quota=2)
    rows = [make_participation(mission, status=S.SHORTLISTED) for _ in range(3)]
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:missions_participation_changelist"),
        {"action": "mark_accepted", "_selected_action": [r.pk for r in rows]},
        follow=True,
    )
    assert mission.participations.holding_a_place().count() == 2
    body = response.content.decode()
    assert "kuota 2 IKM sudah penuh" in body
    assert "2 peserta diubah" in body


def test_bulk_shortlist_action(client, coordinator, mission):
    rows = [make_participation(mission, status=S.APPLIED) for _ in range(2)]
    client.force_login(coordinator)
    client.post(
        reverse("admin:missions_participation_changelist"),
        {"action": "mark_shortlisted", "_selected_action": [r.pk for r in rows]},
    )
    assert set(Participation.objects.values_list("status", flat=True)) == {S.SHORTLISTED}


def test_mission_transition_action_refuses_a_skipped_step(client, coordinator):
    mission = make_mission(status=TradeMission.Status.DRAFT)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:missions_trademission_changelist"),
        {"action": "to_completed", "_selected_action": [mission.pk]},
        follow=True,
    )
    mission.refresh_from_db()
    assert mission.status == TradeMission.Status.DRAFT
    assert "tidak dapat diubah" in response.content.decode()


def test_confirm_action_confirms_owner_reported_deals(client, coordinator, mission):
    deal = make_deal(
        mission, make_participation(mission).business, amount="10", status=Deal.Status.REPORTED
    )
    client.force_login(coordinator)
    client.post(
        reverse("admin:missions_deal_changelist"),
        {"action": "confirm", "_selected_action": [deal.pk]},
    )
    deal.refresh_from_db()
    assert deal.status == Deal.Status.CONFIRMED and deal.confirmed_by == coordinator
    assert deal.history.count() == 2  # the change is kept in the history


def test_duplicate_buyer_warning(client, coordinator):
    make_buyer("PT. Sinar Jaya Tbk", country="ID")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:missions_buyer_add"),
        {
            "company": "Sinar Jaya",
            "country": "ID",
            "city": "Jakarta",
            "kind": "importer",
            "contact_person": "",
            "email": "",
            "phone": "",
            "notes": "",
        },
        follow=True,
    )
    assert any("Kemungkinan duplikat: PT. Sinar Jaya Tbk" in m for m in msgs(response))


def test_inquiry_becomes_a_buyer_and_a_potential_deal(client, coordinator, owner_business, mission):
    product = owner_business.products.get()
    inquiry = Inquiry.objects.create(
        business=owner_business,
        product=product,
        name="Hans Müller",
        company="Deko Haus GmbH",
        country="DE",
        email="hans@deko.example",
        message="We need 500 baskets.",
        quantity="500 pcs",
    )
    client.force_login(coordinator)
    listing = client.get(reverse("admin:missions_buyer_inquiries")).content.decode()
    assert "Deko Haus GmbH" in listing
    response = client.post(
        reverse("admin:missions_buyer_convert", args=[inquiry.pk]),
        {
            "mission": mission.pk,
            "kind": "importer",
            "commodity": product.category_id,
            "stage": "loi",
            "amount": "5000",
            "currency": "eur",
            "rate_to_idr": "17500",
            "usd_rate": "16000",
            "rate_date": "2026-10-01",
        },
    )
    assert response.status_code == 302
    buyer = Buyer.objects.get(source_inquiry=inquiry)
    assert buyer.company == "Deko Haus GmbH" and buyer.contact_person == "Hans Müller"
    deal = Deal.objects.get(buyer=buyer)
    assert deal.kind == Deal.Kind.POTENTIAL and deal.stage == "loi"
    assert str(deal.value_idr) == "87500000.00" and str(deal.value_usd) == "5468.75"
    listing = client.get(reverse("admin:missions_buyer_inquiries")).content.decode()
    assert reverse("admin:missions_buyer_convert", args=[inquiry.pk]) not in listing


def test_venue_manager_cannot_convert_inquiries(client, venue_manager):
    client.force_login(venue_manager)
    assert client.get(reverse("admin:missions_buyer_inquiries")).status_code == 403


@pytest.mark.parametrize(
    "model", ["trademission", "participation", "buyer", "meeting", "deal", "programtarget"]
)
def test_admin_changelists_render_for_coordinator_and_leadership(
    client, coordinator, leadership, model, mission
):
    make_participation(mission)
    for user in (coordinator, leadership):
        client.force_login(user)
        assert client.get(reverse(f"admin:missions_{model}_changelist")).status_code == 200


def test_leadership_cannot_change_missions_in_admin(client, leadership, mission):
    client.force_login(leadership)
    response = client.post(
        reverse("admin:missions_trademission_changelist"),
        {"action": "to_selection", "_selected_action": [mission.pk]},
    )
    mission.refresh_from_db()
    assert mission.status == TradeMission.Status.OPEN
    assert response.status_code in (200, 302, 403)


def test_mission_change_page_records_outcomes_inline(client, coordinator, mission):
    from missions import services
    from tests.missions.conftest import at

    p = make_participation(mission)
    meeting = services.schedule_meeting(
        mission=mission,
        participation=p,
        buyer=make_buyer(),
        start=at(mission.start_date, 9),
        end=at(mission.start_date, 9, 30),
    )
    client.force_login(coordinator)
    url = reverse("admin:missions_trademission_change", args=[mission.pk])
    body = client.get(url).content.decode()
    assert reverse("admin:missions_trademission_schedule", args=[mission.pk]) in body
    assert "meetings-0-outcome" in body
    assert meeting.outcome == ""


@pytest.mark.parametrize(
    ("model", "expected"),
    # Plus one for the session when sessions are read from the database (no shared cache).
    [("trademission", 8), ("participation", 6), ("meeting", 6), ("deal", 6), ("buyer", 5)],
)
def test_admin_changelist_query_counts_are_fixed(
    client, coordinator, mission, model, expected, is_postgres, session_query
):
    from missions import services
    from tests.missions.conftest import at

    client.force_login(coordinator)

    def grow():
        for _ in range(3):
            m = make_mission()
            p = make_participation(m)
            buyer = make_buyer()
            start = at(m.start_date, 9 + Meeting.objects.count())
            services.schedule_meeting(
                mission=m, participation=p, buyer=buyer, start=start, end=start.replace(minute=30)
            )
            make_deal(m, p.business, amount="10", buyer=buyer, status=Deal.Status.REPORTED)

    grow()
    url = reverse(f"admin:missions_{model}_changelist")
    # On PostgreSQL the large tables' paginator first reads the planner's row estimate.
    expected += is_postgres and model in {"meeting", "deal"}
    expected += session_query
    assert assert_fixed_queries(client, url, grow) == expected


def test_seed_demo_is_idempotent(db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    counts = [m.objects.count() for m in (TradeMission, Participation, Buyer, Meeting, Deal)]
    call_command("seed_demo", stdout=StringIO())
    assert [
        m.objects.count() for m in (TradeMission, Participation, Buyer, Meeting, Deal)
    ] == counts
    scopes = set(TradeMission.objects.values_list("scope", flat=True))
    assert scopes == {"jabodetabek", "nasional", "internasional"}
    assert Deal.objects.filter(currency="USD", mission__scope="internasional").exists()
    assert Deal.objects.filter(kind="realised", realises__isnull=False).exists()
    assert Commodity.objects.exists()
