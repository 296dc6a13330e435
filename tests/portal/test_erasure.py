"""Erasure under UU 27/2022: after staff approve an owner's request, none of the owner's
values is left in any table (history, logs and queues included) or in the storage, and
the mission report's totals are unchanged.

Runs on SQLite (every table read through SQL) and on PostgreSQL (`pg_dump`), with files
on the filesystem and on the S3 emulator (tests/s3server.py).
"""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ikm_registry import erasure, services
from ikm_registry.models import (
    Business,
    Certificate,
    ContactLog,
    ErasureRequest,
    Inquiry,
    Product,
    ProductPhoto,
)
from missions.models import Deal, PartyConfirmation
from missions.reports import mission_report
from tangerang_ikm.mail import send_templated_mail
from tests.factories import BusinessFactory, ProductFactory, UserFactory
from tests.ikm_registry.helpers import image_bytes
from tests.missions.conftest import make_deal, make_mission, make_participation
from tests.s3server import CREDENTIALS, REGION, create_buckets, moto_server

# Every personal value carries one of these tokens; none may survive anywhere.
TOKENS = ["qxyzabella", "wumpfah", "zorblatt", "3603015706990007", "81299887766", "9876543210"]
PERSON = {
    "email": "qxyzabella.owner@zorblatt-mail.example",
    "full_name": "Qxyzabella Wumpfahrt",
}
BUSINESS = {
    "name": "Wumpfah Rattanworks",
    "slug": "wumpfah-rattanworks",
    "nib": "3603999887766",
    "owner_name": "Qxyzabella Wumpfahrt",
    "nik": "3603015706990007",
    "npwp15": "987654321098765",
    "npwp16": "0987654321098765",
    "address": "Jalan Zorblatt 77",
    "phone": "+6281299887766",
    "email": "wumpfah@zorblatt-mail.example",
    "website": "https://zorblatt.example",
    "marketplace_links": "https://shop.example/wumpfah",
    "description": "Anyaman rotan keluarga Wumpfahrt",
    "staff_notes": "Telepon Qxyzabella sore hari",
}
PDF = b"%PDF-1.7\nSertifikat halal a.n. Qxyzabella Wumpfahrt NIK 3603015706990007\n%%EOF\n"


# --- Storage: the filesystem or the S3 emulator --------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    with moto_server(log_dir=tmp_path_factory.mktemp("moto")) as endpoint:
        yield endpoint


def s3_storages(endpoint, bucket, private_bucket):
    create_buckets(endpoint, bucket, private_bucket)
    common = {
        "endpoint_url": endpoint,
        "region_name": REGION,
        "access_key": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "secret_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "bucket_name": bucket, "location": "media"},
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "bucket_name": private_bucket, "location": "private"},
        },
    }


@pytest.fixture(params=["filesystem", "s3"])
def media(request, tmp_path, settings, monkeypatch):
    """STORAGES for this test; fields bound to the private storage at import follow it."""
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        suffix = tmp_path.name.replace("_", "-").lower()[-20:]
        configured = s3_storages(endpoint, f"media-{suffix}", f"private-{suffix}")
    else:
        configured = {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tmp_path / "media", "base_url": "/media/"},
            },
            "private": {
                "BACKEND": "tangerang_ikm.storage.PrivateFileSystemStorage",
                "OPTIONS": {"location": tmp_path / "private"},
            },
        }
    with override_settings(STORAGES={**settings.STORAGES, **configured}):
        for field in (
            Certificate._meta.get_field("document"),
            Deal._meta.get_field("document"),
        ):
            monkeypatch.setattr(field, "storage", storages["private"])
        yield request.param


def walk(storage, path=""):
    """Every file name under `path`, through the storage API (filesystem and S3)."""
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}{name}" for name in files]
    for directory in dirs:
        names += walk(storage, f"{path}{directory}/")
    return names


def storage_dump():
    """(name, bytes) of every stored file, public and private."""
    out = []
    for storage in (default_storage, storages["private"]):
        for name in walk(storage):
            with storage.open(name, "rb") as handle:
                out.append((name, handle.read()))
    return out


# --- The database, whole --------------------------------------------------------------


def database_dump():
    if connection.vendor == "postgresql":
        params = connection.get_connection_params()
        command = [
            shutil.which("pg_dump") or "pg_dump",
            "--data-only",
            "-h",
            params.get("host") or "127.0.0.1",
            "-p",
            str(params.get("port") or 5432),
            "-U",
            params.get("user") or "postgres",
            params["dbname"],
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
        return result.stdout
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                chunks.append(f"{table}: {row!r}")
    return "\n".join(chunks)


def found_tokens(text):
    text = text.lower()
    return [token for token in TOKENS if token in text]


# --- The person, everywhere the portal may keep them -----------------------------------


def build_person(staff):
    owner = UserFactory(**PERSON, language="en")
    business = BusinessFactory(owner=owner, **BUSINESS)
    business.logo.save("logo-wumpfah.jpg", ContentFile(image_bytes()), save=True)
    # An owner's edit: the history keeps the earlier phone too.
    business.phone = "+6281299887700"
    business.save()
    product = ProductFactory(
        business=business, name="Keranjang Wumpfah", slug="keranjang-wumpfah", name_en=""
    )
    services.add_photo(
        product=product,
        upload=SimpleUploadedFile("wumpfah.jpg", image_bytes(), content_type="image/jpeg"),
    )
    certificate = Certificate(business=business, kind="halal", number="ID-ZORBLATT-1")
    certificate.document.save("halal-qxyzabella.pdf", ContentFile(PDF), save=False)
    certificate.save()

    mission = make_mission(title="Misi Busan Uji", slug="misi-busan-uji")
    make_participation(mission, business, notes="Qxyzabella membawa sampel")
    deal = make_deal(mission, business, amount="25000000", notes="Kontrak Zorblatt")
    deal.document.save("kontrak-zorblatt.pdf", ContentFile(PDF), save=True)
    PartyConfirmation.objects.create(
        deal=deal,
        side=PartyConfirmation.Side.IKM,
        email=PERSON["email"],
        language="en",
        expires_at=timezone.now() + timedelta(days=14),
    )
    other = make_deal(mission, BusinessFactory(), amount="10000000")
    from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory

    booth = BoothApplicationFactory(
        event=BoothEventFactory(booths=2), business=business, note="Stan untuk Qxyzabella"
    )
    booth.note = "Stan Qxyzabella, dekat pintu"  # a second version in the history
    booth.save()

    Inquiry.objects.create(
        business=business,
        product=product,
        name="Hiroshi Tanaka",
        country="JP",
        email="hiroshi@tanaka.example",
        message="Dear Qxyzabella, samples please.",
    )
    ContactLog.objects.create(
        business=business,
        kind=ContactLog.Kind.VISIT,
        staff=staff,
        subject="Kunjungan ke Qxyzabella",
        notes="Rumah di Jalan Zorblatt",
        mission=mission,
    )
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(Business),
        object_id=str(business.pk),
        object_repr=str(business),
        action_flag=CHANGE,
        change_message="[]",
    )
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username=PERSON["email"], ip_address="10.0.0.1", user_agent="x", failures_since_start=1
    )
    # A notice queued for the worker keeps the address and the text.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        send_templated_mail(
            to=[owner.email],
            template="ikm_registry/email/verified",
            context={"business": business},
            language="en",
        )
    assert DBTaskResult.objects.exists()
    return owner, business, mission, other


def figures(mission):
    return [(str(f.label), f.value) for f in mission_report(mission).figures]


@pytest.mark.django_db(transaction=True)
def test_approved_erasure_leaves_no_personal_value_anywhere(media, reference_data, admin_staff):
    owner, business, mission, _other = build_person(admin_staff)
    before = figures(mission)
    assert found_tokens(database_dump()), "the dump must see the values first"
    stored_before = storage_dump()
    assert len(stored_before) >= 5  # logo, three photo sizes, certificate, deal document
    mail.outbox.clear()

    services.request_deletion(user=owner)
    request = ErasureRequest.objects.get(user=owner, status=ErasureRequest.Status.PENDING)
    erasure.approve(erasure=request, by=admin_staff)

    dump = database_dump()
    assert found_tokens(dump) == [], [line for line in dump.splitlines() if found_tokens(line)][:20]
    stored = storage_dump()
    names_before = {name for name, _content in stored_before}
    assert not names_before & {name for name, _content in stored}
    for name, content in stored:
        assert not found_tokens(name) and not found_tokens(content.decode("latin-1")), name

    # The program's figures are unchanged; the business shows as "IKM (dihapus)".
    assert figures(mission) == before
    business.refresh_from_db()
    assert business.name == "IKM (dihapus)" and business.desa.kecamatan_id == "36.03.18"
    assert Deal.objects.filter(business=business).get().amount == Decimal("25000000")
    assert ProductPhoto.objects.filter(product__business=business).count() == 0
    assert Product.objects.filter(business=business, is_active=True).count() == 0
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.APPROVED and request.decided_by == admin_staff
    # The person is told, at the address they asked from, in their language.
    (farewell,) = [m for m in mail.outbox if m.to == [PERSON["email"]]]
    assert "has erased your personal data" in farewell.body
    assert f"{settings.SITE_URL}/en/" in farewell.body


@pytest.mark.django_db
def test_a_refusal_is_recorded_with_its_reason_and_told_to_the_owner(
    reference_data, admin_staff, django_capture_on_commit_callbacks
):
    owner = UserFactory(language="id")
    business = BusinessFactory(owner=owner, name="Keripik Tetap")
    services.request_deletion(user=owner)
    request = ErasureRequest.objects.get(user=owner)
    mail.outbox.clear()
    with pytest.raises(Exception, match="alasan"):
        erasure.refuse(erasure=request, by=admin_staff, reason=" ")
    reason = "Kontrak dagang yang ditandatangani wajib disimpan 10 tahun."
    with django_capture_on_commit_callbacks(execute=True):
        erasure.refuse(erasure=request, by=admin_staff, reason=reason)
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.REFUSED and request.reason == reason
    business.refresh_from_db()
    assert business.name == "Keripik Tetap" and business.deletion_requested_at is None
    (message,) = mail.outbox
    assert message.to == [owner.email] and reason in message.body
    assert "tidak dapat dipenuhi" in message.subject
    with pytest.raises(Exception, match="sudah diputuskan"):
        erasure.approve(erasure=request, by=admin_staff)


@pytest.mark.django_db
def test_staff_approve_from_the_admin_queue(client, reference_data, admin_staff):
    client.force_login(admin_staff)
    owner = UserFactory()
    business = BusinessFactory(owner=owner)
    services.request_deletion(user=owner)
    request = ErasureRequest.objects.get(user=owner)
    url = f"/admin/ikm_registry/erasurerequest/{request.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="_approve"' in page and 'name="_refuse"' in page
    response = client.post(url, {"reason": "", "_approve": "1"})
    assert response.status_code == 302
    request.refresh_from_db()
    business.refresh_from_db()
    assert request.status == ErasureRequest.Status.APPROVED
    assert business.name == "IKM (dihapus)" and business.owner is None


@pytest.mark.django_db
def test_the_queue_runs_a_fixed_number_of_queries(client, reference_data, admin_staff):
    from tests.queries import assert_fixed_queries, session_queries

    services.request_deletion(user=BusinessFactory().owner)
    client.force_login(admin_staff)

    def grow():
        for _i in range(3):
            services.request_deletion(user=BusinessFactory().owner)

    url = "/admin/ikm_registry/erasurerequest/"
    # User, permissions, the rows (with requester, business and decider), two counts, the
    # status filter: the same at any size.
    assert assert_fixed_queries(client, url, grow) == 6 + session_queries()
