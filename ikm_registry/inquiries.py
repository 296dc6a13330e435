"""Buyer inquiries: storing one, telling the owner and the office, answering.

Rate limits are the inquiry form's (tangerang_ikm.forms.GuardedFormMixin)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ikm_registry.models import Business, Inquiry
from ikm_registry.notifications import owner_recipient
from tangerang_ikm.mail import send_templated_mail


def submit_inquiry(*, form, business, product=None, language="id"):
    """Store a valid InquiryForm's inquiry and send the e-mails."""
    with transaction.atomic():
        inquiry = form.save(commit=False)
        inquiry.business = business
        inquiry.product = product
        inquiry.language = language
        inquiry.save()
    notify(inquiry)
    return inquiry


def notify(inquiry):
    """E-mail the owner (in their language, reply-to the buyer), the office, and the buyer.

    The buyer's acknowledgement, in the language they wrote in, repeats what they sent,
    says who will answer, and ends with the office's contact (the shared footer).
    """
    business = inquiry.business
    context = {"inquiry": inquiry, "business": business, "product": inquiry.product}
    to, language, whatsapp = owner_recipient(business)
    if to:
        send_templated_mail(
            to=to,
            template="ikm_registry/email/inquiry_owner",
            context=context,
            language=language,
            reply_to=[inquiry.email],
            whatsapp=whatsapp,
        )
    send_templated_mail(
        to=[settings.OFFICE_EMAIL],
        template="ikm_registry/email/inquiry_office",
        context={**context, "owner_notified": bool(to)},
        language=settings.LANGUAGE_CODE,
        reply_to=[inquiry.email],
    )
    send_templated_mail(
        to=[inquiry.email],
        template="ikm_registry/email/inquiry_received",
        context={**context, "owner_notified": bool(to)},
        language=inquiry.language or settings.LANGUAGE_CODE,
        reply_to=[settings.OFFICE_EMAIL],
    )


def inquiries_for_owner(user):
    """The one way in for an owner: inquiries to the businesses they own."""
    return Inquiry.objects.filter(business__in=Business.objects.owned_by(user))


def mark_answered(inquiry):
    if inquiry.status != Inquiry.Status.ANSWERED:
        inquiry.status = Inquiry.Status.ANSWERED
        inquiry.answered_at = timezone.now()
        inquiry.save(update_fields=["status", "answered_at"])
    return inquiry
