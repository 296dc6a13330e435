"""schema.org descriptions of public catalog pages, as dicts for tangerang_ikm.jsonld.

A product is a `Product` sold by its IKM (its brand), made in Indonesia, with its price
range as an offer in rupiah. An IKM is an `Organization` located by desa and kecamatan,
serving the regency and the countries it has exported to. Only what the public profile
shows goes in: never the owner's name, NIK, NIB, phone, e-mail or street.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import get_language

IN_STOCK = "https://schema.org/InStock"


def _localized(obj, field):
    if (get_language() or "id").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field, "")


def _amount(value):
    """A schema.org number: digits and a point, no trailing zeros ("25000", "2.5")."""
    return format(Decimal(value).normalize(), "f")


def place_address(desa):
    """The PostalAddress of a desa: desa, kecamatan, Kabupaten Tangerang, Banten, ID."""
    return {
        "@type": "PostalAddress",
        "addressLocality": f"{desa.name}, Kecamatan {desa.kecamatan.name}, Kabupaten Tangerang",
        "addressRegion": "Banten",
        "addressCountry": "ID",
    }


def product_offer(product, *, url):
    """The product's price as an Offer (one price) or AggregateOffer (a range), or None."""
    low, high = product.price_min, product.price_max
    if low is None and high is None:
        return None
    offer = {"priceCurrency": "IDR", "availability": IN_STOCK, "url": url}
    if low is not None and high is not None and low != high:
        offer.update({"@type": "AggregateOffer", "lowPrice": _amount(low)})
        offer["highPrice"] = _amount(high)
    else:
        offer.update({"@type": "Offer", "price": _amount(low if low is not None else high)})
    if product.min_order:
        offer["eligibleQuantity"] = {
            "@type": "QuantitativeValue",
            "minValue": _amount(product.min_order),
            "unitText": product.unit,
        }
    return offer


def product_json_ld(product, *, photos, absolute):
    """schema.org Product. `absolute(path)` makes a URL absolute; `photos` are the
    product's photos in page order; the product needs business__desa__kecamatan."""
    business = product.business
    url = absolute(reverse("ikm_registry:catalog_product", args=[product.slug]))
    business_url = absolute(reverse("ikm_registry:directory_business", args=[business.slug]))
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": _localized(product, "name"),
        "url": url,
        "category": _localized(product.category, "name"),
        "brand": {"@type": "Brand", "name": business.name},
        "manufacturer": {"@type": "Organization", "name": business.name, "url": business_url},
        "countryOfOrigin": {"@type": "Country", "name": "Indonesia", "identifier": "ID"},
    }
    description = _localized(product, "description")
    if description:
        data["description"] = description
    images = [absolute(photo.image.url) for photo in photos if photo.image]
    if images:
        data["image"] = images
    offer = product_offer(product, url=url)
    if offer:
        offer["seller"] = {"@type": "Organization", "name": business.name}
        data["offers"] = offer
    return data


def business_json_ld(business, *, commodities, countries, absolute):
    """schema.org Organization for an IKM's public page. `countries` are the
    django-countries Country objects it has exported to."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": business.name,
        "url": absolute(reverse("ikm_registry:directory_business", args=[business.slug])),
        "address": place_address(business.desa),
        "areaServed": [{"@type": "AdministrativeArea", "name": "Kabupaten Tangerang"}]
        + [{"@type": "Country", "name": c.name, "identifier": c.code} for c in countries],
    }
    description = _localized(business, "description")
    if description:
        data["description"] = description
    if business.logo:
        data["logo"] = absolute(business.logo.url)
    if business.founded_year:
        data["foundingDate"] = str(business.founded_year)
    if commodities:
        data["knowsAbout"] = [_localized(c, "name") for c in commodities]
    if business.website:
        data["sameAs"] = [business.website]
    return data
