"""Who gets an owner's notice, in which language, with or without the WhatsApp link.

Shared by ikm_registry, missions and gerai (both depend on this app): the owner's account
address and language, else the business's own address in Indonesian.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ikm_registry.models import Certificate
from tangerang_ikm.mail import send_templated_mail


def owner_recipient(business):
    """(addresses, language, whatsapp) for notices to the owner of `business`."""
    owner = business.owner
    if owner is not None and owner.email:
        return [owner.email], owner.language or settings.LANGUAGE_CODE, owner.whatsapp_link
    if business.email:
        return [business.email], settings.LANGUAGE_CODE, False
    return [], settings.LANGUAGE_CODE, False


def tell_owner(business, template, *, context=None, path_for=None, **kwargs):
    """Render `template` in the owner's language and queue it.

    `path_for(language)` gives the action link's path; it is called with the recipient's
    language active, so `reverse()` inside it lands an English reader on /en/.
    """
    from django.utils import translation

    to, language, whatsapp = owner_recipient(business)
    if not to:
        return None
    action_url = None
    if path_for is not None:
        with translation.override(language):
            action_url = settings.SITE_URL + path_for()
    return send_templated_mail(
        to=to,
        template=template,
        context={"business": business, **(context or {})},
        language=language,
        action_url=action_url,
        whatsapp=whatsapp,
        **kwargs,
    )


# --- Certificates about to expire ----------------------------------------------------


def send_certificate_reminders(*, today=None):
    """E-mail owners 60 and 14 days before a certificate expires: once each per expiry date.

    Run daily by `manage.py send_certificate_reminders`. A day missed is caught up: a
    certificate inside a window gets that window's notice (a certificate added 30 days
    before its expiry gets the 60-day notice at once, saying 30 days). Each notice is
    claimed by a conditional update of the certificate's row and queued in the same
    transaction, so two runs at once send it once, and renewing a certificate (a new
    expiry date) arms both notices again. Returns [(certificate, days left)] sent.
    """
    today = today or timezone.localdate()
    sent = []
    for stage in Certificate.EXPIRY_NOTICE_DAYS:
        due = (
            Certificate.objects.expiry_notice_due(stage, today=today)
            .select_related("business__owner")
            .order_by("valid_until", "pk")
        )
        for certificate in due:
            if _send_expiry_notice(certificate, stage, today):
                sent.append((certificate, (certificate.valid_until - today).days))
    return sent


def _send_expiry_notice(certificate, stage, today):
    business = certificate.business
    if not owner_recipient(business)[0]:
        return False  # nobody to tell yet: left unclaimed, for when an address is added
    field = Certificate.expiry_notice_field(stage)
    with transaction.atomic():
        claimed = (
            Certificate.objects.filter(pk=certificate.pk, valid_until=certificate.valid_until)
            .exclude(**{field: certificate.valid_until})
            .update(**{field: certificate.valid_until})
        )
        if not claimed:
            return False  # another run sent it a moment ago, or the date just changed
        pk = certificate.pk
        tell_owner(
            business,
            "ikm_registry/email/certificate_expiring",
            context={"certificate": certificate, "days": (certificate.valid_until - today).days},
            path_for=lambda: reverse("ikm_registry:certificate_edit", args=[pk]),
        )
    return True
