"""Buyer inquiries: the form, its anti-spam, the e-mails, the owner's side and the admin."""

import re
import time

import pytest
from django.core import mail, signing
from django.core.cache import cache, caches
from django.template.loader import render_to_string
from django.test import RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ikm_registry.models import Inquiry
from tangerang_ikm.forms import START_SALT as SIGNING_SALT
from tests.factories import ProductFactory
from tests.ikm_registry import catalog_fixtures

catalog_world = catalog_fixtures.catalog_world

pytestmark = pytest.mark.django_db

PRODUCT_URL = "/katalog/keranjang-rotan-bundar/"
BUSINESS_URL = "/ikm-direktori/anyaman-rotan-sejahtera/"
# The form has its own page; the product and IKM pages only link to it.
PRODUCT_ASK = PRODUCT_URL + "tanya/"
BUSINESS_ASK = BUSINESS_URL + "tanya/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    caches["limits"].clear()
    yield
    cache.clear()
    caches["limits"].clear()


def started(seconds_ago=60):
    return signing.dumps(time.time() - seconds_ago, salt=SIGNING_SALT)


def typed(**overrides):
    """What a human buyer types, with a form shown a minute ago."""
    data = {
        "name": "Hiroshi Tanaka",
        "company": "Tanaka Trading K.K.",
        "country": "JP",
        "email": "hiroshi@tanaka-trading.example",
        "phone": "+81 3 1234 5678",
        "quantity": "2 x 40ft container per quarter",
        "message": "We would like samples of the round baskets in natural colour.",
        "website": "",
        "started": started(),
    }
    data.update(overrides)
    return data


def assert_everything_typed_is_reshown(body, data):
    for field in ("name", "company", "email", "phone", "quantity"):
        assert f'value="{data[field]}"' in body, field
    assert data["message"] in body
    assert re.search(r'<option value="JP" selected>', body)


def test_a_buyer_inquiry_is_stored_and_mailed_to_owner_and_office(client, catalog_world, owner):
    response = client.post(PRODUCT_ASK, typed())
    assert response.status_code == 302
    assert response["Location"] == PRODUCT_URL
    inquiry = Inquiry.objects.get()
    assert inquiry.business == catalog_world.business
    assert inquiry.product == catalog_world.basket
    assert (inquiry.name, inquiry.country.code, inquiry.status) == ("Hiroshi Tanaka", "JP", "new")
    assert inquiry.language == "id"

    assert len(mail.outbox) == 3
    to_owner, to_office, to_buyer = mail.outbox
    # The buyer's receipt: what they sent, who answers, the office's contact.
    assert to_buyer.to == ["hiroshi@tanaka-trading.example"]
    assert "samples of the round baskets" in to_buyer.body
    assert "Anyaman Rotan Sejahtera akan menjawab langsung" in to_buyer.body
    assert "disperindag@tangerangkab.go.id" in to_buyer.body
    assert to_owner.to == [owner.email]
    assert to_owner.reply_to == ["hiroshi@tanaka-trading.example"]
    assert "Keranjang Rotan Bundar" in to_owner.subject
    assert "samples of the round baskets" in to_owner.body
    assert "Tanaka Trading K.K." in to_owner.body
    assert "/permintaan-pembeli/" in to_owner.body
    assert to_office.to == ["disperindag@tangerangkab.go.id"]
    assert "Anyaman Rotan Sejahtera" in to_office.subject
    assert f"/admin/ikm_registry/inquiry/{inquiry.pk}/change/" in to_office.body

    page = client.get(PRODUCT_URL).content.decode()
    assert "Terima kasih. Permintaan Anda sudah dikirim" in page


def test_owner_gets_the_mail_in_their_own_language(client, catalog_world, owner):
    owner.language = "en"
    owner.save()
    client.post("/en" + PRODUCT_ASK, typed())
    to_owner = mail.outbox[0]
    assert to_owner.subject.startswith("Buyer inquiry from Hiroshi Tanaka")
    assert "Round Rattan Basket" in to_owner.subject
    assert Inquiry.objects.get().language == "en"
    assert mail.outbox[1].subject.startswith("[Permintaan pembeli]")  # the office reads Indonesian


def test_business_page_inquiry_has_no_product(client, catalog_world):
    assert client.post(BUSINESS_ASK, typed()).status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.product is None and inquiry.business == catalog_world.business
    assert len(mail.outbox) == 3  # owner, office, and the buyer's receipt


def test_business_without_owner_account_mails_its_business_address(client, catalog_world):
    business = catalog_world.business
    business.owner = None
    business.save()
    client.post(BUSINESS_ASK, typed())
    assert mail.outbox[0].to == ["usaha-rahasia@example.com"]
    assert mail.outbox[1].to == ["disperindag@tangerangkab.go.id"]


def test_every_product_and_business_page_links_to_its_form(client, catalog_world):
    for page, form in ((PRODUCT_URL, PRODUCT_ASK), (BUSINESS_URL, BUSINESS_ASK)):
        for prefix in ("", "/en"):
            body = client.get(prefix + page).content.decode()
            assert f'href="{prefix}{form}"' in body
            assert "<form" not in body.split('id="permintaan"')[1]


@pytest.mark.parametrize("address", [PRODUCT_URL, BUSINESS_URL, "/en" + PRODUCT_URL])
def test_product_and_business_pages_are_public_for_visitors_without_a_session(
    client, catalog_world, settings, address
):
    response = client.get(address)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert f"max-age={settings.PUBLIC_CACHE_SECONDS}" in response["Cache-Control"]
    assert not response.cookies  # no CSRF cookie: a proxy may keep it
    assert "csrfmiddlewaretoken" not in response.content.decode()
    again = client.get(address, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_the_form_page_has_every_field_and_no_owner_email(client, catalog_world):
    for address in (PRODUCT_ASK, BUSINESS_ASK, "/en" + PRODUCT_ASK, "/en" + BUSINESS_ASK):
        response = client.get(address)
        assert "no-cache" in response["Cache-Control"]  # per visitor: never public
        body = response.content.decode()
        assert "csrfmiddlewaretoken" in body
        for field in ("name", "company", "country", "email", "phone", "quantity", "message"):
            assert f'name="{field}"' in body, (address, field)
        assert 'name="website"' in body and 'class="hp"' in body  # the honeypot
        assert catalog_world.business.email not in body
        assert catalog_world.business.owner.email not in body


def test_honeypot_refuses_bots_and_keeps_what_was_typed(client, catalog_world):
    data = typed(website="http://spam.example")
    response = client.post(PRODUCT_ASK, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pesan ditolak: kolom tersembunyi" in body
    assert_everything_typed_is_reshown(body, data)
    assert not Inquiry.objects.exists() and not mail.outbox


def test_too_fast_submission_is_refused_then_accepted_when_resent(client, catalog_world):
    data = typed(started=started(seconds_ago=0.5))
    response = client.post(PRODUCT_ASK, data)
    body = response.content.decode()
    assert "Formulir dikirim terlalu cepat" in body
    assert_everything_typed_is_reshown(body, data)
    assert not Inquiry.objects.exists()
    # The re-shown form keeps the original timestamp, so the human's second try passes.
    token = re.search(r'name="started" value="([^"]+)"', body).group(1)
    assert token == data["started"]
    data["started"] = started(seconds_ago=5)
    assert client.post(PRODUCT_ASK, data).status_code == 302


def test_forged_or_missing_timestamp_is_refused_with_a_fresh_one(client, catalog_world):
    for bad in ("", "12345", started(seconds_ago=60 * 60 * 25)):
        data = typed(started=bad)
        response = client.post(PRODUCT_ASK, data)
        body = response.content.decode()
        assert "Formulir ini sudah kedaluwarsa" in body
        assert_everything_typed_is_reshown(body, data)
        fresh = re.search(r'name="started" value="([^"]+)"', body).group(1)
        assert signing.loads(fresh, salt=SIGNING_SALT) <= time.time()
    assert not Inquiry.objects.exists()


def test_rate_limit_per_ip_address(client, catalog_world, settings):
    settings.INQUIRY_RATE_LIMIT_IP = (2, 3600)
    for n in range(2):
        assert client.post(PRODUCT_ASK, typed(email=f"buyer{n}@example.org")).status_code == 302
    data = typed(email="buyer3@example.org")
    response = client.post(PRODUCT_ASK, data)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Terlalu banyak permintaan dari jaringan Anda" in body
    assert_everything_typed_is_reshown(body, data)
    assert Inquiry.objects.count() == 2
    # Another address is not affected.
    assert client.post(PRODUCT_ASK, data, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_rate_limit_per_email_address(client, catalog_world, settings):
    settings.INQUIRY_RATE_LIMIT_EMAIL = (1, 3600)
    assert client.post(PRODUCT_ASK, typed(), REMOTE_ADDR="10.0.0.1").status_code == 302
    data = typed(email="HIROSHI@tanaka-trading.example")  # the same address, other case
    response = client.post(BUSINESS_ASK, data, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Alamat e-mail ini sudah mengirim terlalu banyak permintaan" in body
    assert_everything_typed_is_reshown(body, data)
    assert Inquiry.objects.count() == 1


def test_rate_limits_are_counted_in_the_shared_limits_cache(client, catalog_world, settings):
    settings.INQUIRY_RATE_LIMIT_IP = (1, 3600)
    client.post(PRODUCT_ASK, typed())
    assert client.post(PRODUCT_ASK, typed(email="x@example.org")).status_code == 429
    cache.clear()  # the per-process default cache holds no count
    assert client.post(PRODUCT_ASK, typed(email="x@example.org")).status_code == 429
    caches["limits"].clear()  # what every process sees is what the limits cache holds
    assert client.post(PRODUCT_ASK, typed(email="x@example.org")).status_code == 302


def test_the_eleventh_attempt_in_an_hour_is_refused_by_default(client, catalog_world):
    for n in range(10):
        data = typed(email=f"buyer{n}@example.org", name="" if n % 2 else "Hiroshi")
        assert client.post(PRODUCT_ASK, data).status_code in (200, 302)  # failed ones count
    data = typed(email="buyer11@example.org")
    response = client.post(PRODUCT_ASK, data)
    assert response.status_code == 429
    assert_everything_typed_is_reshown(response.content.decode(), data)


def test_a_start_time_serves_one_inquiry_only(client, catalog_world):
    data = typed()
    assert client.post(PRODUCT_ASK, data).status_code == 302
    again = client.post(BUSINESS_ASK, {**data, "email": "other@example.org"})
    assert again.status_code == 200
    body = again.content.decode()
    assert "Formulir ini sudah pernah dikirim" in body
    assert_everything_typed_is_reshown(body, {**data, "email": "other@example.org"})
    fresh = re.search(r'name="started" value="([^"]+)"', body).group(1)
    assert fresh != data["started"]
    assert Inquiry.objects.count() == 1


def test_rate_limit_sees_the_client_behind_a_trusted_proxy(client, catalog_world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.INQUIRY_RATE_LIMIT_IP = (1, 3600)
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = typed(email="one@example.org")
    assert (
        client.post(PRODUCT_ASK, first, HTTP_X_FORWARDED_FOR="203.0.113.9", **via_proxy).status_code
        == 302
    )
    # Another client behind the same load balancer is not limited by the first one...
    second = typed(email="two@example.org")
    assert (
        client.post(
            PRODUCT_ASK, second, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.10", **via_proxy
        ).status_code
        == 302
    )
    # ...but the first client is, whatever it writes at the left of the header.
    third = typed(email="three@example.org")
    response = client.post(
        PRODUCT_ASK, third, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", **via_proxy
    )
    assert response.status_code == 429


def test_invalid_fields_are_reported_and_the_rest_is_kept(client, catalog_world):
    data = typed(email="not-an-email", message="")
    response = client.post(PRODUCT_ASK, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mohon perbaiki kesalahan di bawah ini." in body
    assert 'value="not-an-email"' in body and 'value="Tanaka Trading K.K."' in body
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("marker", ["DraftSecret", "ReturnedSecret", "ArchivedSecret"])
def test_no_inquiry_to_hidden_businesses(client, catalog_world, marker):
    product = catalog_world.hidden[marker]
    assert client.post(f"/katalog/{product.slug}/tanya/", typed()).status_code == 404
    assert client.get(f"/katalog/{product.slug}/tanya/").status_code == 404
    assert client.post(f"/ikm-direktori/{product.business.slug}/tanya/", typed()).status_code == 404
    assert client.get(f"/ikm-direktori/{product.business.slug}/tanya/").status_code == 404
    assert not Inquiry.objects.exists() and not mail.outbox


# --- The owner's side --------------------------------------------------------


@pytest.fixture
def inquiry(client, catalog_world):
    client.post(PRODUCT_ASK, typed())
    client.logout()
    return Inquiry.objects.get()


@pytest.fixture
def other_inquiry(catalog_world):
    return Inquiry.objects.create(
        business=catalog_world.other,
        name="Buyer For Other",
        country="SG",
        email="b@example.sg",
        message="Cashew price?",
    )


def test_owner_sees_their_inquiries_and_nobody_else_does(
    client, inquiry, other_inquiry, owner, other_owner, admin_staff
):
    client.force_login(owner)
    body = client.get("/permintaan-pembeli/").content.decode()
    assert "Hiroshi Tanaka" in body and "hiroshi@tanaka-trading.example" in body
    assert "Buyer For Other" not in body
    client.force_login(other_owner)
    body = client.get("/permintaan-pembeli/").content.decode()
    assert "Buyer For Other" in body and "Hiroshi Tanaka" not in body
    client.force_login(admin_staff)  # staff use the admin; they own no business
    body = client.get("/permintaan-pembeli/").content.decode()
    assert "Belum ada permintaan pembeli." in body
    client.logout()
    response = client.get("/permintaan-pembeli/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_owner_marks_an_inquiry_answered(client, inquiry, owner):
    client.force_login(owner)
    response = client.post(f"/permintaan-pembeli/{inquiry.pk}/dijawab/")
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED and inquiry.answered_at is not None
    body = client.get("/permintaan-pembeli/?status=answered").content.decode()
    assert "Hiroshi Tanaka" in body
    assert "Hiroshi Tanaka" not in client.get("/permintaan-pembeli/?status=new").content.decode()


def test_mark_answered_returns_to_a_safe_next_page_only(client, inquiry, owner):
    client.force_login(owner)
    ok = client.post(f"/permintaan-pembeli/{inquiry.pk}/dijawab/", {"next": "/ikm/"})
    assert ok["Location"] == "/ikm/"
    evil = client.post(
        f"/permintaan-pembeli/{inquiry.pk}/dijawab/", {"next": "https://evil.example/"}
    )
    assert evil["Location"] == "/permintaan-pembeli/"


def test_other_owner_and_staff_cannot_mark_someone_elses_inquiry(
    client, inquiry, other_owner, admin_staff
):
    for user in (other_owner, admin_staff):
        client.force_login(user)
        assert client.post(f"/permintaan-pembeli/{inquiry.pk}/dijawab/").status_code == 404
    client.logout()
    assert client.post(f"/permintaan-pembeli/{inquiry.pk}/dijawab/").status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.NEW


def test_mark_answered_needs_post(client, inquiry, owner):
    client.force_login(owner)
    assert client.get(f"/permintaan-pembeli/{inquiry.pk}/dijawab/").status_code == 405


def test_dashboard_partial_shows_the_owners_inquiries(inquiry, other_inquiry, owner, other_owner):
    def render_for(user):
        request = RequestFactory().get("/ikm/")
        request.user = user
        return render_to_string(
            "ikm_registry/_dashboard_inquiries.html", {"request": request}, request=request
        )

    mine = render_for(owner)
    assert "Hiroshi Tanaka" in mine and "Buyer For Other" not in mine
    assert "1 permintaan belum dijawab." in mine
    assert f"/permintaan-pembeli/{inquiry.pk}/dijawab/" in mine
    theirs = render_for(other_owner)
    assert "Buyer For Other" in theirs and "Hiroshi Tanaka" not in theirs


# --- Staff: the admin --------------------------------------------------------


def test_staff_see_every_inquiry_in_the_admin(
    client, inquiry, other_inquiry, admin_staff, coordinator, leadership, venue_manager
):
    for user in (admin_staff, coordinator, leadership):
        client.force_login(user)
        body = client.get("/admin/ikm_registry/inquiry/").content.decode()
        assert "Hiroshi Tanaka" in body and "Buyer For Other" in body, user
        change = client.get(f"/admin/ikm_registry/inquiry/{inquiry.pk}/change/")
        assert change.status_code == 200
        assert "samples of the round baskets" in change.content.decode()
    client.force_login(venue_manager)
    assert client.get("/admin/ikm_registry/inquiry/").status_code == 403


def test_admin_action_marks_inquiries_answered(client, inquiry, other_inquiry, admin_staff):
    client.force_login(admin_staff)
    response = client.post(
        "/admin/ikm_registry/inquiry/",
        {"action": "mark_answered", "_selected_action": [inquiry.pk, other_inquiry.pk]},
    )
    assert response.status_code == 302
    assert set(Inquiry.objects.values_list("status", flat=True)) == {"answered"}


def test_admin_list_query_count_is_fixed(client, catalog_world, admin_staff):
    from tests.queries import assert_fixed_queries

    def grow():
        for n in range(10):
            Inquiry.objects.create(
                business=catalog_world.other,
                product=catalog_world.cashew,
                name=f"Buyer {n}",
                country="SG",
                email=f"b{n}@example.sg",
                message="Price?",
            )

    grow()
    client.force_login(admin_staff)
    assert_fixed_queries(client, "/admin/ikm_registry/inquiry/", grow)


@given(
    values=st.fixed_dictionaries(
        {
            field: st.text(max_size=300)
            for field in ("name", "company", "country", "email", "phone", "quantity", "message")
        }
    )
)
@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_inquiry_input_gets_an_answer_never_an_error(client, catalog_world, values):
    cache.clear()
    caches["limits"].clear()
    response = client.post(PRODUCT_ASK, typed(**values))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "alert-error" in response.content.decode()


def make_inquiries(business, product, n):
    for i in range(n):
        Inquiry.objects.create(
            business=business,
            product=product,
            name=f"Buyer {i}",
            country="SG",
            email=f"b{i}@example.sg",
            message="Price?",
        )


def test_owner_inquiry_list_query_count_is_fixed(client, catalog_world, owner):
    from tests.queries import assert_fixed_queries

    make_inquiries(catalog_world.business, catalog_world.basket, 3)
    client.force_login(owner)
    queries = assert_fixed_queries(
        client,
        "/permintaan-pembeli/",
        lambda: make_inquiries(catalog_world.business, catalog_world.basket, 30),
    )
    # session (in the database: no shared cache in tests), user, counts, page count, page rows
    assert queries == 5


def test_dashboard_partial_query_count_is_fixed(catalog_world, owner, django_assert_num_queries):
    request = RequestFactory().get("/ikm/")
    request.user = owner
    make_inquiries(catalog_world.business, catalog_world.basket, 2)
    for _ in range(2):
        with django_assert_num_queries(1):  # the newest five, with how many are new
            render_to_string(
                "ikm_registry/_dashboard_inquiries.html", {"request": request}, request=request
            )
        make_inquiries(catalog_world.business, catalog_world.basket, 20)


@pytest.mark.parametrize("field", ["name", "company", "phone", "quantity"])
def test_single_line_fields_refuse_a_header_injection(client, catalog_world, field):
    data = typed(**{field: "Co\r\nBcc: victim@evil.example"})
    response = client.post(PRODUCT_ASK, data)
    assert response.status_code == 200
    assert "hanya boleh berisi satu baris" in response.content.decode()
    assert not Inquiry.objects.exists() and not mail.outbox


def test_the_message_may_have_several_lines(client, catalog_world):
    assert client.post(PRODUCT_ASK, typed(message="Halo,\r\nminta sampel.")).status_code == 302


@pytest.mark.parametrize("address", [PRODUCT_ASK, BUSINESS_ASK])
def test_inquiry_page_query_count_is_fixed(client, catalog_world, address):
    from tests.queries import assert_fixed_queries

    queries = assert_fixed_queries(
        client,
        address,
        lambda: (
            make_inquiries(catalog_world.business, catalog_world.basket, 20),
            [ProductFactory(business=catalog_world.business) for _ in range(5)],
        ),
    )
    assert queries == 1  # the product (or business) with its place, in one query
