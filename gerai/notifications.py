"""E-mail to booth applicants, in their language, through the task worker.

Each notice is `templates/gerai/email/<kind>_subject.txt` and `<kind>_body.txt`; the
HTML part is the same text in `gerai/email/message.html` with the action link as a
button, and both end with the office's contact (`_footer.txt`). docs/notifications.md
lists every notice; tests/gerai/test_notifications.py keeps that list complete.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from gerai import feeds

# Kind → (what happened, template). Keys are what services pass to `tell_applicant`.
APPLICANT_NOTICES = {
    "received": "gerai/email/received",
    "waiting": "gerai/email/waiting",
    "offered": "gerai/email/offered",
    "accepted": "gerai/email/accepted",
    "lapsed": "gerai/email/lapsed",
    "rejected": "gerai/email/rejected",
    "withdrawn": "gerai/email/withdrawn",
    "event_cancelled": "gerai/email/event_cancelled",
    "event_postponed": "gerai/email/event_postponed",
    "event_moved": "gerai/email/event_moved",
}


def recipient(application):
    """(addresses, language): the owner's account, else the business's own address."""
    business = application.business
    owner = business.owner
    if owner and owner.email:
        return [owner.email], owner.language or settings.LANGUAGE_CODE
    if business.email:
        return [business.email], settings.LANGUAGE_CODE
    return [], settings.LANGUAGE_CODE


def render_notice(*, kind, context, language):
    """(subject, text, html) of one notice in `language`."""
    template = APPLICANT_NOTICES[kind]
    context = {
        "site_url": settings.SITE_URL,
        "office_email": settings.OFFICE_EMAIL,
        **context,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context).strip()
        footer = render_to_string("gerai/email/_footer.txt", context).strip()
        html = render_to_string(
            "gerai/email/message.html",
            {**context, "subject": subject, "body": body, "language": language},
        )
    return subject, f"{body}\n\n-- \n{footer}\n", html


def tell_applicant(application, kind, *, offer=None, with_ics=False):
    """Render a notice now, in the applicant's language, and queue it for sending."""
    from gerai.tasks import send_rich_email

    to, language = recipient(application)
    if not to:
        return None
    event = application.event
    with translation.override(language):
        # Links in the recipient's language (English pages live under /en/).
        if offer is not None:
            path = offer.get_absolute_url()
        elif kind.startswith("event_"):
            path = event.get_absolute_url()
        else:
            path = reverse("gerai:my_applications")
    context = {
        "application": application,
        "event": event,
        "offer": offer,
        "action_url": settings.SITE_URL + path,
    }
    subject, body, html = render_notice(kind=kind, context=context, language=language)
    attachments = []
    if with_ics:
        with translation.override(language):
            ics = feeds.build_calendar([event], request=None, name=event.display_title)
        attachments.append([f"{event.slug}.ics", ics.decode(), "text/calendar"])
    return send_rich_email.enqueue(
        subject=subject, body=body, html=html, to=to, attachments=attachments
    )
