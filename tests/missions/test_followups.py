"""Potential deals followed up 3, 6 and 12 months after the mission; weekly digest."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.models import Deal, DigestSent, FollowUp, PartyAnswer
from tests.factories import BusinessFactory
from tests.missions.conftest import make_buyer, make_deal, make_mission

K = Deal.Kind


@pytest.fixture
def ended(db, owner, other_owner, coordinator):
    """A mission that ended 95 days ago, with two potential deals and one spot deal."""
    today = timezone.localdate()
    mission = make_mission(
        status="reported",
        start_date=today - datetime.timedelta(days=97),
        end_date=today - datetime.timedelta(days=95),
    )
    a = BusinessFactory(owner=owner, name="Alpha Rotan")
    b = BusinessFactory(owner=other_owner, name="Beta Mede")
    pa = make_deal(mission, a, amount="10000", currency="USD", rate="16000", kind=K.POTENTIAL)
    pb = make_deal(mission, b, amount="50000000", kind=K.POTENTIAL, buyer=make_buyer(email=""))
    make_deal(mission, a, amount="1000000")
    return {"mission": mission, "a": pa, "b": pb}


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("send_followups", *args, stdout=out)
    return out.getvalue()


def test_send_followups_sends_one_per_potential_deal_and_nothing_twice(
    ended, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    follow_ups = [m for m in mail.outbox if "/misi-dagang/tindak-lanjut/" in m.body]
    assert sorted(m.to[0] for m in follow_ups) == ["owner-a@example.com", "owner-b@example.com"]
    assert set(FollowUp.objects.values_list("months", flat=True)) == {3}
    assert "2 follow-up(s) sent" in output
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert [m for m in mail.outbox if "/tindak-lanjut/" in m.body] == []
    assert FollowUp.objects.count() == 2 and "0 follow-up(s) sent" in output


def test_dry_run_lists_and_sends_nothing(ended, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--dry-run")
    assert "would ask owner-a@example.com" in output and "would ask owner-b@example.com" in output
    assert "3 months" in output
    assert mail.outbox == [] and FollowUp.objects.count() == 0


def test_nothing_is_due_before_three_months(db, owner):
    today = timezone.localdate()
    mission = make_mission(
        start_date=today - datetime.timedelta(days=60), end_date=today - datetime.timedelta(days=58)
    )
    make_deal(mission, BusinessFactory(owner=owner), amount="1", kind=K.POTENTIAL)
    assert services.due_follow_ups(today=today) == []


def test_later_stages_follow_and_a_will_not_happen_stops_them(ended):
    today = timezone.localdate()
    services.send_follow_ups(today=today)
    later = today + datetime.timedelta(days=100)  # 195 days after the mission: 6 months due
    due = {(d.pk, m) for d, m, _ in services.due_follow_ups(today=later)}
    assert due == {(ended["a"].pk, 6), (ended["b"].pk, 6)}
    row = FollowUp.objects.get(deal=ended["b"])
    services.answer_follow_up(follow_up=row, answer="cancelled", reason="Buyer went bankrupt")
    due = {(d.pk, m) for d, m, _ in services.due_follow_ups(today=later)}
    assert due == {(ended["a"].pk, 6)}
    # A year on, only the 12-month stage is asked (not 6 and 12 at once).
    sent = services.send_follow_ups(today=today + datetime.timedelta(days=300))
    assert [(r.deal_id, r.months) for r in sent] == [(ended["a"].pk, 12)]
    assert FollowUp.objects.get(deal=ended["a"], months=3).superseded_at is not None


def test_the_owner_reports_two_partial_realisations_through_the_link(
    client, ended, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_follow_ups()
    message = next(m for m in mail.outbox if m.to == [owner.email])
    url = re.search(r"(/misi-dagang/tindak-lanjut/[^\s]+/)", message.body).group(1)
    page = client.get(url)
    assert page.status_code == 200 and "Alpha Rotan" in page.content.decode()
    data = {
        "answer": "realised",
        "reason": "",
        "r-TOTAL_FORMS": "3",
        "r-INITIAL_FORMS": "0",
        "r-0-amount": "3000",
        "r-0-currency": "USD",
        "r-0-date": "2026-03-01",
        "r-1-amount": "2500",
        "r-1-currency": "usd",
        "r-1-date": "2026-03-20",
    }
    # The rates come from the rate table: none yet, so the form says which one is missing.
    page = client.post(url, data)
    assert page.status_code == 200 and "Tabel kurs belum memuat kurs USD" in page.content.decode()
    from missions.models import ExchangeRate

    for day in ("2026-03-01", "2026-03-20"):
        ExchangeRate.objects.create(currency="USD", date=day, rate_to_idr="16300", source="jisdor")
    response = client.post(url, data)
    assert response.status_code == 200 and "Jawaban Anda tercatat" in response.content.decode()
    realised = list(ended["a"].realisations.order_by("date"))
    assert [r.amount for r in realised] == [Decimal("3000"), Decimal("2500")]
    assert all(r.status == Deal.Status.REPORTED for r in realised)  # staff still confirm
    assert all(r.ikm_answer == PartyAnswer.CONFIRMED for r in realised)
    assert realised[0].value_idr == Decimal("48900000")
    row = FollowUp.objects.get(deal=ended["a"])
    assert row.answer == "realised" and row.answered_at is not None
    assert client.get(url).status_code == 410  # single use


def test_realised_needs_a_realisation_and_will_not_happen_needs_a_reason(client, ended):
    services.send_follow_ups()
    row = FollowUp.objects.get(deal=ended["a"])
    url = reverse("missions:follow_up", args=[row.token])
    empty = {"r-TOTAL_FORMS": "3", "r-INITIAL_FORMS": "0"}
    page = client.post(url, {"answer": "realised", **empty}).content.decode()
    assert "Isi paling sedikit satu realisasi" in page
    page = client.post(url, {"answer": "cancelled", **empty}).content.decode()
    assert "Tuliskan alasannya" in page
    half = {**empty, "r-0-amount": "10"}
    page = client.post(url, {"answer": "realised", **half}).content.decode()
    assert "Isi nilai, mata uang, dan tanggal realisasi" in page and 'value="10"' in page
    client.post(url, {"answer": "in_progress", **empty})
    row.refresh_from_db()
    assert row.answer == "in_progress"


def test_a_fully_realised_potential_is_not_followed_up(ended):
    make_deal(
        ended["mission"],
        ended["b"].business,
        amount="50000000",
        kind=K.REALISED,
        realises=ended["b"],
    )
    assert [d.pk for d, _m, _due in services.due_follow_ups()] == [ended["a"].pk]


def test_weekly_digest_goes_to_the_coordinator_once_a_week(
    ended, coordinator, django_capture_on_commit_callbacks
):
    now = timezone.now()
    services.send_follow_ups(now=now - datetime.timedelta(days=20))
    row = FollowUp.objects.get(deal=ended["b"])
    services.answer_follow_up(follow_up=row, answer="cancelled", reason="Harga tidak cocok")
    mail.outbox.clear()
    run()
    digests = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(digests) == 1
    assert "Harga tidak cocok" in digests[0].body  # answered this week
    assert "Alpha Rotan" in digests[0].body  # asked 20 days ago, unanswered: overdue
    assert DigestSent.objects.count() == 1
    mail.outbox.clear()
    run()
    assert [m for m in mail.outbox if m.to == [coordinator.email]] == []


def test_admin_shows_each_potentials_follow_up_state_and_history(client, ended, coordinator):
    services.send_follow_ups()
    row = FollowUp.objects.get(deal=ended["a"])
    services.answer_follow_up(follow_up=row, answer="in_progress", reason="Sampel dikirim")
    client.force_login(coordinator)
    body = client.get(reverse("admin:missions_deal_change", args=[ended["a"].pk])).content.decode()
    assert "tindak lanjut (3, 6, 12 bulan)" in body.lower()
    assert "masih berjalan" in body and "Sampel dikirim" in body
    listing = client.get(reverse("admin:missions_followup_changelist")).content.decode()
    assert "masih berjalan" in listing and "menunggu jawaban" in listing


def test_the_follow_up_page_runs_a_fixed_number_of_queries(client, ended):
    from tests.queries import assert_fixed_queries

    services.send_follow_ups()
    row = FollowUp.objects.get(deal=ended["a"])
    url = reverse("missions:follow_up", args=[row.token])

    def grow():
        for amount in ("100", "200", "300"):
            make_deal(
                ended["mission"],
                ended["a"].business,
                amount=amount,
                currency="USD",
                rate="16000",
                kind=K.REALISED,
                realises=ended["a"],
            )

    assert_fixed_queries(client, url, grow)
    assert "US$300,00" in client.get(url).content.decode()  # the realisations are listed
