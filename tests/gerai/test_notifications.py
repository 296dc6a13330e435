"""Every gerai status change tells the applicant, in their language, through the task
worker; docs/notifications.md lists each notice and this file keeps the list complete."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.loader import get_template
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from gerai import services
from gerai.models import BoothApplication, Event
from gerai.notifications import APPLICANT_NOTICES
from tests.factories import BusinessFactory, UserFactory
from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory, EventFactory

DOC = Path(settings.BASE_DIR) / "docs" / "notifications.md"
LANGUAGES = ["id", "en"]
# The Indonesian subject of each notice (the English one comes from the catalogue).
SUBJECT_ID = {
    "received": "Pendaftaran stan diterima:",
    "waiting": "Daftar tunggu stan:",
    "offered": "Tawaran stan untuk Anda di",
    "accepted": "untuk Anda di",
    "lapsed": "Tawaran stan gugur:",
    "rejected": "Pendaftaran stan tidak diterima:",
    "withdrawn": "Pendaftaran stan ditarik:",
    "event_cancelled": "Acara dibatalkan:",
    "event_postponed": "Acara ditunda:",
    "event_moved": "Waktu acara berubah:",
}


def gerai_rows():
    rows = []
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == "gerai":
            _area, status, _what, _recipient, language, template, test = cells
            rows.append(
                {"status": status, "template": template, "test": test, "language": language}
            )
    return rows


# --- The list is complete ------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "value"),
    [(BoothApplication, v) for v in BoothApplication.Status.values]
    + [(Event, v) for v in Event.Status.values],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_every_gerai_status_value_has_a_row(model, value):
    statuses = {row["status"] for row in gerai_rows()}
    assert f"{model.__name__}: {value}" in statuses, (
        f"docs/notifications.md has no gerai row for {model.__name__} status {value!r}"
    )


def test_every_gerai_notice_has_a_row_and_every_row_a_template_and_a_test():
    rows = gerai_rows()
    named = {row["template"] for row in rows}
    for template in APPLICANT_NOTICES.values():
        assert template in named, f"{template} is sent but not listed"
    tests = set(globals())
    for row in rows:
        assert row["test"] in tests, f"{row['test']} named in the doc does not exist"
        if row["template"] == "—":
            continue
        get_template(f"{row['template']}_subject.txt")
        get_template(f"{row['template']}_body.txt")
        assert row["language"] == "owner's"


# --- Each row: the change, and the e-mail in the recipient's language ----------


def applicant(event, language, **kwargs):
    owner = UserFactory(language=language)
    return BoothApplicationFactory(event=event, business=BusinessFactory(owner=owner), **kwargs)


def the_mail(application, kind, language):
    """The one e-mail of `kind` to this applicant, checked for its language."""
    event = application.event
    to = application.business.owner.email
    found = [m for m in mail.outbox if m.to == [to]]
    title = event.title_en if language == "en" else event.title
    matching = [m for m in found if title in m.subject]
    if language == "id":
        matching = [m for m in matching if SUBJECT_ID[kind] in m.subject]
    assert len(matching) == 1, [m.subject for m in found]
    message = matching[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<html lang="{language}">' in html
    # A working absolute link, in the recipient's language, in both parts.
    links = re.findall(re.escape(settings.SITE_URL) + r"/\S+", message.body)
    assert links, message.body
    for link in links:
        path = link.removeprefix(settings.SITE_URL)
        assert path.startswith("/en/") == (language == "en"), link
        assert f'href="{link}"' in html
    # The office's contact in the footer of both parts.
    assert settings.OFFICE_EMAIL in message.body and f"mailto:{settings.OFFICE_EMAIL}" in html
    return message


@pytest.fixture
def event(db):
    return BoothEventFactory(booths=1, title="Bazar Kabar", title_en="News Bazaar")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a change and its after-commit e-mail."""

    def go(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return go


def full(event, run):
    holder = BoothApplicationFactory(event=event)
    run(services.accept_application, application=holder, notify=False)
    return holder


@pytest.mark.parametrize("language", LANGUAGES)
def test_received_is_sent_in_the_owners_language(event, run, language):
    owner = UserFactory(language=language)
    business = BusinessFactory(owner=owner)
    application = run(services.apply_for_booth, event=event, business=business)
    the_mail(application, "received", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_waiting_is_sent_in_the_owners_language(event, run, language):
    application = applicant(event, language)
    run(services.waitlist_application, application=application)
    the_mail(application, "waiting", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_offered_is_sent_in_the_owners_language(event, run, language):
    holder = full(event, run)
    application = applicant(event, language)
    run(services.waitlist_application, application=application)
    mail.outbox.clear()
    _app, (offer,) = run(services.withdraw_application, application=holder)
    message = the_mail(application, "offered", language)
    assert offer.token in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_accepted_is_sent_in_the_owners_language(event, run, language):
    application = applicant(event, language)
    run(services.accept_application, application=application)
    the_mail(application, "accepted", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_lapsed_is_sent_in_the_owners_language(event, run, language):
    holder = full(event, run)
    application = applicant(event, language)
    run(services.waitlist_application, application=application)
    _app, (offer,) = run(services.withdraw_application, application=holder)
    mail.outbox.clear()
    run(services.expire_booth_offers, now=offer.expires_at + timedelta(seconds=1))
    application.refresh_from_db()
    assert application.status == BoothApplication.Status.LAPSED
    the_mail(application, "lapsed", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_rejected_is_sent_in_the_owners_language(event, run, language):
    application = applicant(event, language, staff_note="Produk belum sesuai tema.")
    run(services.reject_application, application=application)
    assert "Produk belum sesuai tema." in the_mail(application, "rejected", language).body


@pytest.mark.parametrize("language", LANGUAGES)
def test_withdrawn_is_sent_in_the_owners_language(event, run, language):
    application = applicant(event, language)
    run(services.withdraw_application, application=application)
    the_mail(application, "withdrawn", language)


def _change(event, run, **changes):
    old = {"old_status": event.status, "old_start": event.start, "old_end": event.end}
    for field, value in changes.items():
        setattr(event, field, value)
    event.save()
    return run(services.change_event, event=event, old_booths=event.booths, **old)


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_cancelled_is_sent_in_the_owners_language(event, run, language):
    application = applicant(event, language)
    run(services.accept_application, application=application, notify=False)
    _change(event, run, status=Event.Status.CANCELLED, status_reason="Banjir.")
    assert "Banjir." in the_mail(application, "event_cancelled", language).body


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_postponed_is_sent_in_the_owners_language(event, run, language):
    application = applicant(event, language)
    run(services.waitlist_application, application=application)
    mail.outbox.clear()
    _change(event, run, status=Event.Status.POSTPONED, status_reason="Cuaca.")
    the_mail(application, "event_postponed", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_event_moved_is_sent_in_the_owners_language(event, run, language):
    application = applicant(event, language)
    run(services.accept_application, application=application, notify=False)
    _change(event, run, start=event.start + timedelta(days=7), end=event.end + timedelta(days=7))
    message = the_mail(application, "event_moved", language)
    (attachment,) = message.attachments
    assert attachment[0].endswith(".ics") and "BEGIN:VEVENT" in attachment[1]


def test_a_draft_event_has_no_applicants_to_tell(db):
    draft = EventFactory(status=Event.Status.DRAFT, booths=5)
    with pytest.raises(ValidationError):
        services.apply_for_booth(event=draft, business=BusinessFactory())


# --- Delivery ------------------------------------------------------------------


def test_a_business_without_an_owner_account_gets_it_in_indonesian(event, run):
    business = BusinessFactory(owner=None, email="ikm@example.com")
    application = BoothApplicationFactory(event=event, business=business)
    run(services.accept_application, application=application)
    (message,) = mail.outbox
    assert message.to == ["ikm@example.com"] and "untuk Anda di Bazar Kabar" in message.subject


@pytest.mark.django_db(transaction=True)
@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
)
def test_the_request_queues_the_mail_and_the_worker_sends_it(client, owner, reference_data):
    event = BoothEventFactory(booths=1)
    application = BoothApplicationFactory(event=event, business=BusinessFactory(owner=owner))
    client.force_login(owner)
    response = client.post(f"/gerai/stan/{application.pk}/tarik/")
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the request
    # The write also queues the reports' refresh (missions.reports); the mail is its own task.
    row = DBTaskResult.objects.get(task_path="tangerang_ikm.tasks.send_email")
    assert row.args_kwargs["kwargs"]["to"] == [owner.email]
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    (message,) = mail.outbox
    assert message.alternatives[0][1] == "text/html"
