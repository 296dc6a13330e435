"""Product cards written in Python: `{% product_cards products %}` (and the IKM
directory's: `{% business_cards businesses %}`).

A catalog page shows 24 cards. Through `{% include "_product_card.html" %}` in a loop,
each card was its own template render (a context push, two `{% url %}` reversals, five
filters), and the cards were three quarters of the page's rendering. Here the parts
that are the same for every card (the two URL patterns, the translated words, the
language) are worked out once per list, and each card is one format_html call.

The markup is the card template's: tests/ikm_registry/test_catalog_queries.py compares
the two for cards with and without photos, minimum orders and English names.
"""

from django import template
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ikm_registry import facts
from ikm_registry.templatetags.catalog_tags import photo_alt
from tangerang_ikm.templatetags.portal import format_number, picture_html

register = template.Library()

_SLUG = "--slug--"  # reversed once, then each card's slug is put in its place
_CARD = (
    '\n<li class="card product-card">\n  {}\n'
    '  <h2><a href="{}">{}</a></h2>\n'
    '  <p class="muted">{} · <a href="{}">{}</a>, {}</p>\n'
    "  <p>\n    {}\n    {}\n  </p>\n</li>\n"
)
_PLACEHOLDER = '<div class="photo-placeholder" aria-hidden="true">{}</div>'


def _localized(obj, field, english):
    if english:
        text = getattr(obj, f"{field}_en", "")
        if text:
            return text
    return getattr(obj, field, "")


def _url_maker(name):
    prefix, _sep, suffix = reverse(name, args=[_SLUG]).partition(_SLUG)
    return lambda slug: prefix + slug + suffix


@register.simple_tag
def product_cards(products):
    """The `<li>` of each product, as _product_card.html writes it.

    Each product needs `category`, `business__desa__kecamatan` (select_related) and the
    `cover_image`/`cover_thumbnail`/`cover_alt` annotations of catalog.public_products().

    Each card is str.format over parts escaped here (format_html escaped every part
    again); what cards share (a category's name, a business's link and place) is
    escaped once per list.
    """
    english = (get_language() or "id").startswith("en")
    product_url = _url_maker("ikm_registry:catalog_product")
    business_url = _url_maker("ikm_registry:directory_business")
    export_badge = format_html('<span class="badge">{}</span>', _("Siap ekspor"))
    minimum = escape(_("Min."))
    categories = {}  # category pk -> (escaped name, placeholder)
    businesses = {}  # business pk -> (escaped link, name, kecamatan)
    cards = []
    for product in products:
        category = product.category
        if category.pk not in categories:
            text = _localized(category, "name", english)
            categories[category.pk] = (escape(text), format_html(_PLACEHOLDER, text[:1]))
        category_name, placeholder = categories[category.pk]
        business = product.business
        if business.pk not in businesses:
            businesses[business.pk] = (
                escape(business_url(business.slug)),
                escape(business.name),
                escape(business.desa.kecamatan.name),
            )
        link, business_name, kecamatan = businesses[business.pk]
        if product.cover_thumbnail:
            # The AVIF thumbnail, the display-size JPEG for browsers without AVIF.
            picture = (
                picture_html(
                    default_storage.url(product.cover_thumbnail),
                    default_storage.url(product.cover_image) if product.cover_image else "",
                    photo_alt(product),
                    320,
                    240,
                )
                + "\n  "
            )
        else:
            picture = placeholder
        if product.min_order:
            min_order = (
                f'<span class="badge badge-muted">{minimum} '
                f"{escape(format_number(product.min_order))} {escape(product.unit)}</span>"
            )
        else:
            min_order = ""
        cards.append(
            _CARD.format(
                picture,
                escape(product_url(product.slug)),
                escape(_localized(product, "name", english)),
                category_name,
                link,
                business_name,
                kecamatan,
                export_badge if product.export_ready else "",
                min_order,
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 - every part is escaped or format_html


_BUSINESS_CARD = (
    '\n<li class="card">\n'
    '  <h2><a href="{}">{}</a></h2>\n'
    '  <p class="muted">{} {}{}</p>\n'
    "  <p>{}</p>\n"
    "  {}\n"
    '  <p class="muted">{}</p>\n'
    "</li>\n"
)


@register.simple_tag
def business_cards(businesses):
    """The `<li>` of each business of the IKM directory, as _business_card.html writes it
    (compared byte for byte by tests/ikm_registry/test_catalog_queries.py): through the
    template, the directory's 24 cards were most of its rendering.

    Each business needs `desa__kecamatan` (select_related), its `public_facts` (for the
    commodities) and the `public_products` annotation of catalog.business_list.

    As product_cards: str.format over escaped parts; a size class's label, a
    commodity's badge and a product count's words are worked out once per list.
    """
    english = (get_language() or "id").startswith("en")
    business_url = _url_maker("ikm_registry:directory_business")
    kecamatan_word = escape(_("Kecamatan"))
    sizes = {"": ""}  # size class -> " · Label"
    badges = {}  # commodity slug -> its badge
    counts = {}  # number of products -> "3 produk"
    cards = []
    for business in businesses:
        size = business.size_class or ""
        if size not in sizes:
            sizes[size] = " · " + escape(capfirst(str(business.get_size_class_display())))
        commodities = []
        for commodity in facts.commodities(business):
            if commodity.slug not in badges:
                name = escape(_localized(commodity, "name", english))
                badges[commodity.slug] = f'<span class="badge">{name}</span> '
            commodities.append(badges[commodity.slug])
        text = _localized(business, "description", english)
        description = f"<p>{escape(Truncator(text).words(30, truncate=' …'))}</p>" if text else ""
        count = business.public_products or 0
        if count not in counts:
            counts[count] = escape(
                ngettext("%(counter)s produk", "%(counter)s produk", count)
                % {"counter": localize(count)}
            )
        cards.append(
            _BUSINESS_CARD.format(
                escape(business_url(business.slug)),
                escape(business.name),
                kecamatan_word,
                escape(business.desa.kecamatan.name),
                sizes[size],
                "".join(commodities),
                description,
                counts[count],
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 - every part is escaped above
