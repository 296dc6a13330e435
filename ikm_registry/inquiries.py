"""Buyer inquiries: storing one, telling the owner and the office, rate limits, answering."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ikm_registry.models import Business, Inquiry
from tangerang_ikm.mail import send_templated_mail

# (how many, per seconds). Settings may override either.
DEFAULT_IP_LIMIT = (10, 60 * 60)
DEFAULT_EMAIL_LIMIT = (5, 60 * 60)


def _key(kind, value):
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"inquiry-rate:{kind}:{digest}"


def _limit(name, default):
    return getattr(settings, name, default)


def _over(kind, value, limit):
    if not value:
        return False
    count, _seconds = limit
    return (cache.get(_key(kind, value)) or 0) >= count


def _count(kind, value, limit):
    if not value:
        return
    _count_max, seconds = limit
    key = _key(kind, value)
    # add() starts the window only once; incr() is atomic on Redis and Memcached.
    cache.add(key, 0, timeout=seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=seconds)


def over_ip_limit(ip):
    return _over("ip", ip, _limit("INQUIRY_RATE_LIMIT_IP", DEFAULT_IP_LIMIT))


def over_email_limit(email):
    return _over("email", email, _limit("INQUIRY_RATE_LIMIT_EMAIL", DEFAULT_EMAIL_LIMIT))


def submit_inquiry(*, form, business, product=None, language="id", ip=""):
    """Store a valid InquiryForm's inquiry, count it against the limits, send the e-mails."""
    with transaction.atomic():
        inquiry = form.save(commit=False)
        inquiry.business = business
        inquiry.product = product
        inquiry.language = language
        inquiry.save()
    _count("ip", ip, _limit("INQUIRY_RATE_LIMIT_IP", DEFAULT_IP_LIMIT))
    _count("email", inquiry.email, _limit("INQUIRY_RATE_LIMIT_EMAIL", DEFAULT_EMAIL_LIMIT))
    notify(inquiry)
    return inquiry


def notify(inquiry):
    """E-mail the owner (in their language, reply-to the buyer) and the office."""
    business = inquiry.business
    context = {"inquiry": inquiry, "business": business, "product": inquiry.product}
    owner = business.owner
    if owner is not None and owner.email:
        to, language = [owner.email], owner.language
    elif business.email:
        to, language = [business.email], settings.LANGUAGE_CODE
    else:
        to, language = [], None
    if to:
        send_templated_mail(
            to=to,
            template="ikm_registry/email/inquiry_owner",
            context=context,
            language=language,
            reply_to=[inquiry.email],
        )
    send_templated_mail(
        to=[settings.OFFICE_EMAIL],
        template="ikm_registry/email/inquiry_office",
        context={**context, "owner_notified": bool(to)},
        language=settings.LANGUAGE_CODE,
        reply_to=[inquiry.email],
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
