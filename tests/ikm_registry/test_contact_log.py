"""The contact log (pembinaan): kept in the admin by Admin Disperindag and the mission
coordinator, read by Pimpinan, hidden from the venue manager; filtered, exported."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ikm_registry.models import ContactLog, Desa
from tests.factories import BusinessFactory
from tests.queries import assert_fixed_queries, session_queries

pytestmark = pytest.mark.django_db

LIST = reverse("admin:ikm_registry_contactlog_changelist")
ADD = reverse("admin:ikm_registry_contactlog_add")


@pytest.fixture
def contacts(reference_data, admin_staff, coordinator):
    cikupa = BusinessFactory(name="Rotan Cikupa")
    other_desa = Desa.objects.exclude(kecamatan_id=cikupa.desa.kecamatan_id).first()
    elsewhere = BusinessFactory(name="Gula Semut Jauh", desa=other_desa)
    rows = [
        ContactLog.objects.create(
            business=cikupa,
            kind=ContactLog.Kind.VISIT,
            staff=admin_staff,
            subject="Kunjungan bengkel",
            date=datetime.date(2026, 1, 15),
        ),
        ContactLog.objects.create(
            business=cikupa,
            kind=ContactLog.Kind.CERTIFICATION,
            staff=coordinator,
            subject='=HYPERLINK("http://x")',
            date=datetime.date(2026, 5, 2),
            follow_up_on=datetime.date(2026, 6, 1),
        ),
        ContactLog.objects.create(
            business=elsewhere,
            kind=ContactLog.Kind.CALL,
            staff=coordinator,
            subject="Telepon harga",
            date=datetime.date(2026, 5, 20),
        ),
    ]
    return cikupa, elsewhere, rows


def listed(client, query=""):
    page = client.get(LIST + query)
    assert page.status_code == 200
    return [
        subject
        for subject in ("Kunjungan bengkel", "HYPERLINK", "Telepon harga")
        if subject in page.content.decode()
    ]


@pytest.mark.parametrize("role", ["admin_staff", "coordinator"])
def test_admin_and_coordinator_keep_the_log(client, request, contacts, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(ADD).status_code == 200
    cikupa = contacts[0]
    response = client.post(
        ADD,
        {
            "business": cikupa.pk,
            "date": "2026-07-01",
            "kind": "coaching",
            "staff": user.pk,
            "subject": "Pendampingan kemasan",
            "notes": "",
            "follow_up_on": "",
            "mission": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = ContactLog.objects.get(subject="Pendampingan kemasan")
    assert contact.history.get().history_user == user


def test_pimpinan_reads_but_does_not_write(client, leadership, contacts):
    client.force_login(leadership)
    assert listed(client) == ["Kunjungan bengkel", "HYPERLINK", "Telepon harga"]
    assert client.get(ADD).status_code == 403


def test_the_venue_manager_does_not_see_it(client, venue_manager, contacts):
    client.force_login(venue_manager)
    assert client.get(LIST).status_code == 403
    page = client.get(reverse("admin:ikm_registry_business_change", args=[contacts[0].pk]))
    assert page.status_code == 200
    assert "Kunjungan bengkel" not in page.content.decode()


def test_the_business_page_lists_its_contacts_newest_first(client, admin_staff, contacts):
    client.force_login(admin_staff)
    page = client.get(reverse("admin:ikm_registry_business_change", args=[contacts[0].pk]))
    html = page.content.decode()
    assert html.index("HYPERLINK") < html.index("Kunjungan bengkel")
    assert "Telepon harga" not in html  # another business's contact


def test_filters_by_kind_kecamatan_staff_and_quarter(client, admin_staff, coordinator, contacts):
    cikupa, _elsewhere, _rows = contacts
    client.force_login(admin_staff)
    assert listed(client, "?kind__exact=call") == ["Telepon harga"]
    assert listed(client, f"?kecamatan={cikupa.desa.kecamatan_id}") == [
        "Kunjungan bengkel",
        "HYPERLINK",
    ]
    assert listed(client, f"?staff__id__exact={coordinator.pk}") == ["HYPERLINK", "Telepon harga"]
    assert listed(client, "?quarter=2026-2") == ["HYPERLINK", "Telepon harga"]
    assert listed(client, "?quarter=2026-1") == ["Kunjungan bengkel"]


def test_the_xlsx_export_keeps_text_as_text(client, admin_staff, contacts):
    client.force_login(admin_staff)
    response = client.post(
        LIST,
        {
            "action": "export_xlsx",
            "_selected_action": [c.pk for c in contacts[2]],
        },
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["tanggal", "jenis", "usaha"]
    subjects = [row[6] for row in values[1:]]
    assert '\'=HYPERLINK("http://x")' in subjects  # never a live formula
    assert len(values) == 4


def test_the_list_runs_a_fixed_number_of_queries(client, admin_staff, contacts):
    client.force_login(admin_staff)

    def grow():
        for i in range(5):
            ContactLog.objects.create(
                business=BusinessFactory(),
                kind=ContactLog.Kind.TRAINING,
                staff=admin_staff,
                subject=f"Pelatihan {i}",
            )

    # Session and user, the page's rows and count, the date hierarchy, the filters'
    # choices (kecamatan, staff), the admin's permission checks: the same at any size.
    assert assert_fixed_queries(client, LIST, grow) == 9 + session_queries()
