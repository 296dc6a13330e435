"""Who gets an owner's notice, in which language, with or without the WhatsApp link.

Shared by ikm_registry, missions and gerai (both depend on this app): the owner's account
address and language, else the business's own address in Indonesian.
"""

from django.conf import settings

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
