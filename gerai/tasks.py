"""The background task that sends gerai's e-mail: plain text, HTML and attachments.

`tangerang_ikm.tasks.send_email` carries plain text only; booth and event notices
need an HTML part and, when an event moves, its .ics. Arguments are plain JSON
(strings and lists), as the database task backend stores them.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task

from tangerang_ikm.tasks import MAIL_MAX_ATTEMPTS, retry_later


@task()
def send_rich_email(*, subject, body, html, to, attachments=(), attempt=1):
    """Send one rendered e-mail; `attachments` are [filename, text, mimetype] triples."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=list(to)
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception:
        retry_later(
            send_rich_email,
            attempt=attempt,
            max_attempts=MAIL_MAX_ATTEMPTS,
            subject=subject,
            body=body,
            html=html,
            to=list(to),
            attachments=[list(a) for a in attachments],
        )
        raise
    return {"to": list(to), "attempt": attempt}
