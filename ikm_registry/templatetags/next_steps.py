"""The owner dashboard's first line: the one thing to do next."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ikm_registry.models import Business

register = template.Library()

# The business that most needs its owner comes first.
URGENCY = [
    Business.Status.RETURNED,
    Business.Status.DRAFT,
    Business.Status.SUBMITTED,
    Business.Status.VERIFIED,
]


@register.simple_tag
def dashboard_next_step(businesses):
    """{'text', 'url', 'link'} for the owner's next step across their businesses.

    No business yet: register one. Draft or returned: complete and submit. Submitted:
    wait for the officers. Verified: add products (and, in the template, apply for
    missions). `url` is empty when there is nothing to click.
    """
    businesses = list(businesses)
    if not businesses:
        return {
            "text": _(
                "Daftarkan usaha Anda. Data dapat disimpan sebagai draf dan dilengkapi nanti."
            ),
            "url": reverse("ikm_registry:business_create"),
            "link": _("Daftarkan usaha"),
        }
    business = min(businesses, key=lambda b: URGENCY.index(b.status))
    detail = reverse("ikm_registry:business_detail", args=[business.pk])
    if business.status == Business.Status.RETURNED:
        return {
            "text": _("%(name)s dikembalikan petugas: perbaiki sesuai catatan, lalu ajukan lagi.")
            % {"name": business.name},
            "url": detail,
            "link": _("Perbaiki dan ajukan"),
        }
    if business.status == Business.Status.DRAFT:
        return {
            "text": _("Lengkapi data %(name)s, lalu ajukan verifikasi.") % {"name": business.name},
            "url": detail,
            "link": _("Lengkapi dan ajukan"),
        }
    if business.status == Business.Status.SUBMITTED:
        return {
            "text": _(
                "%(name)s menunggu verifikasi petugas Disperindag. Anda akan dikabari lewat e-mail."
            )
            % {"name": business.name},
            "url": "",
            "link": "",
        }
    return {
        "text": _("%(name)s sudah terverifikasi: tambahkan produk dan daftarlah ke misi dagang.")
        % {"name": business.name},
        "url": reverse("ikm_registry:product_create", args=[business.pk]),
        "link": _("Tambah produk"),
        "verified": True,
    }
