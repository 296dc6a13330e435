from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ikm_registry.models import Business, Certificate, NikAccessLog
from tests.factories import BusinessFactory, ProductFactory
from tests.queries import assert_fixed_queries

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:ikm_registry_business_changelist")


def change_url(business):
    return reverse("admin:ikm_registry_business_change", args=[business.pk])


@pytest.fixture
def listed(owner):
    business = BusinessFactory(
        owner=owner,
        name="Rotan Admin Test",
        nik="3603123456780001",
        phone="+6281234567890",
        status=Business.Status.SUBMITTED,
    )
    ProductFactory(business=business, export_ready=True)
    return business


class TestChangelistPerRole:
    @pytest.mark.parametrize(
        "role", ["admin_staff", "coordinator", "venue_manager", "leadership", "superuser"]
    )
    def test_staff_roles_see_the_list_with_nik_masked(self, client, request, role, listed):
        client.force_login(request.getfixturevalue(role))
        html = client.get(CHANGELIST).content.decode()
        assert "Rotan Admin Test" in html
        assert "3603••••••••0001" in html
        assert "3603123456780001" not in html
        assert "0812-3456-7890" in html

    def test_owner_is_sent_to_admin_login(self, client, owner):
        client.force_login(owner)
        response = client.get(CHANGELIST)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]

    def test_import_button_only_for_roles_that_may_add(self, client, admin_staff, leadership):
        import_url = reverse("admin:ikm_registry_business_import")
        client.force_login(admin_staff)
        assert import_url in client.get(CHANGELIST).content.decode()
        client.force_login(leadership)
        assert import_url not in client.get(CHANGELIST).content.decode()
        assert client.get(import_url).status_code == 403

    @pytest.mark.parametrize("role", ["admin_staff", "leadership"])
    def test_changelist_query_count_is_fixed(self, client, request, role, listed, is_postgres):
        client.force_login(request.getfixturevalue(role))

        def grow():
            for _ in range(4):
                b = BusinessFactory()
                ProductFactory(business=b)

        count = assert_fixed_queries(client, CHANGELIST, grow)
        # Session, user, 2 permission sets, kecamatan and commodity filters, count, rows;
        # PostgreSQL: the planner's row estimate first (tangerang_ikm.admin_lists).
        assert count == 8 + is_postgres

    def test_certificate_changelist_query_count_is_fixed(self, client, admin_staff, listed):
        Certificate.objects.create(business=listed, kind="halal", number="A")
        client.force_login(admin_staff)
        url = reverse("admin:ikm_registry_certificate_changelist")

        def grow():
            for n in range(4):
                Certificate.objects.create(business=BusinessFactory(), kind="sni", number=str(n))

        count = assert_fixed_queries(client, url, grow)
        assert count == 8


class TestFiltersAndSearch:
    def test_filters(self, client, admin_staff, listed):
        other = BusinessFactory(name="Gula Lain", desa_id="36.03.05.2002")
        Certificate.objects.create(
            business=other, kind="halal", number="H1", valid_until="2000-01-01"
        )
        client.force_login(admin_staff)

        def names(query):
            response = client.get(CHANGELIST + query)
            return {b.name for b in response.context["cl"].result_list}

        assert names("?status__exact=submitted") == {"Rotan Admin Test"}
        assert names("?kecamatan=36.03.05") == {"Gula Lain"}
        assert names("?export_ready=yes") == {"Rotan Admin Test"}
        assert names("?certificate=halal") == {"Gula Lain"}
        assert names("?expiry=expired") == {"Gula Lain"}

    @pytest.mark.parametrize(
        "term", ["Rotan Admin", "0812-3456-7890", "owner-a@example.com", "3603123456780001"]
    )
    def test_search(self, client, admin_staff, listed, term):
        client.force_login(admin_staff)
        names = {b.name for b in client.get(CHANGELIST, {"q": term}).context["cl"].result_list}
        if term.startswith("3603"):
            assert names == set()  # NIK is encrypted: not searchable, never leaked
        else:
            assert names == {"Rotan Admin Test"}

    def test_search_by_nib(self, client, admin_staff, listed):
        client.force_login(admin_staff)
        response = client.get(CHANGELIST, {"q": listed.nib})
        assert [b.pk for b in response.context["cl"].result_list] == [listed.pk]


class TestChangeView:
    def test_admin_sees_full_nik_and_the_view_is_logged(self, client, admin_staff, listed):
        client.force_login(admin_staff)
        html = client.get(change_url(listed)).content.decode()
        assert "3603123456780001" in html
        log = NikAccessLog.objects.get()
        assert (log.user, log.business) == (admin_staff, listed)

    def test_leadership_sees_masked_nik_only_and_nothing_is_logged(
        self, client, leadership, listed
    ):
        client.force_login(leadership)
        html = client.get(change_url(listed)).content.decode()
        assert "3603••••••••0001" in html
        assert "3603123456780001" not in html
        assert not NikAccessLog.objects.exists()

    def test_certificate_inline_links_to_the_checked_view_only(self, client, admin_staff, listed):
        certificate = Certificate(business=listed, kind="halal", number="H-9")
        certificate.document.save("s.pdf", SimpleUploadedFile("s.pdf", b"%PDF-1"), save=False)
        certificate.save()
        client.force_login(admin_staff)
        html = client.get(change_url(listed)).content.decode()
        assert reverse("ikm_registry:certificate_document", args=[certificate.pk]) in html
        assert "/media/certificates" not in html

    def test_history_page(self, client, admin_staff, listed):
        listed.name = "Rotan Berganti Nama"
        listed.save()
        client.force_login(admin_staff)
        url = reverse("admin:ikm_registry_business_history", args=[listed.pk])
        assert "Rotan Berganti Nama" in client.get(url).content.decode()

    def test_staff_create_a_business_directly(self, client, admin_staff):
        client.force_login(admin_staff)
        response = client.get(reverse("admin:ikm_registry_business_add"))
        assert response.status_code == 200
        assert 'name="nib"' in response.content.decode()

    def test_changes_since_verification_are_shown(self, client, admin_staff, listed):
        from ikm_registry import services

        services.verify(business=listed, by=admin_staff)
        listed.refresh_from_db()
        listed.description = "Deskripsi baru"
        listed.save()
        client.force_login(admin_staff)
        html = client.get(change_url(listed)).content.decode()
        assert "Deskripsi baru" in html
        assert "deskripsi (bahasa Indonesia)" in html


class TestActions:
    def test_coordinator_verifies(self, client, coordinator, listed):
        client.force_login(coordinator)
        client.post(CHANGELIST, {"action": "verify", "_selected_action": [listed.pk]})
        listed.refresh_from_db()
        assert listed.status == Business.Status.VERIFIED
        assert mail.outbox[-1].to == [listed.owner.email]

    def test_venue_manager_has_no_verify_action(self, client, venue_manager, listed):
        client.force_login(venue_manager)
        response = client.get(CHANGELIST)
        assert response.context["action_form"] is None  # view-only: no actions at all
        client.post(CHANGELIST, {"action": "verify", "_selected_action": [listed.pk]})
        listed.refresh_from_db()
        assert listed.status == Business.Status.SUBMITTED

    def test_return_with_notes_asks_for_notes_then_emails(self, client, coordinator, listed):
        client.force_login(coordinator)
        data = {"action": "return_with_notes", "_selected_action": [listed.pk]}
        response = client.post(CHANGELIST, data)
        assert "catatan untuk pemilik" in response.content.decode()
        client.post(CHANGELIST, {**data, "apply": "1", "notes": "Lengkapi foto."})
        listed.refresh_from_db()
        assert listed.status == Business.Status.RETURNED
        assert listed.staff_notes == "Lengkapi foto."
        assert "Lengkapi foto." in mail.outbox[-1].body

    def test_transfer_ownership(self, client, admin_staff, other_owner, listed):
        client.force_login(admin_staff)
        data = {"action": "transfer_ownership", "_selected_action": [listed.pk], "apply": "1"}
        client.post(CHANGELIST, {**data, "email": other_owner.email})
        listed.refresh_from_db()
        assert listed.owner == other_owner


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return SimpleUploadedFile("ikm.xlsx", buffer.getvalue())


class TestImportExport:
    HEADER = ["nib", "name", "legal_form", "owner_name", "address", "kode_desa", "telepon",
              "npwp", "komoditas", "capital"]  # fmt: skip

    def test_dry_run_reports_each_row_and_writes_nothing(self, client, admin_staff):
        existing = BusinessFactory(nib="9120000000777", name="Lama")
        rows = [
            self.HEADER,
            ["9120000000111", "IKM Baru", "perorangan", "Ani", "Jl. A", "36.03.18.2004",
             "0812-1111-2222", "", "kerajinan-rotan", 100000000],
            ["9120000000777", "Lama Diperbarui", "cv", "Budi", "Jl. B", "36.03.18.2004",
             "", "092542943407000", "", ""],
            ["12345", "NIB Salah", "perorangan", "C", "Jl. C", "36.03.18.2004", "", "", "", ""],
            ["9120000000222", "Desa Salah", "perorangan", "D", "Jl. D", "99.99", "", "", "", ""],
            ["9120000000333", "Telepon Salah", "perorangan", "E", "Jl. E", "36.03.18.2004",
             "12345", "", "", ""],
        ]  # fmt: skip
        client.force_login(admin_staff)
        response = client.post(
            reverse("admin:ikm_registry_business_import"),
            {"import_file": _xlsx(rows), "format": "1", "resource": "0"},
        )
        assert response.status_code == 200
        result = response.context["result"]
        types = [row.import_type for row in result.rows]
        invalid = {row.number: row.error_dict for row in result.invalid_rows}
        assert types[:2] == ["new", "update"]
        assert set(invalid) == {3, 4, 5}
        html = response.content.decode()
        assert "13 digit" in html
        assert "Kode desa 99.99 tidak dikenal" in html
        assert "awalan 0 atau +62" in html
        assert not Business.objects.filter(nib="9120000000111").exists()
        existing.refresh_from_db()
        assert existing.name == "Lama"

    def test_confirmed_import_writes_valid_file(self, client, admin_staff):
        rows = [
            self.HEADER,
            ["9120000000111", "IKM Baru", "perorangan", "Ani", "Jl. A", "36.03.18.2004",
             "0812-1111-2222", "09.254.294.3-407.000", "kerajinan-rotan", 100000000],
        ]  # fmt: skip
        client.force_login(admin_staff)
        response = client.post(
            reverse("admin:ikm_registry_business_import"),
            {"import_file": _xlsx(rows), "format": "1", "resource": "0"},
        )
        confirm = response.context["confirm_form"]
        client.post(
            reverse("admin:ikm_registry_business_process_import"),
            {**confirm.initial, "resource": "0"},
        )
        business = Business.objects.get(nib="9120000000111")
        assert business.phone == "+6281211112222"
        assert business.npwp15 == "092542943407000"
        assert business.status == Business.Status.DRAFT
        assert business.size_class == "mikro"
        assert [c.slug for c in business.commodities.all()] == ["kerajinan-rotan"]

    def test_template_download(self, client, admin_staff):
        client.force_login(admin_staff)
        response = client.get(reverse("admin:ikm_registry_business_import_template"))
        sheet = load_workbook(BytesIO(response.content)).active
        header = [c.value for c in sheet[1]]
        assert header[:2] == ["nib", "name"] and "kode_desa" in header

    def test_export_of_a_filtered_list_has_every_row(self, client, admin_staff):
        for n in range(120):
            BusinessFactory(status=Business.Status.VERIFIED, name=f"Ekspor {n:03d}")
        BusinessFactory(status=Business.Status.DRAFT, name="Draf Saja")
        client.force_login(admin_staff)
        url = reverse("admin:ikm_registry_business_export") + "?status__exact=verified"
        fields = {f"businessresource_{f}": "on" for f in ["nib", "name", "status"]}
        response = client.post(url, {"format": "0", "resource": "0", **fields})
        text = response.content.decode("utf-8-sig")
        assert text.count("Ekspor ") == 120
        assert "Draf Saja" not in text


def test_certificate_list_shows_what_is_expiring(client, coordinator):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    business = BusinessFactory()
    Certificate.objects.create(
        business=business, kind="pirt", number="P-OLD", valid_until=today - timedelta(days=3)
    )
    Certificate.objects.create(
        business=business, kind="halal", number="H-SOON", valid_until=today + timedelta(days=20)
    )
    Certificate.objects.create(
        business=business, kind="sni", number="S-LATER", valid_until=today + timedelta(days=400)
    )
    client.force_login(coordinator)
    url = reverse("admin:ikm_registry_certificate_changelist")
    html = client.get(url, {"expiry": "30"}).content.decode()
    assert "H-SOON" in html and "habis dalam 20 hari" in html
    assert "P-OLD" not in html and "S-LATER" not in html
    html = client.get(url, {"expiry": "expired"}).content.decode()
    assert "P-OLD" in html and "kedaluwarsa 3 hari lalu" in html


def test_product_count_is_not_multiplied_by_the_commodity_filter(client, admin_staff):
    from ikm_registry.models import Commodity

    business = BusinessFactory(name="Dua Sektor")
    business.commodities.add(*Commodity.objects.filter(slug__in=["kacang-mede", "gula-semut"]))
    ProductFactory(business=business)
    ProductFactory(business=business)
    client.force_login(admin_staff)
    ids = ",".join(str(c.pk) for c in business.commodities.all())
    response = client.get(CHANGELIST, {"commodities__id__in": ids})
    [row] = response.context["cl"].result_list
    assert row.n_products == 2
