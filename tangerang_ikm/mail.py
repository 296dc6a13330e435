"""One way to send the portal's e-mail: rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(*, to, template, context, language=None, reply_to=None):
    """Render `<template>_subject.txt` and `<template>_body.txt` and send them.

    `language` is the recipient's (their account's), not the request's: an
    owner who reads English gets English even when staff work in Indonesian.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.splitlines()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=reply_to,
    )
    message.send()
    return message
