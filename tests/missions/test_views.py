"""Every mission page as anonymous, owner, other owner and each staff role."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from missions.models import Deal, Participation, TradeMission
from tests.factories import BusinessFactory
from tests.missions.conftest import make_buyer, make_deal, make_mission, make_participation
from tests.queries import assert_fixed_queries

S = Participation.Status


@pytest.fixture
def world(owner_business, other_business):
    mission = make_mission(
        title="Misi Selesai",
        slug="misi-selesai",
        status=TradeMission.Status.COMPLETED,
        start_date=timezone.localdate() - datetime.timedelta(days=20),
    )
    mine = make_participation(mission, owner_business, S.ATTENDED)
    theirs = make_participation(mission, other_business, S.ATTENDED)
    buyer = make_buyer(
        "Hidden Contact Co", contact_person="Rahasia Kontak", email="rahasia@buyer.example"
    )
    my_deal = make_deal(
        mission, owner_business, amount="1111111", buyer=buyer, status=Deal.Status.REPORTED
    )
    my_deal.document.save("kontrak-a.pdf", ContentFile(b"%PDF-1.4 milik A"))
    their_deal = make_deal(mission, other_business, amount="2222222")
    their_deal.document.save("kontrak-b.pdf", ContentFile(b"%PDF-1.4 milik B"))
    return {
        "mission": mission,
        "mine": mine,
        "theirs": theirs,
        "my_deal": my_deal,
        "their_deal": their_deal,
    }


def login(client, user):
    if user is not None:
        client.force_login(user)


# --- Public pages -------------------------------------------------------------


@pytest.mark.parametrize(
    "who", [None, "owner", "other_owner", "coordinator", "venue_manager", "leadership"]
)
def test_public_list_and_detail_for_everyone_without_contacts(client, request, world, who):
    login(client, request.getfixturevalue(who) if who else None)
    draft = make_mission(title="Misi Draf Rahasia", status=TradeMission.Status.DRAFT)
    listing = client.get(reverse("missions:list")).content.decode()
    assert "Misi Selesai" in listing and "Misi Draf Rahasia" not in listing
    detail = client.get(reverse("missions:detail", args=["misi-selesai"])).content.decode()
    assert "Hasil misi" in detail
    for secret in ("Rahasia Kontak", "rahasia@buyer.example", "Hidden Contact Co"):
        assert secret not in listing and secret not in detail
    assert client.get(reverse("missions:detail", args=[draft.slug])).status_code == 404


def test_upcoming_open_mission_offers_registration(client, owner, owner_business):
    mission = make_mission(title="Misi Terbuka")
    client.force_login(owner)
    body = client.get(reverse("missions:detail", args=[mission.slug])).content.decode()
    assert reverse("missions:apply", args=[mission.slug]) in body
    listing = client.get(reverse("missions:list")).content.decode()
    assert "Misi Terbuka" in listing


def test_list_query_count_is_fixed(client, db):
    make_mission()
    make_mission(
        status=TradeMission.Status.REPORTED,
        start_date=timezone.localdate() - datetime.timedelta(days=90),
    )

    def grow():
        for _ in range(3):
            make_mission(
                status=TradeMission.Status.COMPLETED,
                start_date=timezone.localdate() - datetime.timedelta(days=40),
            )

    assert assert_fixed_queries(client, reverse("missions:list"), grow) == 5


def test_detail_query_count_is_fixed(client, world):
    url = reverse("missions:detail", args=["misi-selesai"])
    mission = world["mission"]

    def grow():
        for _ in range(3):
            b = BusinessFactory()
            make_participation(mission, b, S.ATTENDED)
            make_deal(mission, b, amount="5", currency="USD", rate="16000")

    assert assert_fixed_queries(client, url, grow) == 8


# --- Owner pages --------------------------------------------------------------


def test_owner_sees_only_their_own_applications_and_deals(client, owner, world):
    client.force_login(owner)
    body = client.get(reverse("missions:my")).content.decode()
    assert "Rotan Milik A" in body and "Rp1.111.111" in body
    assert "Mede Milik B" not in body and "Rp2.222.222" not in body


def test_other_owner_sees_only_theirs(client, other_owner, world):
    client.force_login(other_owner)
    body = client.get(reverse("missions:my")).content.decode()
    assert "Mede Milik B" in body and "Rp1.111.111" not in body


def test_my_missions_query_count_is_fixed(client, owner, world, session_query):
    client.force_login(owner)

    def grow():
        for _ in range(3):
            m = make_mission(status=TradeMission.Status.COMPLETED)
            p = make_participation(m, world["mine"].business, S.ATTENDED)
            p.products.set(p.business.products.all())
            make_deal(m, p.business, amount="10")

    assert assert_fixed_queries(client, reverse("missions:my"), grow) == 4 + session_query


def test_anonymous_is_sent_to_login_from_owner_pages(client, world):
    for url in (
        reverse("missions:my"),
        reverse("missions:apply", args=["misi-selesai"]),
        reverse("missions:report_deal", args=[world["mine"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_owner_reports_a_deal_in_euro_for_staff_to_confirm(client, owner, world):
    client.force_login(owner)
    url = reverse("missions:report_deal", args=[world["mine"].pk])
    product = world["mine"].business.products.get()
    response = client.post(
        url,
        {
            "kind": "spot",
            "buyer_name": "Berlin Deko GmbH",
            "product": product.pk,
            "quantity": "10",
            "unit": "pcs",
            "amount": "1000",
            "currency": "eur",
            "rate_to_idr": "17500",
            "usd_rate": "16000",
            "rate_date": "2026-10-01",
            "rate_source": "JISDOR",
            "destination_country": "DE",
            "date": "2026-10-01",
        },
    )
    assert response.status_code == 302, response.content.decode()
    deal = Deal.objects.get(buyer_name="Berlin Deko GmbH")
    assert deal.status == Deal.Status.REPORTED and deal.reported_by == owner
    assert (
        deal.currency == "EUR" and deal.value_idr == 17500000 and str(deal.value_usd) == "1093.75"
    )
    assert deal.commodity == product.category


def test_owner_deal_form_shows_errors_and_keeps_input(client, owner, world):
    client.force_login(owner)
    url = reverse("missions:report_deal", args=[world["mine"].pk])
    response = client.post(
        url,
        {
            "kind": "spot",
            "amount": "12345",
            "currency": "EUR",
            "buyer_name": "Typed Buyer",
            "date": "2026-10-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tabel kurs belum memuat kurs EUR" in body and 'value="Typed Buyer"' in body


def test_owner_cannot_report_on_another_owners_participation(client, owner, world):
    client.force_login(owner)
    assert client.get(reverse("missions:report_deal", args=[world["theirs"].pk])).status_code == 404
    assert client.post(reverse("missions:withdraw", args=[world["theirs"].pk])).status_code == 404


def test_owner_withdraws_own_application(client, owner, owner_business):
    mission = make_mission()
    p = make_participation(mission, owner_business, S.APPLIED)
    client.force_login(owner)
    client.post(reverse("missions:withdraw", args=[p.pk]))
    p.refresh_from_db()
    assert p.status == S.WITHDRAWN


@pytest.mark.parametrize(
    ("who", "deal", "status"),
    [
        (None, "my_deal", 302),
        ("owner", "my_deal", 200),
        ("owner", "their_deal", 404),
        ("other_owner", "my_deal", 404),
        ("coordinator", "my_deal", 200),
        ("venue_manager", "my_deal", 404),
        ("leadership", "their_deal", 200),
    ],
)
def test_deal_document_download_is_permission_checked(client, request, world, who, deal, status):
    login(client, request.getfixturevalue(who) if who else None)
    response = client.get(reverse("missions:deal_document", args=[world[deal].pk]))
    assert response.status_code == status
    if status == 200:
        content = b"".join(response.streaming_content)
        assert content.startswith(b"%PDF") and response["Content-Disposition"].startswith(
            "attachment"
        )


# --- Reports ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("owner", 403),
        ("other_owner", 403),
        ("venue_manager", 403),
        ("coordinator", 200),
        ("leadership", 200),
        ("admin_staff", 200),
    ],
)
@pytest.mark.parametrize("name", ["report", "report_print", "report_xlsx"])
def test_report_access(client, request, world, who, status, name):
    login(client, request.getfixturevalue(who) if who else None)
    response = client.get(reverse(f"missions:{name}", args=["misi-selesai"]))
    assert response.status_code == status
    if status == 200 and name != "report_xlsx":
        assert "Misi Selesai" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("owner", 403),
        ("venue_manager", 403),
        ("coordinator", 200),
        ("leadership", 200),
    ],
)
@pytest.mark.parametrize("name", ["dashboard", "dashboard_print", "dashboard_xlsx"])
def test_dashboard_access(client, request, world, who, status, name):
    login(client, request.getfixturevalue(who) if who else None)
    response = client.get(reverse(f"missions:{name}"))
    assert response.status_code == status
    if status == 200 and name != "dashboard_xlsx":
        assert "Dasbor program misi dagang" in response.content.decode()


def test_leadership_report_page_has_no_editing(client, leadership, world):
    client.force_login(leadership)
    body = client.get(reverse("missions:report", args=["misi-selesai"])).content.decode()
    assert "<form" not in body.split('id="main"')[1].split("</main>")[0]


@pytest.mark.parametrize("who", ["coordinator", "venue_manager", "leadership"])
def test_staff_without_a_business_see_no_owner_data(client, request, world, who):
    client.force_login(request.getfixturevalue(who))
    body = client.get(reverse("missions:my")).content.decode()
    assert "Anda belum mendaftar misi dagang" in body
    assert "Rp1.111.111" not in body and "Rp2.222.222" not in body
    open_mission = make_mission(title="Misi Buka")
    response = client.get(reverse("missions:apply", args=[open_mission.slug]), follow=True)
    assert "usaha yang sudah terverifikasi" in response.content.decode()
    assert client.get(reverse("missions:report_deal", args=[world["mine"].pk])).status_code == 404


def test_apply_page_offers_only_the_owners_own_businesses_and_products(client, owner, world):
    open_mission = make_mission(title="Misi Buka")
    client.force_login(owner)
    body = client.get(reverse("missions:apply", args=[open_mission.slug])).content.decode()
    assert "Rotan Milik A" in body and "Keranjang Milik A" in body
    assert "Mede Milik B" not in body and "Produk Milik B" not in body


def test_apply_before_registration_opens_is_refused(client, owner, owner_business):
    mission = make_mission(
        registration_opens=timezone.now() + datetime.timedelta(days=1),
        registration_closes=timezone.now() + datetime.timedelta(days=5),
    )
    client.force_login(owner)
    response = client.post(
        reverse("missions:apply", args=[mission.slug]), {"business": owner_business.pk}, follow=True
    )
    assert "Pendaftaran misi ini belum dibuka" in response.content.decode()
    assert not Participation.objects.filter(mission=mission).exists()


def test_owner_cannot_report_deals_before_the_mission(client, owner, owner_business):
    mission = make_mission()
    p = make_participation(mission, owner_business, S.ACCEPTED)
    client.force_login(owner)
    response = client.get(reverse("missions:report_deal", args=[p.pk]), follow=True)
    assert "setelah misi berlangsung" in response.content.decode()


def test_owner_realisation_can_only_point_to_own_potential(client, owner, world):
    their_potential = make_deal(
        world["mission"], world["theirs"].business, amount="100", kind=Deal.Kind.POTENTIAL
    )
    client.force_login(owner)
    response = client.post(
        reverse("missions:report_deal", args=[world["mine"].pk]),
        {
            "kind": "realised",
            "realises": their_potential.pk,
            "buyer_name": "X",
            "amount": "10",
            "currency": "IDR",
            "usd_rate": "16000",
            "rate_date": "2026-10-01",
            "rate_source": "BI",
            "destination_country": "ID",
            "date": "2026-10-01",
            "commodity": their_potential.commodity_id,
        },
    )
    assert response.status_code == 200
    assert not Deal.objects.filter(realises=their_potential).exists()


def test_owner_deal_form_offers_only_the_buyers_this_ikm_met(client, owner, world):
    from missions import services
    from tests.missions.conftest import at

    mine = world["mine"]
    mission = mine.mission
    theirs = make_participation(mission, BusinessFactory(), S.ATTENDED)
    met, not_met = make_buyer("Seoul Trading"), make_buyer("Busan Rahasia")
    day = mission.start_date
    for participation, buyer, table in ((mine, met, "1"), (theirs, not_met, "2")):
        services.schedule_meeting(
            mission=mission,
            participation=participation,
            buyer=buyer,
            start=at(day, 10),
            end=at(day, 10, 30),
            table=table,
        )
    client.force_login(owner)
    url = reverse("missions:report_deal", args=[mine.pk])
    body = client.get(url).content.decode()
    assert "Seoul Trading" in body
    assert "Busan Rahasia" not in body
    response = client.post(url, {"kind": "spot", "buyer": not_met.pk, "amount": "1000"})
    assert response.status_code == 200
    assert "Busan Rahasia" not in response.content.decode()
    assert not Deal.objects.filter(buyer=not_met).exists()
