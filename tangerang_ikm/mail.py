"""One way to send the portal's e-mail: rendered in the recipient's language, sent by a task.

Every message has a plain-text part and an HTML part made from the same text, an absolute
link (in the body, and as a button when `action_url` is given) and the office's contact
in the footer of both parts. Owners who opted in (`User.whatsapp_link`) also get a
WhatsApp click-to-chat link (wa.me: no WhatsApp API). docs/notifications.md lists every
notice.
"""

from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def whatsapp_url(text):
    """A wa.me click-to-chat link carrying `text`: to the office's number when it is set."""
    number = "".join(ch for ch in settings.OFFICE_WHATSAPP if ch.isdigit())
    return (
        f"https://wa.me/{number}?text={quote(text)}"
        if number
        else f"https://wa.me/?text={quote(text)}"
    )


def render_mail(
    *, template, context, language=None, action_url=None, action_label=None, whatsapp=False
):
    """Return (subject, text, html) of `<template>_subject.txt` / `_body.txt` in `language`.

    The text ends with the office's contact (templates/emails/_footer.txt); the HTML part
    (templates/emails/message.html) is the same text with links made clickable.
    """
    language = language or settings.LANGUAGE_CODE
    context = {
        "site_url": settings.SITE_URL,
        "office_email": settings.OFFICE_EMAIL,
        "office_phone": settings.OFFICE_PHONE,
        "action_url": action_url,
        **context,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context).strip()
        wa_url = None
        if whatsapp:
            wa_url = whatsapp_url(f"{subject}\n{action_url or settings.SITE_URL}")
            body = f"{body}\n\n{translation.gettext('WhatsApp')}: {wa_url}"
        footer = render_to_string("emails/_footer.txt", context).strip()
        html = render_to_string(
            "emails/message.html",
            {
                **context,
                "subject": subject,
                "body": body,
                "language": language,
                "action_url": action_url,
                "action_label": action_label,
                "whatsapp_url": wa_url,
            },
        )
    return subject, f"{body}\n\n-- \n{footer}\n", html


def render_templated_mail(*, template, context, language=None):
    """Return (subject, text) of a notice, as `render_mail` renders them."""
    subject, text, _html = render_mail(template=template, context=context, language=language)
    return subject, text


def send_templated_mail(
    *,
    to,
    template,
    context,
    language=None,
    reply_to=None,
    action_url=None,
    action_label=None,
    attachments=(),
    whatsapp=False,
):
    """Render a notice now, in `language`, and send it in the background.

    `language` is the recipient's (their account's), not the request's: an owner who
    reads English gets English even when staff work in Indonesian. Rendering happens
    here, in the request, so the task carries only plain text (no model instances); the
    `send_email` task sends it and retries on failure. `attachments` are
    [filename, text, mimetype] triples. Returns the task result: with the immediate
    backend (quick start, tests) the mail is already sent (`mail.outbox` in tests); with
    the database backend it waits for `manage.py db_worker`.
    """
    from tangerang_ikm.tasks import send_email

    to = [address for address in to if address]
    if not to:
        return None
    subject, body, html = render_mail(
        template=template,
        context=context,
        language=language,
        action_url=action_url,
        action_label=action_label,
        whatsapp=whatsapp,
    )
    return send_email.enqueue(
        subject=subject,
        body=body,
        html=html,
        to=to,
        from_email=settings.DEFAULT_FROM_EMAIL,
        reply_to=list(reply_to) if reply_to else None,
        attachments=[list(a) for a in attachments],
    )
