"""Template helpers for the public catalog: English texts with Indonesian fallback, SEO."""

from django import template
from django.core.files.storage import default_storage
from django.db.models import Case, Sum, Value, When, Window
from django.urls import translate_url
from django.utils.translation import get_language

from ikm_registry import facts, inquiries, structured_data
from ikm_registry.models import Inquiry
from tangerang_ikm import jsonld

register = template.Library()


@register.filter
def public_commodities(business):
    """The business's commodities as its stored public facts give them (facts.py)."""
    return facts.commodities(business)


def _english():
    return (get_language() or "id").startswith("en")


@register.filter
def localized(obj, field):
    """`{{ product|localized:"name" }}`: the English text on English pages when the
    owner gave one, else the Indonesian text."""
    if obj is None:
        return ""
    if _english():
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")


@register.filter
def photo_alt(product, alt_text=""):
    """A product photo's alt text in the page's language: the owner's words (written in
    Indonesian) on Indonesian pages, the product's English name on English pages.
    `{{ product|photo_alt:photo.alt_text }}`; for a card, the annotated `cover_alt`."""
    if _english():
        return localized(product, "name")
    return alt_text or getattr(product, "cover_alt", "") or product.name


@register.simple_tag(takes_context=True)
def language_url(context, language):
    """This page's absolute URL in another language (for hreflang links)."""
    request = context["request"]
    return translate_url(request.build_absolute_uri(request.path), language)


@register.simple_tag(takes_context=True)
def absolute(context, url):
    return context["request"].build_absolute_uri(url) if url else ""


@register.simple_tag
def featured_products(count=6):
    """Verified products for the home page, export-ready first.

    Exactly one query, with or without products: the cover photo comes as annotations,
    so the home page's query count does not depend on the catalog.
    """
    from ikm_registry.catalog import public_products

    return list(public_products().order_by("-export_ready", "-created_at", "-pk")[:count])


@register.filter
def media_url(name):
    """The public URL of a stored file name (as annotated, without its FieldFile)."""
    return default_storage.url(name) if name else ""


@register.simple_tag
def dashboard_inquiries(user, count=5):
    """The owner's newest inquiries and how many are unanswered, in one query."""
    new = Case(When(status=Inquiry.Status.NEW, then=Value(1)), default=Value(0))
    qs = (
        inquiries.inquiries_for_owner(user)
        .select_related("business", "product")
        .annotate(new_total=Window(Sum(new)))
    )
    recent = list(qs[:count])
    return {"recent": recent, "new_count": recent[0].new_total if recent else 0}


@register.simple_tag(takes_context=True)
def product_json_ld(context):
    """The product page's schema.org Product (`product`, `photos` from the context)."""
    return jsonld.script(
        structured_data.product_json_ld(
            context["product"],
            photos=context.get("photos", []),
            absolute=context["request"].build_absolute_uri,
        )
    )


@register.simple_tag(takes_context=True)
def business_json_ld(context):
    """An IKM page's schema.org Organization (`business`, `commodities` and the
    `export_history` of trust.business_trust from the context)."""
    return jsonld.script(
        structured_data.business_json_ld(
            context["business"],
            commodities=context.get("commodities", []),
            countries=[country for country, _years in context.get("export_history", [])],
            absolute=context["request"].build_absolute_uri,
        )
    )
