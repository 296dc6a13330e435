"""What a foreign buyer checks on a public page before writing (issue #23): every
certificate with its number, issuer and validity, the export history by country, and the
rupiah prices' indicative dollar figure. Each is read in one query, whatever the counts,
so the public pages keep a fixed number of queries.

Never personal data: certificates give their number, issuer and end date, never the scan
(that stays behind `certificate_document`, for the owner and staff).
"""

from ikm_registry.models import Certificate
from ikm_registry.pricing import indicative_usd, usd_rate


def public_certificates(business):
    """The business's certificates: the ones that still count first, then the expired."""
    certificates = Certificate.objects.filter(business=business).only(
        "pk", "business_id", "kind", "number", "issuer", "valid_until"
    )
    return sorted(certificates.order_by("kind", "valid_until", "pk"), key=lambda c: c.is_expired)


def export_history(business):
    """[(country, [years, oldest first])], the most recent destination first."""
    by_country = {}
    for record in business.exports.order_by("-year", "country"):
        by_country.setdefault(record.country.code, (record.country, []))[1].append(record.year)
    return [(country, sorted(years)) for country, years in by_country.values()]


def business_trust(business):
    """The business profile's context for the buyer's checks (2 queries)."""
    return {
        "certificate_list": public_certificates(business),
        "export_history": export_history(business),
    }


def product_trust(product):
    """The product page's context: the profile's, and the price in US$ (3 queries)."""
    return {
        **business_trust(product.business),
        "indicative_usd": indicative_usd(product, usd_rate()),
    }
