"""E-mail leaves the request through a task: queued, sent by the worker, retried on failure."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tangerang_ikm.mail import send_templated_mail
from tangerang_ikm.tasks import MAIL_MAX_ATTEMPTS, retry_delay

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
BROKEN = {"default": {"BACKEND": "tests.portal.test_mail_tasks.BrokenBackend"}}


class BrokenBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp.example.org:587 refused the connection")


def send(user):
    return send_templated_mail(
        to=[user.email],
        template="account/email/confirm",
        context={"user": user, "link": "https://ikm.example/konfirmasi/x/"},
        language=user.language,
    )


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.mark.django_db
def test_immediate_backend_sends_inside_the_request(owner):
    result = send(owner)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "Konfirmasi" in mail.outbox[0].subject or "konfirmasi" in mail.outbox[0].body


@pytest.mark.django_db
def test_rendered_in_the_recipients_language_not_the_requests(owner):
    owner.language = "en"
    owner.save()
    from django.utils import translation

    with translation.override("id"):
        send(owner)
    english = mail.outbox[0]
    owner.language = "id"
    with translation.override("en"):
        send(owner)
    indonesian = mail.outbox[1]
    assert english.subject != indonesian.subject
    assert english.body != indonesian.body


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, MAILERS=LOCMEM)
def test_queued_while_no_worker_runs_then_sent_once_it_starts(owner):
    result = send(owner)
    assert result.status == TaskResultStatus.READY
    assert mail.outbox == []
    row = DBTaskResult.objects.get(id=result.id)
    # Only rendered text travels: the task can run on another machine, later.
    assert row.task_path == "tangerang_ikm.tasks.send_email"
    assert row.args_kwargs["kwargs"]["to"] == [owner.email]

    run_worker()
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    # Run again: nothing is sent twice.
    run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_send_is_retried_later_until_it_goes_through(owner, settings):
    settings.MAILERS = BROKEN
    first = send(owner)
    run_worker()

    failed = DBTaskResult.objects.get(id=first.id)
    assert failed.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError" in failed.exception_class_path
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=retry_delay(1) - 5)
    # Not before its time.
    run_worker()
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.READY

    settings.MAILERS = LOCMEM
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, MAILERS=BROKEN)
def test_retries_stop_after_the_last_attempt(owner):
    send(owner)
    for _ in range(MAIL_MAX_ATTEMPTS + 2):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
        run_worker()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == MAIL_MAX_ATTEMPTS
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_backoff_grows():
    delays = [retry_delay(n) for n in range(1, MAIL_MAX_ATTEMPTS)]
    assert delays == sorted(delays)
    assert delays[0] >= 60
