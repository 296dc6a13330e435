"""Owners apply for booths with their own businesses, and see and withdraw only their own."""

import pytest
from django.core import mail

from gerai import services
from gerai.models import BoothApplication, BoothOffer
from tests.factories import BusinessFactory, ProductFactory
from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory, EventFactory
from tests.queries import assert_fixed_queries, session_queries

pytestmark = pytest.mark.django_db
Status = BoothApplication.Status


@pytest.fixture
def event():
    return BoothEventFactory(title="Bazar Terbuka", slug="bazar-terbuka", booths=1)


@pytest.fixture
def business_a(owner):
    return BusinessFactory(owner=owner, name="Rotan Owner A")


@pytest.fixture
def business_b(other_owner):
    return BusinessFactory(owner=other_owner, name="Gula Owner B")


def test_anonymous_is_sent_to_login(client, event):
    for url in ["/gerai/stan/", "/gerai/acara/bazar-terbuka/daftar-stan/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    assert client.post("/gerai/stan/1/tarik/").status_code == 302


def test_owner_applies_with_own_business_and_products(
    client, owner, event, business_a, django_capture_on_commit_callbacks
):
    product = ProductFactory(business=business_a, name="Tas Rotan")
    client.force_login(owner)
    form_page = client.get("/gerai/acara/bazar-terbuka/daftar-stan/").content.decode()
    assert "Rotan Owner A" in form_page and "Tas Rotan" in form_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/gerai/acara/bazar-terbuka/daftar-stan/",
            {"business": business_a.pk, "products": [product.pk], "note": "Butuh listrik"},
        )
    assert response.status_code == 302
    application = BoothApplication.objects.get()
    assert (application.business, application.note) == (business_a, "Butuh listrik")
    assert list(application.products.all()) == [product]
    assert mail.outbox[0].to == [owner.email]
    listing = client.get("/gerai/stan/").content.decode()
    assert "Bazar Terbuka" in listing and "Diajukan" in listing and "Tas Rotan" in listing


def test_owner_cannot_apply_with_someone_elses_business_or_products(
    client, owner, event, business_a, business_b
):
    client.force_login(owner)
    response = client.post("/gerai/acara/bazar-terbuka/daftar-stan/", {"business": business_b.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["business"]
    foreign = ProductFactory(business=business_b)
    response = client.post(
        "/gerai/acara/bazar-terbuka/daftar-stan/",
        {"business": business_a.pk, "products": [foreign.pk], "note": "ingat saya"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["products"]
    assert "ingat saya" in response.content.decode()
    assert not BoothApplication.objects.exists()


def test_applying_twice_shows_a_clear_message(client, owner, event, business_a):
    BoothApplicationFactory(event=event, business=business_a)
    client.force_login(owner)
    response = client.post("/gerai/acara/bazar-terbuka/daftar-stan/", {"business": business_a.pk})
    assert response.status_code == 200
    assert "Rotan Owner A sudah mendaftar untuk acara ini." in response.content.decode()


def test_closed_window_redirects_with_a_message(client, owner, business_a):
    EventFactory(slug="bazar-tutup", booths=0)
    client.force_login(owner)
    response = client.get("/gerai/acara/bazar-tutup/daftar-stan/", follow=True)
    assert "tidak sedang dibuka" in response.content.decode()


def test_owner_without_business_is_told_to_register_one(client, owner, event):
    client.force_login(owner)
    content = client.get("/gerai/acara/bazar-terbuka/daftar-stan/").content.decode()
    assert "Belum ada usaha Anda yang terverifikasi" in content


def test_owner_with_only_a_draft_business_is_told_it_must_be_verified(client, owner, event):
    from ikm_registry.models import Business
    from tests.factories import BusinessFactory

    BusinessFactory(owner=owner, status=Business.Status.DRAFT)
    client.force_login(owner)
    content = client.get("/gerai/acara/bazar-terbuka/daftar-stan/").content.decode()
    assert "Belum ada usaha Anda yang terverifikasi" in content
    assert "<form" not in content.split("<main", 1)[1].split("</main>", 1)[0]
    english = client.get("/en/gerai/acara/bazar-terbuka/daftar-stan/").content.decode()
    assert "You have no verified business yet" in english


def test_owner_a_cannot_see_or_withdraw_owner_bs_application(
    client, owner, other_owner, event, business_a, business_b
):
    mine = BoothApplicationFactory(event=event, business=business_a)
    theirs = BoothApplicationFactory(event=event, business=business_b)
    client.force_login(owner)
    content = client.get("/gerai/stan/").content.decode()
    assert "Rotan Owner A" in content and "Gula Owner B" not in content
    assert client.post(f"/gerai/stan/{theirs.pk}/tarik/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.APPLIED
    assert client.get(f"/gerai/stan/{mine.pk}/tarik/").status_code == 405  # POST only


def test_withdrawing_frees_the_booth_for_the_waiting_list(
    client, owner, event, business_a, business_b, django_capture_on_commit_callbacks
):
    mine = BoothApplicationFactory(event=event, business=business_a)
    theirs = BoothApplicationFactory(event=event, business=business_b)
    services.accept_application(application=mine)
    services.waitlist_application(application=theirs)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/gerai/stan/{mine.pk}/tarik/", follow=True)
    assert "ditarik" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Status.WITHDRAWN
    # The freed booth is offered to the next in line, not given away.
    assert (theirs.status, theirs.booth_number) == (Status.OFFERED, None)
    assert theirs.offers.get().state == BoothOffer.State.OPEN
    assert mail.outbox[-1].to == [business_b.owner.email]
    assert theirs.offers.get().get_absolute_url() in mail.outbox[-1].body
    # A withdrawn application cannot be withdrawn again.
    response = client.post(f"/gerai/stan/{mine.pk}/tarik/", follow=True)
    assert "tidak dapat ditarik lagi" in response.content.decode()


def test_staff_without_a_business_see_no_applications(client, venue_manager, event, business_a):
    BoothApplicationFactory(event=event, business=business_a)
    client.force_login(venue_manager)
    assert "Rotan Owner A" not in client.get("/gerai/stan/").content.decode()


def test_my_applications_runs_a_fixed_number_of_queries(client, owner, business_a):
    BoothApplicationFactory(business=business_a)
    client.force_login(owner)

    def grow():
        for _i in range(3):
            application = BoothApplicationFactory(business=business_a)
            application.products.set([ProductFactory(business=business_a)])

    assert assert_fixed_queries(client, "/gerai/stan/", grow) == 4 + session_queries()


def test_absurd_ids_are_refused_politely(client, owner, event, business_a):
    client.force_login(owner)
    response = client.post(
        "/gerai/acara/bazar-terbuka/daftar-stan/",
        {"business": "9" * 40, "products": ["-1", "1e309", "9" * 30]},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "business" in errors and "products" in errors
    assert not BoothApplication.objects.exists()


def test_withdrawal_message_names_the_event_in_the_pages_language(client, owner, business_a):
    event = BoothEventFactory(title="Bazar Terbuka", title_en="Open Bazaar", booths=1)
    mine = BoothApplicationFactory(event=event, business=business_a)
    client.force_login(owner)
    response = client.post(f"/en/gerai/stan/{mine.pk}/tarik/", follow=True)
    assert "Open Bazaar" in response.content.decode()
    assert "Bazar Terbuka" not in response.content.decode()
