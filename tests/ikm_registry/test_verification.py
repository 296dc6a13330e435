"""Issue #20, part 1: a business becomes verified only through verification.

Status and archive date move only through ikm_registry/services.py: the model refuses
any other save that changes them, the admin shows them read-only with buttons and
actions that call the services, and the seeders leave the state the services would.
"""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ikm_registry import services
from ikm_registry.models import Business, Commodity, WorkflowError
from tests.factories import BusinessFactory, ProductFactory

pytestmark = pytest.mark.django_db

Status = Business.Status


@pytest.fixture
def submitted(owner):
    business = BusinessFactory(
        owner=owner, name="Rotan Verifikasi", status=Status.SUBMITTED, phone="+6281234567890"
    )
    business.commodities.add(Commodity.objects.get(slug="kerajinan-rotan"))
    ProductFactory(business=business)
    return business


def change_url(business):
    return reverse("admin:ikm_registry_business_change", args=[business.pk])


def step_url(business, step):
    return reverse("admin:ikm_registry_business_workflow", args=[business.pk, step])


# --- The model refuses a status moved any other way ---------------------------------


class TestModelLevel:
    def test_saving_a_changed_status_is_refused_and_nothing_is_written(self, submitted):
        business = Business.objects.get(pk=submitted.pk)
        business.status = Status.VERIFIED
        business.verified_at = timezone.now()
        with pytest.raises(WorkflowError):
            business.save()
        assert Business.objects.get(pk=submitted.pk).status == Status.SUBMITTED
        assert not Business.objects.verified().exists()

    def test_saving_a_changed_archive_date_is_refused(self, submitted):
        business = Business.objects.get(pk=submitted.pk)
        business.archived_at = timezone.now()
        with pytest.raises(WorkflowError):
            business.save()
        assert Business.objects.get(pk=submitted.pk).archived_at is None

    def test_a_business_cannot_be_created_verified_or_archived(self, submitted):
        fields = {
            "name": "Langsung Terbit",
            "slug": "langsung-terbit",
            "owner_name": "X",
            "address": "Jl. X",
            "desa": submitted.desa,
        }
        with pytest.raises(WorkflowError):
            Business.objects.create(nib="9120000099991", status=Status.VERIFIED, **fields)
        with pytest.raises(WorkflowError):
            Business.objects.create(nib="9120000099992", archived_at=timezone.now(), **fields)
        assert not Business.objects.filter(slug="langsung-terbit").exists()
        Business.objects.create(nib="9120000099993", **fields)  # a draft is fine

    def test_other_fields_still_save_and_status_survives_a_reload(self, submitted):
        business = Business.objects.get(pk=submitted.pk)
        business.description = "Baru"
        business.save()
        business.refresh_from_db()
        business.owner_name = "Pemilik Baru"
        business.save()
        assert Business.objects.get(pk=submitted.pk).owner_name == "Pemilik Baru"

    def test_a_deferred_status_loaded_later_is_still_guarded(self, submitted):
        business = Business.objects.only("name").get(pk=submitted.pk)
        assert business.status == Status.SUBMITTED  # loads the deferred field
        business.status = Status.VERIFIED
        with pytest.raises(WorkflowError):
            business.save()

    def test_a_deferred_status_assigned_without_loading_is_refused(self, submitted):
        business = Business.objects.only("name").get(pk=submitted.pk)
        business.status = Status.VERIFIED
        assert business.archived_at is None  # loading the other field changes nothing
        with pytest.raises(WorkflowError):
            business.save()
        assert Business.objects.get(pk=submitted.pk).status == Status.SUBMITTED

    def test_the_database_refuses_a_verified_business_without_its_date(self, submitted):
        with pytest.raises(IntegrityError), transaction.atomic():
            Business.objects.filter(pk=submitted.pk).update(status=Status.VERIFIED)

    def test_the_services_move_it_with_date_snapshot_and_mail(self, submitted, coordinator):
        services.verify(business=submitted, by=coordinator)
        business = Business.objects.get(pk=submitted.pk)
        assert business.status == Status.VERIFIED
        assert business.verified_at is not None
        assert business.verified_snapshot["name"] == "Rotan Verifikasi"
        assert mail.outbox[-1].to == [submitted.owner.email]
        services.archive(business=business, by=coordinator)
        assert not Business.objects.verified().filter(pk=business.pk).exists()
        services.unarchive(business=business, by=coordinator)
        assert Business.objects.verified().filter(pk=business.pk).exists()
        history = [h.history_change_reason for h in business.history.order_by("history_id")]
        assert history[-3:] == [
            f"verified by {coordinator}",
            f"archived by {coordinator}",
            f"unarchived by {coordinator}",
        ]

    def test_archiving_twice_is_refused_with_a_message(self, submitted, coordinator):
        services.archive(business=submitted, by=coordinator)
        with pytest.raises(services.TransitionError, match="sudah diarsipkan"):
            services.archive(business=submitted, by=coordinator)
        services.unarchive(business=submitted, by=coordinator)
        with pytest.raises(services.TransitionError, match="tidak diarsipkan"):
            services.unarchive(business=submitted, by=coordinator)


@pytest.mark.parametrize(
    ("status", "changed", "archived", "steps"),
    [
        (Status.DRAFT, False, False, ["submit", "archive"]),
        (Status.RETURNED, False, False, ["submit", "archive"]),
        (Status.SUBMITTED, False, False, ["verify", "return", "archive"]),
        (Status.VERIFIED, False, False, ["return", "archive"]),
        (Status.VERIFIED, True, False, ["verify", "return", "archive"]),
        (Status.VERIFIED, False, True, ["return", "unarchive"]),
    ],
)
def test_possible_steps_follow_the_transitions(status, changed, archived, steps):
    business = Business(
        status=status,
        changed_since_verification=changed,
        archived_at=timezone.now() if archived else None,
    )
    assert services.possible_steps(business) == steps


# --- The admin: read-only status, buttons and actions through the services ------------


def change_form_data(response):
    """What the browser would post back from an admin change form, unchanged."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                data[key] = ""
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [getattr(v, "pk", v) for v in value]
            elif hasattr(value, "pk"):
                data[key] = value.pk
            elif hasattr(value, "name") and not isinstance(value, str):
                continue  # a file: not re-uploaded
            else:
                data[key] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


class TestAdmin:
    def test_change_form_shows_status_read_only_and_offers_the_buttons(
        self, client, admin_staff, submitted
    ):
        client.force_login(admin_staff)
        html = client.get(change_url(submitted)).content.decode()
        assert 'name="status"' not in html
        assert 'name="archived_at"' not in html
        assert "diajukan untuk verifikasi" in html  # shown, not editable
        assert f'action="{step_url(submitted, "verify")}"' in html
        assert f'href="{step_url(submitted, "return")}"' in html
        assert f'action="{step_url(submitted, "archive")}"' in html

    def test_a_posted_status_is_ignored_by_the_change_form(self, client, admin_staff, submitted):
        client.force_login(admin_staff)
        data = change_form_data(client.get(change_url(submitted)))
        data.update(
            status="verified",
            verified_at="2026-01-01 00:00",
            archived_at="2026-01-01 00:00",
            description="Diubah petugas",
        )
        response = client.post(change_url(submitted), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        business = Business.objects.get(pk=submitted.pk)
        assert business.description == "Diubah petugas"  # the save went through
        assert business.status == Status.SUBMITTED
        assert business.verified_at is None and business.archived_at is None
        assert not Business.objects.verified().exists()

    def test_admin_disperindag_verifies_with_the_button(self, client, admin_staff, submitted):
        client.force_login(admin_staff)
        response = client.post(step_url(submitted, "verify"), follow=True)
        assert "1 usaha diverifikasi." in response.content.decode()
        business = Business.objects.get(pk=submitted.pk)
        assert business.status == Status.VERIFIED
        assert business.verified_at is not None
        assert business.verified_snapshot == business.public_snapshot()
        assert mail.outbox[-1].to == [submitted.owner.email]

    def test_admin_disperindag_verifies_with_the_list_action(self, client, admin_staff, submitted):
        client.force_login(admin_staff)
        changelist = reverse("admin:ikm_registry_business_changelist")
        client.post(changelist, {"action": "verify", "_selected_action": [submitted.pk]})
        assert Business.objects.get(pk=submitted.pk).status == Status.VERIFIED

    def test_a_button_needs_a_post(self, client, admin_staff, submitted):
        client.force_login(admin_staff)
        assert client.get(step_url(submitted, "verify")).status_code == 405
        assert Business.objects.get(pk=submitted.pk).status == Status.SUBMITTED

    def test_return_button_asks_for_notes_then_returns(self, client, coordinator, submitted):
        client.force_login(coordinator)
        url = step_url(submitted, "return")
        assert "catatan untuk pemilik" in client.get(url).content.decode()
        response = client.post(url, {"notes": ""})
        assert response.status_code == 200  # asked again
        assert Business.objects.get(pk=submitted.pk).status == Status.SUBMITTED
        response = client.post(url, {"notes": "Foto kurang terang."})
        assert response.status_code == 302
        business = Business.objects.get(pk=submitted.pk)
        assert (business.status, business.staff_notes) == (Status.RETURNED, "Foto kurang terang.")
        assert "Foto kurang terang." in mail.outbox[-1].body

    def test_archive_and_unarchive_buttons(self, client, admin_staff, submitted):
        services.verify(business=submitted, by=admin_staff)
        client.force_login(admin_staff)
        client.post(step_url(submitted, "archive"))
        business = Business.objects.get(pk=submitted.pk)
        assert business.archived_at is not None
        assert not Business.objects.verified().exists()
        html = client.get(change_url(business)).content.decode()
        assert f'action="{step_url(business, "unarchive")}"' in html
        client.post(step_url(submitted, "unarchive"))
        assert Business.objects.verified().filter(pk=submitted.pk).exists()

    def test_a_refused_step_is_reported_not_a_crash(self, client, admin_staff, owner):
        draft = BusinessFactory(owner=owner, status=Status.DRAFT)
        client.force_login(admin_staff)
        response = client.post(step_url(draft, "verify"), follow=True)
        assert "tidak dapat di-verify" in response.content.decode()
        assert Business.objects.get(pk=draft.pk).status == Status.DRAFT

    @pytest.mark.parametrize("role", ["venue_manager", "leadership"])
    def test_roles_without_the_permission_get_no_buttons_and_a_403(
        self, client, request, role, submitted
    ):
        client.force_login(request.getfixturevalue(role))
        html = client.get(change_url(submitted)).content.decode()
        assert step_url(submitted, "verify") not in html
        for step in ("verify", "return", "archive", "submit"):
            assert client.post(step_url(submitted, step)).status_code == 403
        assert Business.objects.get(pk=submitted.pk).status == Status.SUBMITTED

    @pytest.mark.parametrize("page", ["change", "return"])
    def test_query_count_is_fixed(self, client, admin_staff, submitted, page):
        from ikm_registry.models import Certificate
        from tests.queries import assert_fixed_queries

        client.force_login(admin_staff)
        url = change_url(submitted) if page == "change" else step_url(submitted, "return")

        def grow():
            for n in range(3):
                ProductFactory(business=submitted)
                Certificate.objects.create(business=submitted, kind="sni", number=f"S{n}")
                BusinessFactory(status=Status.SUBMITTED)

        assert_fixed_queries(client, url, grow)

    def test_unknown_step_is_a_404(self, client, admin_staff, submitted):
        client.force_login(admin_staff)
        assert client.post(step_url(submitted, "publish")).status_code == 404


# --- Seeders leave what the services would ------------------------------------------


def assert_service_state(businesses):
    for business in businesses:
        if business.status == Status.VERIFIED:
            assert business.verified_at is not None, business
            assert business.verified_snapshot == business.public_snapshot(), business
        if business.status != Status.DRAFT:
            assert business.submitted_at is not None, business
        if business.status == Status.RETURNED:
            assert business.staff_notes, business


class TestSeeders:
    @pytest.mark.parametrize("status", list(Status))
    def test_factory(self, status):
        assert_service_state([BusinessFactory(status=status)])

    def test_seed_demo(self):
        from io import StringIO

        from django.core.management import call_command

        call_command("seed_demo", stdout=StringIO())
        businesses = list(Business.objects.all())
        assert {b.status for b in businesses} == set(Status)
        assert_service_state(businesses)

    def test_seed_scale_registry_part(self):
        from ikm_registry import scale

        scale.seed(ikm=30, products=30, batch=10, progress=lambda name, total: lambda n: None)
        businesses = list(Business.objects.all())
        assert {b.status for b in businesses} >= {Status.VERIFIED, Status.SUBMITTED}
        assert_service_state(businesses)
        assert all(b.size_class_by_sales and b.size_class_by_capital for b in businesses)


# --- Size class by capital and by sales -----------------------------------------------

M = Decimal(1_000_000_000)


class TestSizeClasses:
    @pytest.mark.parametrize(
        ("capital", "sales", "by_capital", "by_sales"),
        [
            (M, 2 * M, "mikro", "mikro"),
            (M + 1, 2 * M + 1, "kecil", "kecil"),
            (5 * M, 15 * M, "kecil", "kecil"),
            (5 * M + 1, 15 * M + 1, "menengah", "menengah"),
            (10 * M, 50 * M, "menengah", "menengah"),
            (10 * M + 1, 50 * M + 1, "besar", "besar"),
            (Decimal("1.5") * M, 40 * M, "kecil", "menengah"),  # issue #20's example
        ],
    )
    def test_both_classes_are_stored_at_the_boundaries(self, capital, sales, by_capital, by_sales):
        business = BusinessFactory(capital=capital, annual_sales=sales)
        stored = Business.objects.get(pk=business.pk)
        assert (stored.size_class_by_capital, stored.size_class_by_sales) == (by_capital, by_sales)

    def test_classes_follow_an_owner_edit(self, client, owner):
        business = BusinessFactory(owner=owner, capital=M, annual_sales=M, status=Status.DRAFT)
        client.force_login(owner)
        page = client.get(reverse("ikm_registry:business_edit", args=[business.pk]))
        data = {
            key: value
            for key, value in page.context["form"].initial.items()
            if value is not None and key not in ("logo", "commodities")
        }
        data.update(
            desa=business.desa_id,
            phone="0812-3456-7890",
            capital="1500000000",
            annual_sales="40000000000",
        )
        response = client.post(reverse("ikm_registry:business_edit", args=[business.pk]), data)
        assert response.status_code == 302, response.context["form"].errors
        stored = Business.objects.get(pk=business.pk)
        assert (stored.size_class_by_capital, stored.size_class_by_sales) == ("kecil", "menengah")

    def test_owner_pages_show_both_classes(self, client, owner):
        business = BusinessFactory(owner=owner, capital=Decimal("1.5") * M, annual_sales=40 * M)
        client.force_login(owner)
        detail = client.get(reverse("ikm_registry:business_detail", args=[business.pk]))
        html = detail.content.decode()
        assert "Skala usaha menurut omzet" in html and "Menengah" in html
        assert "Skala usaha menurut modal" in html and "Kecil" in html
        dashboard = client.get(reverse("ikm_registry:dashboard")).content.decode()
        assert "Skala menurut omzet: menengah" in dashboard
        assert "menurut modal: kecil" in dashboard

    def test_admin_filters_by_class_by_sales_and_shows_both(self, client, admin_staff):
        small = BusinessFactory(name="Omzet Kecil", capital=20 * M, annual_sales=10 * M)
        BusinessFactory(name="Omzet Menengah", capital=M, annual_sales=40 * M)
        client.force_login(admin_staff)
        changelist = reverse("admin:ikm_registry_business_changelist")
        response = client.get(changelist + "?size_class_by_sales__exact=kecil")
        assert [b.name for b in response.context["cl"].result_list] == ["Omzet Kecil"]
        html = client.get(change_url(small)).content.decode()
        assert "skala menurut modal (pendaftaran)" in html.lower()
        assert "skala menurut omzet (pemberdayaan)" in html.lower()


# --- The import: never verifies, and marks rows of verified businesses ----------------


class TestImport:
    @pytest.fixture
    def desa(self):
        from ikm_registry.models import Desa

        return Desa.objects.select_related("kecamatan").get(code="36.03.18.2004")

    def test_a_file_saying_verified_creates_nothing_public(self, client, admin_staff, desa):
        from tests.ikm_registry.test_import_bulk import CONFIRM, _dry_run, _row

        rows = [_row(1, desa, status="verified"), _row(2, desa), _row(3, desa, status="")]
        client.force_login(admin_staff)
        response = _dry_run(client, rows)
        result = response.context["result"]
        assert [r.number for r in result.invalid_rows] == [1]
        assert "hanya dapat diimpor sebagai draft atau submitted" in response.content.decode()
        confirm = response.context["confirm_form"]
        client.post(CONFIRM, {**confirm.initial, "resource": "0", "import_valid_rows": "on"})
        assert not Business.objects.filter(nib=rows[0]["nib"]).exists()
        assert set(Business.objects.values_list("status", flat=True)) == {Status.DRAFT}
        assert Business.objects.count() == 2
        assert not Business.objects.verified().exists()

    def test_the_office_may_import_submitted_businesses(self, client, admin_staff, desa):
        from tests.ikm_registry.test_import_bulk import _import, _row

        client.force_login(admin_staff)
        _import(client, [_row(1, desa, status="submitted")])
        business = Business.objects.get()
        assert business.status == Status.SUBMITTED
        assert business.submitted_at is not None
        assert business in Business.objects.awaiting_review()

    def test_a_row_for_a_verified_nib_shows_its_changes_then_is_flagged(
        self, client, admin_staff, desa
    ):
        from tests.ikm_registry.test_import_bulk import _confirm, _dry_run, _row

        verified = BusinessFactory(name="Nama Terverifikasi", desa=desa, status=Status.VERIFIED)
        snapshot = verified.verified_snapshot
        row = _row(1, desa, nib=verified.nib, name="Nama Dari Berkas", status="verified")
        client.force_login(admin_staff)
        response = _dry_run(client, [row])
        [preview] = response.context["result"].valid_rows()
        assert preview.import_type == "update"
        assert preview.verified_match
        assert ("nama usaha", "Nama Terverifikasi", "Nama Dari Berkas") in preview.verified_changes
        html = response.content.decode()
        assert "Terverifikasi" in html
        assert "nama usaha: Nama Terverifikasi → Nama Dari Berkas" in html

        _confirm(client, response)
        business = Business.objects.get(pk=verified.pk)
        assert business.name == "Nama Dari Berkas"
        assert business.status == Status.VERIFIED  # stays public, as after an owner's edit
        assert business.changed_since_verification
        assert business in Business.objects.awaiting_review()
        assert business.verified_snapshot == snapshot  # the diff staff review is kept
        assert ("nama usaha", "Nama Terverifikasi", "Nama Dari Berkas") in (
            business.changes_since_verification()
        )

    def test_a_row_for_a_new_or_draft_business_is_not_marked(self, client, admin_staff, desa):
        from tests.ikm_registry.test_import_bulk import _dry_run, _row

        draft = BusinessFactory(desa=desa, status=Status.DRAFT)
        client.force_login(admin_staff)
        response = _dry_run(client, [_row(1, desa), _row(2, desa, nib=draft.nib)])
        assert [r.verified_match for r in response.context["result"].valid_rows()] == [
            False,
            False,
        ]

    def test_an_import_does_not_move_an_existing_status(self, client, admin_staff, desa):
        from tests.ikm_registry.test_import_bulk import _dry_run, _row

        verified = BusinessFactory(desa=desa, status=Status.VERIFIED)
        draft = BusinessFactory(desa=desa, status=Status.DRAFT)
        rows = [
            _row(1, desa, nib=verified.nib, status="draft"),
            _row(2, desa, nib=draft.nib, status="submitted"),
        ]
        client.force_login(admin_staff)
        response = _dry_run(client, rows)
        assert [r.number for r in response.context["result"].invalid_rows] == [1, 2]
        assert "tidak diubah lewat impor" in response.content.decode()
        assert Business.objects.get(pk=verified.pk).status == Status.VERIFIED
        assert Business.objects.get(pk=draft.pk).status == Status.DRAFT


def test_the_export_has_both_classes():
    from ikm_registry.resources import BusinessResource

    business = BusinessFactory(capital=Decimal("1.5") * M, annual_sales=40 * M)
    [row] = BusinessResource().export(Business.objects.filter(pk=business.pk)).dict
    assert (row["size_class_by_sales"], row["size_class_by_capital"]) == ("menengah", "kecil")
