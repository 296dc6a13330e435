"""Background work through Django's tasks framework (django.tasks).

TASKS_BACKEND=immediate runs a task inside the request (quick start, tests);
TASKS_BACKEND=database queues it as a row in PostgreSQL (django-tasks-db) that
``manage.py db_worker`` runs. A row written while no worker runs waits for one:
nothing is lost.

django-tasks-db does not retry by itself, so a task that may fail (sending e-mail)
catches its error, queues its own next attempt with a growing delay through
``retry_later()`` and re-raises, so the failed attempt stays visible in the admin
("Task results") with its traceback.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

MAIL_MAX_ATTEMPTS = 6
# Delays before attempts 2, 3, …: 1 min, 5 min, 15 min, 1 h, 3 h.
RETRY_DELAYS = (60, 300, 900, 3600, 10800)


def retry_delay(attempt):
    """Seconds to wait before attempt number `attempt + 1`."""
    return RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]


def retry_later(task_obj, *, attempt, max_attempts, **kwargs):
    """Queue attempt `attempt + 1` of `task_obj` after a back-off; False when none is left.

    On a backend without deferred runs (ImmediateBackend) there is no worker to wait for,
    so no retry is queued: the failure is logged and the request carries on.
    """
    if attempt >= max_attempts:
        logger.error("%s failed for the last time (attempt %s)", task_obj.name, attempt)
        return False
    backend = task_obj.get_backend()
    if not backend.supports_defer:
        logger.error("%s failed; %s cannot retry later", task_obj.name, type(backend).__name__)
        return False
    run_after = timezone.now() + timedelta(seconds=retry_delay(attempt))
    task_obj.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
    logger.warning("%s failed (attempt %s); retrying at %s", task_obj.name, attempt, run_after)
    return True


@task()
def send_email(
    *,
    subject,
    body,
    to,
    html=None,
    attachments=(),
    from_email=None,
    reply_to=None,
    attempt=1,
):
    """Send one already rendered e-mail; on failure, retry later (see retry_later).

    `html` is the HTML alternative of `body`; `attachments` are [filename, text, mimetype]
    triples (plain JSON, as the database task backend stores arguments).
    """
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to) if reply_to else None,
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception:
        retry_later(
            send_email,
            attempt=attempt,
            max_attempts=MAIL_MAX_ATTEMPTS,
            subject=subject,
            body=body,
            html=html,
            attachments=[list(a) for a in attachments],
            to=list(to),
            from_email=from_email,
            reply_to=list(reply_to) if reply_to else None,
        )
        raise
    return {"to": list(to), "attempt": attempt}
