"""One way to send the portal's e-mail: rendered in the recipient's language, sent by a task."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_templated_mail(*, template, context, language=None):
    """Return (subject, body) of `<template>_subject.txt` / `_body.txt` in `language`."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.splitlines()), body


def send_templated_mail(*, to, template, context, language=None, reply_to=None):
    """Render `<template>_subject.txt` and `<template>_body.txt` now, send them in the background.

    `language` is the recipient's (their account's), not the request's: an owner who
    reads English gets English even when staff work in Indonesian. Rendering happens
    here, in the request, so the task carries only plain text (no model instances); the
    `send_email` task sends it and retries on failure. Returns the task result: with the
    immediate backend (quick start, tests) the mail is already sent (`mail.outbox` in
    tests); with the database backend it waits for `manage.py db_worker`.
    """
    from tangerang_ikm.tasks import send_email

    subject, body = render_templated_mail(template=template, context=context, language=language)
    return send_email.enqueue(
        subject=subject,
        body=body,
        to=list(to),
        from_email=settings.DEFAULT_FROM_EMAIL,
        reply_to=list(reply_to) if reply_to else None,
    )
