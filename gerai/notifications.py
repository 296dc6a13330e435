"""E-mail to booth applicants, in their language, through the task worker.

Each notice is `templates/gerai/email/<kind>_subject.txt` and `<kind>_body.txt`, sent
through the portal's one mail path (tangerang_ikm.mail: plain text + HTML, the action
link as a button, the office's contact in the footer, the WhatsApp link for owners who
chose it). docs/notifications.md lists every notice; tests/gerai/test_notifications.py
keeps that list complete.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gerai import feeds
from ikm_registry.notifications import tell_owner

# Kind → template. Keys are what services pass to `tell_applicant`.
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


def tell_applicant(application, kind, *, offer=None, with_ics=False):
    """Render a notice now, in the applicant's language, and queue it for sending."""
    event = application.event

    def path_for():
        # Called in the recipient's language (English pages live under /en/).
        if offer is not None:
            return offer.get_absolute_url()
        if kind.startswith("event_"):
            return event.get_absolute_url()
        return reverse("gerai:my_applications")

    attachments = []
    if with_ics:
        from ikm_registry.notifications import owner_recipient

        _to, language, _wa = owner_recipient(application.business)
        with translation.override(language):
            ics = feeds.build_calendar([event], request=None, name=event.display_title)
        attachments.append([f"{event.slug}.ics", ics.decode(), "text/calendar"])
    return tell_owner(
        application.business,
        APPLICANT_NOTICES[kind],
        context={"application": application, "event": event, "offer": offer},
        path_for=path_for,
        action_label=_("Jawab tawaran stan") if offer is not None else None,
        attachments=attachments,
    )
