import json
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ikm_registry.models import Business, Certificate, Commodity, ExportRecord, Product
from tests.factories import BusinessFactory, ProductFactory
from tests.ikm_registry.helpers import business_with_everything, image_bytes, upload
from tests.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Anyaman Rotan Sukamaju",
    "legal_form": "perorangan",
    "nib": "9120 0000 99999",
    "npwp": "09.254.294.3-407.000",
    "owner_name": "Siti Aminah",
    "nik": "3603 1234 5678 0001",
    "address": "Jl. Raya Serang Km 18",
    "desa": "36.03.18.2004",
    "phone": "0812-3456-7890",
    "email": "rotan@example.com",
    "workers_female": "4",
    "workers_male": "2",
    "capital": "250000000",
    "annual_sales": "900000000",
    "kbli_code": "16291",
    "kbli_version": "2020",
}


def _post(client, url, data):
    return client.post(url, data)


class TestDashboard:
    url = reverse("ikm_registry:dashboard")

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(self.url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]

    def test_owner_sees_own_businesses_status_notes_and_next_step(self, client, owner):
        BusinessFactory(
            owner=owner,
            name="Rotan Milik A",
            status=Business.Status.RETURNED,
            staff_notes="Foto produk kurang terang.",
        )
        BusinessFactory(name="Rotan Milik Orang Lain")
        client.force_login(owner)
        response = client.get(self.url)
        html = response.content.decode()
        assert "Rotan Milik A" in html
        assert "Foto produk kurang terang." in html
        assert "Perbaiki sesuai catatan petugas" in html
        assert "dikembalikan untuk diperbaiki" in html
        assert "Rotan Milik Orang Lain" not in html
        assert "Belum ada permintaan pembeli." in html  # the inquiries slot
        assert response.context["dashboard"]["businesses"][0].name == "Rotan Milik A"

    def test_empty_state(self, client, other_owner):
        client.force_login(other_owner)
        assert "Anda belum mendaftarkan usaha" in client.get(self.url).content.decode()

    def test_query_count_is_fixed_as_businesses_grow(self, client, owner):
        business = BusinessFactory(owner=owner)
        ProductFactory(business=business)
        client.force_login(owner)

        def grow():
            for _ in range(3):
                b = BusinessFactory(owner=owner)
                ProductFactory(business=b)
                Certificate.objects.create(business=b, kind="halal", number="X")
                Certificate.objects.create(
                    business=b,
                    kind="pirt",
                    number="Y",
                    valid_until=timezone.localdate() + timedelta(days=30),
                )

        count = assert_fixed_queries(client, self.url, grow)
        # session (from the database: no shared cache in tests), user, businesses with
        # their counts, their certificates expiring within 90 days, buyer inquiries
        assert count == 5

    def test_nav_shows_dashboard_link_to_owner(self, client, owner):
        client.force_login(owner)
        assert self.url in client.get(reverse("home")).content.decode()


class TestCreateAndEdit:
    url = reverse("ikm_registry:business_create")

    def test_owner_creates_a_draft_with_normalised_identifiers(self, client, owner):
        client.force_login(owner)
        data = {**VALID, "commodities": [Commodity.objects.get(slug="kerajinan-rotan").pk]}
        response = client.post(self.url, data)
        business = Business.objects.get(nib="9120000099999")
        assert response.status_code == 302
        assert business.owner == owner
        assert business.status == Business.Status.DRAFT
        assert business.phone == "+6281234567890"
        assert business.npwp15 == "092542943407000"
        assert business.npwp16 == "0092542943407000"
        assert business.nik == "3603123456780001"
        assert business.size_class == "mikro"
        assert business.ikm_scale == "kecil"
        page = client.get(response["Location"]).content.decode()
        assert "0812-3456-7890" in page
        assert "3603••••••••0001" in page

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("nib", "12345", "13 digit"),
            ("nik", "123", "16 digit"),
            ("npwp", "1234", "15 atau 16 digit"),
            ("phone", "12345", "awalan 0 atau +62"),
        ],
    )
    def test_bad_identifiers_reshow_the_form_with_a_message(
        self, client, owner, field, value, message
    ):
        client.force_login(owner)
        response = client.post(self.url, {**VALID, field: value})
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert VALID["name"] in html  # what was typed is kept
        assert not Business.objects.exists()

    def test_duplicate_nib_is_refused_with_whom_to_contact(self, client, owner):
        BusinessFactory(nib="9120000099999")
        client.force_login(owner)
        response = client.post(self.url, VALID)
        html = response.content.decode()
        assert "sudah terdaftar" in html
        assert settings.OFFICE_EMAIL in html
        assert Business.objects.count() == 1

    def test_near_identical_name_in_same_desa_warns(self, client, owner):
        BusinessFactory(name="CV Anyaman Rotan Sukamaju")
        client.force_login(owner)
        response = client.post(self.url, VALID, follow=True)
        assert Business.objects.filter(nib="9120000099999").exists()
        assert "Nama mirip" in response.content.decode()

    def test_bad_logo_is_refused(self, client, owner):
        client.force_login(owner)
        data = {**VALID, "logo_upload": upload(b"not an image", name="logo.jpg")}
        response = client.post(self.url, data)
        assert response.status_code == 200
        assert "bukan foto" in response.content.decode()

    def test_editing_a_verified_business_flags_it_with_a_diff_and_keeps_it_public(
        self, client, owner
    ):
        from ikm_registry import services

        business = BusinessFactory(owner=owner, status=Business.Status.SUBMITTED)
        ProductFactory(business=business)
        services.verify(business=business, by=owner)
        mail.outbox.clear()
        client.force_login(owner)
        url = reverse("ikm_registry:business_edit", args=[business.pk])
        data = {**VALID, "nib": business.nib, "name": "Nama Baru Rotan"}
        client.post(url, data)
        business.refresh_from_db()
        assert business.status == Business.Status.VERIFIED
        assert business in Business.objects.verified()
        assert business.changed_since_verification
        changes = dict((label, (a, b)) for label, a, b in business.changes_since_verification())
        assert changes["nama usaha"][1] == "Nama Baru Rotan"
        assert len(mail.outbox) == 1 and "Nama Baru Rotan" in mail.outbox[0].body


class TestProductsAndPhotos:
    def test_owner_adds_a_product_and_photos_up_to_eight(self, client, owner):
        business = BusinessFactory(owner=owner)
        client.force_login(owner)
        response = client.post(
            reverse("ikm_registry:product_create", args=[business.pk]),
            {
                "name": "Keranjang Rotan",
                "category": Commodity.objects.get(slug="kerajinan-rotan").pk,
                "unit": "pcs",
                "price_min": "50000",
                "price_max": "90000",
            },
        )
        product = Product.objects.get(business=business)
        assert response["Location"] == reverse("ikm_registry:product_edit", args=[product.pk])
        photo_url = reverse("ikm_registry:photo_add", args=[product.pk])
        for _ in range(8):
            client.post(photo_url, {"image": upload(image_bytes()), "alt_text": "keranjang"})
        assert product.photos.count() == 8
        response = client.post(photo_url, {"image": upload(image_bytes())})
        assert response.status_code == 400
        assert "paling banyak 8 foto" in response.content.decode()
        assert product.photos.count() == 8
        stored = product.photos.first()
        assert stored.image.name.endswith(".jpg")  # the full size, also for sharing
        assert stored.medium.name.endswith(".avif") and stored.thumbnail.name.endswith(".avif")

    def test_price_range_must_be_ordered(self, client, owner):
        business = BusinessFactory(owner=owner)
        client.force_login(owner)
        response = client.post(
            reverse("ikm_registry:product_create", args=[business.pk]),
            {
                "name": "Keranjang",
                "category": Commodity.objects.get(slug="kerajinan-rotan").pk,
                "unit": "pcs",
                "price_min": "90000",
                "price_max": "50000",
            },
        )
        assert "tidak boleh di bawah" in response.content.decode()

    def test_non_image_upload_shows_message(self, client, owner):
        product = ProductFactory(business=BusinessFactory(owner=owner))
        client.force_login(owner)
        response = client.post(
            reverse("ikm_registry:photo_add", args=[product.pk]),
            {"image": upload(b"<?php echo 1; ?>", name="foto.jpg")},
        )
        assert response.status_code == 400
        assert "bukan foto" in response.content.decode()
        assert product.photos.count() == 0


class TestOtherOwnersObjectsAreOutOfReach:
    """Owner B guesses every URL of owner A's objects: each is a 404, nothing changes."""

    @pytest.fixture
    def a_objects(self, owner):
        return business_with_everything(owner)

    def test_get_urls_are_404(self, client, other_owner, a_objects):
        business, product, photo, certificate = a_objects
        export = ExportRecord.objects.create(business=business, country="JP", year=2024)
        client.force_login(other_owner)
        for name, pk in [
            ("business_detail", business.pk),
            ("business_edit", business.pk),
            ("product_create", business.pk),
            ("certificate_create", business.pk),
            ("product_edit", product.pk),
            ("photo_add", product.pk),
            ("certificate_edit", certificate.pk),
            ("certificate_document", certificate.pk),
        ]:
            assert client.get(reverse(f"ikm_registry:{name}", args=[pk])).status_code == 404, name
        for name, pk in [
            ("business_submit", business.pk),
            ("export_add", business.pk),
            ("export_delete", export.pk),
            ("product_delete", product.pk),
            ("photo_delete", photo.pk),
            ("certificate_delete", certificate.pk),
        ]:
            assert client.post(reverse(f"ikm_registry:{name}", args=[pk])).status_code == 404, name
        assert Product.objects.filter(pk=product.pk).exists()
        assert product.photos.filter(pk=photo.pk).exists()
        assert Certificate.objects.filter(pk=certificate.pk).exists()
        assert ExportRecord.objects.filter(pk=export.pk).exists()

    def test_edit_post_changes_nothing(self, client, other_owner, a_objects):
        business = a_objects[0]
        client.force_login(other_owner)
        url = reverse("ikm_registry:business_edit", args=[business.pk])
        assert client.post(url, {**VALID, "nib": business.nib}).status_code == 404
        business.refresh_from_db()
        assert business.name != VALID["name"]

    def test_owner_b_dashboard_and_data_export_show_nothing_of_a(
        self, client, other_owner, a_objects
    ):
        client.force_login(other_owner)
        assert (
            a_objects[0].name not in client.get(reverse("ikm_registry:dashboard")).content.decode()
        )
        data = json.loads(client.get(reverse("ikm_registry:my_data_json")).content)
        assert data["businesses"] == []


class TestCertificateDocuments:
    def test_owner_downloads_own_document(self, client, owner):
        certificate = business_with_everything(owner)[3]
        client.force_login(owner)
        response = client.get(reverse("ikm_registry:certificate_document", args=[certificate.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 rahasia"
        assert response["Cache-Control"].startswith("private, no-store")

    def test_anonymous_is_sent_to_login(self, client, owner):
        certificate = business_with_everything(owner)[3]
        url = reverse("ikm_registry:certificate_document", args=[certificate.pk])
        assert client.get(url).status_code == 302

    def test_document_is_stored_outside_media_root(self, client, owner):
        certificate = business_with_everything(owner)[3]
        path = Path(certificate.document.path).resolve()
        media_root = Path(settings.MEDIA_ROOT).resolve()
        assert media_root not in path.parents
        with pytest.raises(ValueError):
            certificate.document.url  # noqa: B018 - private files have no URL
        # The media URL that would serve the name under MEDIA_ROOT finds nothing there.
        assert not (media_root / certificate.document.name).exists()

    def test_staff_with_view_permission_downloads(self, client, owner, coordinator, leadership):
        certificate = business_with_everything(owner)[3]
        url = reverse("ikm_registry:certificate_document", args=[certificate.pk])
        for staff in (coordinator, leadership):
            client.force_login(staff)
            assert client.get(url).status_code == 200

    def test_staff_without_permission_gets_404(self, client, owner, venue_manager):
        certificate = business_with_everything(owner)[3]
        client.force_login(venue_manager)
        url = reverse("ikm_registry:certificate_document", args=[certificate.pk])
        assert client.get(url).status_code == 404


class TestPrivacy:
    def test_json_download_holds_all_own_data(self, client, owner):
        business, product, _photo, certificate = business_with_everything(
            owner, nik="3603123456780001"
        )
        client.force_login(owner)
        response = client.get(reverse("ikm_registry:my_data_json"))
        data = json.loads(response.content)
        assert data["account"]["email"] == owner.email
        row = data["businesses"][0]
        assert row["nib"] == business.nib
        assert row["nik"] == "3603123456780001"
        assert row["products"][0]["name"] == product.name
        assert row["certificates"][0]["number"] == certificate.number

    def test_downloads_hold_the_trade_terms(self, client, owner):
        product = business_with_everything(owner)[1]
        product.incoterms = ["FOB", "CIF"]
        product.lead_time_days = 30
        product.save()
        client.force_login(owner)
        data = json.loads(client.get(reverse("ikm_registry:my_data_json")).content)
        row = data["businesses"][0]["products"][0]
        assert row["incoterms"] == "FOB, CIF" and row["lead_time_days"] == 30
        assert row["port_of_loading"] == product.port_of_loading
        response = client.get(reverse("ikm_registry:my_data_xlsx"))
        sheet = load_workbook(BytesIO(response.content))["produk"]
        header = [cell.value for cell in sheet[1]]
        assert sheet.cell(2, header.index("incoterms") + 1).value == "FOB, CIF"

    def test_xlsx_download(self, client, owner):
        business = business_with_everything(owner)[0]
        client.force_login(owner)
        response = client.get(reverse("ikm_registry:my_data_xlsx"))
        book = load_workbook(BytesIO(response.content))
        assert book["usaha"]["A2"].value == business.nib
        assert book["produk"].max_row == 2

    def test_deletion_request_is_recorded_and_office_told(self, client, owner):
        business = BusinessFactory(owner=owner)
        other = BusinessFactory()
        client.force_login(owner)
        client.post(reverse("ikm_registry:my_data_delete"), {"confirm": "on"})
        business.refresh_from_db()
        other.refresh_from_db()
        assert business.deletion_requested_at is not None
        assert other.deletion_requested_at is None
        assert mail.outbox[-1].to == [settings.OFFICE_EMAIL]
        assert business.nib in mail.outbox[-1].body

    def test_deletion_needs_confirmation(self, client, owner):
        business = BusinessFactory(owner=owner)
        client.force_login(owner)
        response = client.post(reverse("ikm_registry:my_data_delete"), {}, follow=True)
        assert "Centang kotak" in response.content.decode()
        business.refresh_from_db()
        assert business.deletion_requested_at is None
