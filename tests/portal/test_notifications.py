"""docs/notifications.md is complete and true: every status value has a row, every row's
template and test exist, and each row's test (here, or named by path) triggers the change
and finds the e-mail in the recipient's language."""

import importlib
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.template.loader import get_template
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gerai.models import BoothApplication, Event
from ikm_registry import erasure, inquiries, services
from ikm_registry.models import Business, Commodity, ContactLog, ErasureRequest, Inquiry
from missions import services as mission_services
from missions.models import Deal, Participation
from tests.factories import BusinessFactory, ProductFactory, UserFactory

ROOT = Path(settings.BASE_DIR)
DOC = ROOT / "docs" / "notifications.md"
LANGUAGES = ["id", "en"]
MODELS = [Business, Inquiry, ErasureRequest, Participation, Deal, BoothApplication, Event]
AREAS = {"ikm_registry", "missions", "gerai", "staff", "account"}

pytestmark = pytest.mark.django_db


def rows():
    found = []
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] in AREAS:
            area, status, _what, _recipient, language, template, test = cells
            found.append(
                {
                    "area": area,
                    "status": status,
                    "language": language,
                    "template": template,
                    "test": test,
                }
            )
    return found


def status_values():
    for model in MODELS:
        field = "status"
        for value in model._meta.get_field(field).choices:
            yield model, value[0]


# --- The list is complete -------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "value"), list(status_values()), ids=lambda x: getattr(x, "__name__", x)
)
def test_every_status_value_has_a_row(model, value):
    statuses = {row["status"] for row in rows()}
    assert f"{model.__name__}: {value}" in statuses, (
        f"docs/notifications.md has no row for {model.__name__} status {value!r}"
    )


def test_every_row_names_a_template_that_exists_and_a_test_that_exists():
    here = set(globals())
    gerai = set(vars(importlib.import_module("tests.gerai.test_notifications")))
    assert len(rows()) > 30
    for row in rows():
        if row["template"] != "—":
            get_template(f"{row['template']}_subject.txt")
            get_template(f"{row['template']}_body.txt")
        test = row["test"]
        if "::" in test:
            path, name = test.split("::")
            assert re.search(rf"def {re.escape(name)}\(", (ROOT / path).read_text()), test
        else:
            assert test in (gerai if row["area"] == "gerai" else here), test


def test_every_template_sent_by_the_code_has_a_row():
    """Every `*_subject.txt` of an e-mail folder is listed (so nothing is sent unlisted)."""
    named = {row["template"] for row in rows()}
    for subject in ROOT.glob("templates/*/email/*_subject.txt"):
        template = str(subject.relative_to(ROOT / "templates")).removesuffix("_subject.txt")
        assert template in named, f"{template} is not in docs/notifications.md"
    assert "emails/digest" in named


# --- Checking one e-mail ------------------------------------------------------------


def check(message, language):
    """Plain text and HTML, in `language`, with absolute links and the office's contact."""
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<html lang="{language}">' in html
    links = [
        link
        for link in re.findall(re.escape(settings.SITE_URL) + r"/\S+", message.body)
        if not link.startswith(settings.SITE_URL + "/admin/")
    ]
    assert links, message.body
    for link in links:
        assert link.removeprefix(settings.SITE_URL).startswith("/en/") == (language == "en"), link
        assert f'href="{link}"' in html
    assert settings.OFFICE_EMAIL in message.body and f"mailto:{settings.OFFICE_EMAIL}" in html
    return message


def to(address):
    found = [m for m in mail.outbox if m.to == [address]]
    assert len(found) == 1, [(m.to, m.subject) for m in mail.outbox]
    return found[0]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return go


def owned(language, **kwargs):
    owner = UserFactory(language=language)
    business = BusinessFactory(owner=owner, phone="+6281234567890", **kwargs)
    business.commodities.add(Commodity.objects.get(slug="kerajinan-rotan"))
    ProductFactory(business=business)
    return owner, business


# --- Registry -----------------------------------------------------------------------


def test_a_draft_business_sends_nothing(reference_data, run):
    _owner, business = owned("id", status=Business.Status.DRAFT)
    business.name = "Nama Baru"
    business.save()
    run(services.owner_saved, business=business)
    assert mail.outbox == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_submission_receipt_is_sent_in_the_owners_language(reference_data, run, language):
    owner, business = owned(language, status=Business.Status.DRAFT)
    run(services.submit, business=business, by=owner)
    receipt = check(to(owner.email), language)
    assert business.name in receipt.subject
    office = to(settings.OFFICE_EMAIL)
    assert business.nib in office.body and "diajukan untuk verifikasi" in office.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_verified_is_sent_in_the_owners_language(reference_data, run, coordinator, language):
    owner, business = owned(language, status=Business.Status.SUBMITTED)
    run(services.verify, business=business, by=coordinator)
    assert business.name in check(to(owner.email), language).subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_returned_is_sent_in_the_owners_language_with_the_notes(
    reference_data, run, coordinator, language
):
    owner, business = owned(language, status=Business.Status.SUBMITTED)
    run(services.return_with_notes, business=business, by=coordinator, notes="Foto buram.")
    assert "Foto buram." in check(to(owner.email), language).body


def test_an_erasure_request_tells_the_office(reference_data, run):
    owner, _business = owned("en")
    run(services.request_deletion, user=owner)
    assert ErasureRequest.objects.get(user=owner).status == ErasureRequest.Status.PENDING
    assert owner.email in to(settings.OFFICE_EMAIL).body


@pytest.mark.parametrize("language", LANGUAGES)
def test_erasure_done_is_sent_in_the_owners_language(reference_data, run, admin_staff, language):
    owner, _business = owned(language)
    address = owner.email
    services.request_deletion(user=owner)
    mail.outbox.clear()
    run(erasure.approve, erasure=ErasureRequest.objects.get(user=owner), by=admin_staff)
    message = to(address)
    assert f'<html lang="{language}">' in message.alternatives[0][0]
    assert settings.OFFICE_EMAIL in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_erasure_refused_is_sent_in_the_owners_language_with_the_reason(
    reference_data, run, admin_staff, language
):
    owner, _business = owned(language)
    services.request_deletion(user=owner)
    mail.outbox.clear()
    request = ErasureRequest.objects.get(user=owner)
    run(erasure.refuse, erasure=request, by=admin_staff, reason="Kontrak wajib disimpan.")
    assert "Kontrak wajib disimpan." in check(to(owner.email), language).body


def inquiry_for(business, language):
    return Inquiry.objects.create(
        business=business,
        name="Hiroshi Tanaka",
        country="JP",
        email=f"buyer-{language}@example.jp",
        message="Samples of the round baskets, please.",
        language=language,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_inquiry_reaches_the_owner_in_their_language(reference_data, language):
    owner, business = owned(language)
    inquiries.notify(inquiry_for(business, "id"))
    to_owner = check(to(owner.email), language)
    assert to_owner.reply_to == ["buyer-id@example.jp"]
    assert "[Permintaan pembeli]" in to(settings.OFFICE_EMAIL).subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_inquiry_receipt_is_sent_in_the_buyers_language(reference_data, language):
    _owner, business = owned("id")
    inquiries.notify(inquiry_for(business, language))
    receipt = check(to(f"buyer-{language}@example.jp"), language)
    assert "Samples of the round baskets" in receipt.body  # what they sent
    assert business.name in receipt.body  # who will answer
    assert receipt.reply_to == [settings.OFFICE_EMAIL]


def test_marking_an_inquiry_answered_sends_nothing(reference_data):
    _owner, business = owned("id")
    inquiry = inquiry_for(business, "en")
    inquiries.mark_answered(inquiry)
    assert inquiry.status == Inquiry.Status.ANSWERED and mail.outbox == []


# --- Missions ----------------------------------------------------------------------


@pytest.fixture
def mission(db):
    from tests.missions.conftest import make_mission

    return make_mission(quota=5)


@pytest.mark.parametrize("language", LANGUAGES)
def test_mission_application_received_in_the_owners_language(
    reference_data, run, mission, language
):
    owner, business = owned(language)
    run(mission_services.apply_for_mission, mission=mission, business=business)
    message = check(to(owner.email), language)
    assert mission.title in message.subject and "/misi" in message.body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", ["shortlisted", "accepted", "rejected"])
def test_mission_decisions_in_the_owners_language(reference_data, run, mission, language, status):
    owner, business = owned(language)
    participation = Participation.objects.create(mission=mission, business=business)
    if status == "accepted":
        run(
            mission_services.set_participation_status,
            participation=participation,
            status="shortlisted",
        )
        mail.outbox.clear()
    run(mission_services.set_participation_status, participation=participation, status=status)
    message = check(to(owner.email), language)
    assert mission.title in message.subject


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("by_owner", [True, False])
def test_mission_withdrawal_by_owner_or_staff_in_the_owners_language(
    reference_data, run, mission, language, by_owner
):
    owner, business = owned(language)
    participation = Participation.objects.create(mission=mission, business=business)
    if by_owner:
        run(mission_services.withdraw, participation=participation)
    else:
        run(
            mission_services.set_participation_status,
            participation=participation,
            status="withdrawn",
        )
    message = check(to(owner.email), language)
    if language == "id":
        expected = "Sesuai permintaan Anda" if by_owner else "Petugas Disperindag mencatat"
        assert expected in message.body


def test_attendance_sends_nothing(reference_data, run, mission):
    _owner, business = owned("id")
    participation = Participation.objects.create(
        mission=mission, business=business, status=Participation.Status.ACCEPTED
    )
    run(mission_services.set_participation_status, participation=participation, status="attended")
    run(mission_services.set_participation_status, participation=participation, status="no_show")
    assert mail.outbox == []


# --- Staff digest ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
)
def test_daily_digest_per_role_through_the_worker(
    reference_data, coordinator, venue_manager, leadership
):
    from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory
    from tests.missions.conftest import make_mission

    submitted = BusinessFactory(name="Gula Aren Menunggu", status=Business.Status.SUBMITTED)
    Participation.objects.create(mission=make_mission(title="Misi Digest"), business=submitted)
    BoothApplicationFactory(event=BoothEventFactory(booths=3), business=submitted)
    ContactLog.objects.create(
        business=submitted,
        kind=ContactLog.Kind.VISIT,
        subject="Cek izin PIRT",
        follow_up_on=timezone.localdate() - timedelta(days=1),
        staff=coordinator,
    )
    call_command("send_digests", stdout=io.StringIO())
    assert mail.outbox == []  # nothing is built or sent by the command itself
    assert DBTaskResult.objects.filter(task_path="ikm_registry.digest.send_digests").exists()
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    for_coordinator = to(coordinator.email)
    assert "Gula Aren Menunggu" in for_coordinator.body
    assert "Misi Digest: 1" in for_coordinator.body
    assert "Cek izin PIRT" in for_coordinator.body
    assert "Pendaftaran stan menunggu keputusan" not in for_coordinator.body
    for_venue = to(venue_manager.email)
    assert "Pendaftaran stan menunggu keputusan" in for_venue.body
    assert "Gula Aren Menunggu (" not in for_venue.body  # not a verifier
    assert "Cek izin PIRT" not in for_venue.body  # the venue manager does not see pembinaan
    assert not [m for m in mail.outbox if m.to == [leadership.email]]  # nothing waits for them
    assert for_coordinator.alternatives[0][0].startswith("<!DOCTYPE html>")
    assert settings.OFFICE_EMAIL in for_coordinator.body


@pytest.mark.django_db(transaction=True)
@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
)
def test_the_digest_is_in_each_staff_members_language(reference_data, coordinator):
    coordinator.language = "en"
    coordinator.save()
    changed = BusinessFactory(name="Kopi Berubah")
    Business.objects.filter(pk=changed.pk).update(changed_since_verification=True)
    call_command("send_digests", stdout=io.StringIO())
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    message = to(coordinator.email)
    assert '<html lang="en">' in message.alternatives[0][0]
    assert "Usaha menunggu verifikasi" not in message.body  # the section title in English
