"""Query counts of the owner's detail pages, admin pages for every role, history privacy."""

import pytest
from django.urls import reverse

from ikm_registry import services
from ikm_registry.models import Certificate
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.helpers import business_with_everything, image_bytes, upload
from tests.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db

ROLES = ["admin_staff", "coordinator", "venue_manager", "leadership", "superuser"]


def test_business_detail_query_count_is_fixed(client, owner):
    business = BusinessFactory(owner=owner, name="Detail Rotan")
    ProductFactory(business=business, name="Produk Pertama")
    client.force_login(owner)
    url = reverse("ikm_registry:business_detail", args=[business.pk])

    def grow():
        for n in range(3):
            ProductFactory(business=business)
            Certificate.objects.create(business=business, kind="sni", number=f"S{n}")
            business.exports.create(country="JP", year=2020 + n)

    count = assert_fixed_queries(client, url, grow)
    assert count == 7  # the session is read from the database (no shared cache in tests)
    html = client.get(url).content.decode()
    assert "Detail Rotan" in html and "Produk Pertama" in html and "S2" in html


def test_product_page_query_count_is_fixed(client, owner):
    product = ProductFactory(business=BusinessFactory(owner=owner))
    services.add_photo(product=product, upload=upload(image_bytes()), alt_text="foto satu")
    client.force_login(owner)
    url = reverse("ikm_registry:product_edit", args=[product.pk])

    def grow():
        for _ in range(3):
            services.add_photo(product=product, upload=upload(image_bytes()))

    count = assert_fixed_queries(client, url, grow)
    assert count == 5  # the session is read from the database (no shared cache in tests)
    html = client.get(url).content.decode()
    assert "(4/8)" in html and 'alt="foto satu"' in html


def test_my_data_page(client, owner, other_owner):
    BusinessFactory(owner=owner, name="Usaha A Privasi")
    client.force_login(owner)
    html = client.get(reverse("ikm_registry:my_data")).content.decode()
    assert "Usaha A Privasi" in html and "UU 27/2022" in html
    client.force_login(other_owner)
    assert "Usaha A Privasi" not in client.get(reverse("ikm_registry:my_data")).content.decode()


def test_owner_pages_need_login(client, owner):
    business, product, _photo, certificate = business_with_everything(owner)
    for url in [
        reverse("ikm_registry:certificate_edit", args=[certificate.pk]),
        reverse("ikm_registry:business_create"),
        reverse("ikm_registry:business_detail", args=[business.pk]),
        reverse("ikm_registry:product_edit", args=[product.pk]),
        reverse("ikm_registry:my_data_json"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"], url


@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_per_role(client, request, role, owner):
    user = request.getfixturevalue(role)
    business, product, _photo, certificate = business_with_everything(
        owner, name="Rotan Peran", nik="3603123456780001"
    )
    client.force_login(user)
    pages = {
        reverse("admin:ikm_registry_business_change", args=[business.pk]): "Rotan Peran",
        reverse("admin:ikm_registry_product_changelist"): product.name,
        reverse("admin:ikm_registry_product_change", args=[product.pk]): product.name,
        reverse("admin:ikm_registry_business_history", args=[business.pk]): "Rotan Peran",
    }
    if user.has_perm("ikm_registry.view_certificate"):
        pages[reverse("admin:ikm_registry_certificate_changelist") + "?expiry=valid"] = "ID-001"
        document_url = reverse("ikm_registry:certificate_document", args=[certificate.pk])
        pages[reverse("admin:ikm_registry_certificate_change", args=[certificate.pk])] = (
            document_url
        )
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (role, url)
        assert text in response.content.decode(), (role, url)
    if not user.has_perm("ikm_registry.view_certificate"):
        url = reverse("admin:ikm_registry_certificate_changelist")
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["admin_staff", "leadership"])
def test_product_changelist_query_count_is_fixed(client, request, role, is_postgres):
    ProductFactory()
    client.force_login(request.getfixturevalue(role))
    url = reverse("admin:ikm_registry_product_changelist")
    count = assert_fixed_queries(client, url, lambda: [ProductFactory() for _ in range(4)])
    # The session from the database (no shared cache in tests); PostgreSQL reads the
    # row estimate first.
    assert count == 7 + is_postgres


def test_history_never_stores_the_nik():
    """Not even encrypted: the history's diff would show it to every role that reads it."""
    business = BusinessFactory(nik="3603123456780001")
    business.name = "Berganti"
    business.save()
    columns = [f.column for f in business.history.model._meta.concrete_fields]
    assert "nik" not in columns
    assert business.history.count() == 2


@pytest.mark.parametrize("role", ["venue_manager", "leadership", "coordinator"])
def test_the_history_page_never_shows_a_nik(client, request, role):
    business = BusinessFactory(nik="3603123456780001")
    business.nik = "3603123456780002"
    business.save()
    client.force_login(request.getfixturevalue(role))
    url = reverse("admin:ikm_registry_business_history", args=[business.pk])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "3603123456780001" not in body and "3603123456780002" not in body


def test_staff_logo_upload_is_reencoded(client, admin_staff):
    from PIL import Image

    business = BusinessFactory()
    client.force_login(admin_staff)
    url = reverse("admin:ikm_registry_business_change", args=[business.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not hasattr(v, "all")}
    data.update(
        {
            "desa": business.desa_id,
            "logo": upload(image_bytes("PNG", size=(2000, 2000)), name="logo.png"),
            "products-TOTAL_FORMS": 0,
            "products-INITIAL_FORMS": 0,
            "certificates-TOTAL_FORMS": 0,
            "certificates-INITIAL_FORMS": 0,
            "exports-TOTAL_FORMS": 0,
            "exports-INITIAL_FORMS": 0,
            "contacts-TOTAL_FORMS": 0,
            "contacts-INITIAL_FORMS": 0,
            "status": business.status,
            "legal_form": business.legal_form,
            "kbli_version": "2020",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    business.refresh_from_db()
    with business.logo.open("rb") as handle:
        image = Image.open(handle)
        assert image.format == "JPEG" and max(image.size) == 512
