"""What a foreign buyer checks on a public page before writing (issue #23): every
certificate with its number, issuer and validity, the export history by country, and the
rupiah prices' indicative dollar figure. The certificates and exports come from the
business's stored public facts (facts.py), read with the business: no query of their own.

Never personal data: certificates give their number, issuer and end date, never the scan
(that stays behind `certificate_document`, for the owner and staff).
"""

from ikm_registry import facts
from ikm_registry.pricing import indicative_usd, usd_rate


def business_trust(business):
    """The business profile's context for the buyer's checks (no query)."""
    return {
        "commodities": facts.commodities(business),
        "certificate_list": facts.certificates(business),
        "export_history": facts.export_history(business),
    }


def product_trust(product):
    """The product page's context: the profile's, and the price in US$ (the day's rate is
    kept in the cache: no query when it is there)."""
    return {
        **business_trust(product.business),
        "indicative_usd": indicative_usd(product, usd_rate()),
    }
