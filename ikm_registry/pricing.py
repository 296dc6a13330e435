"""An indicative US-dollar figure beside a product's rupiah prices, from the rate table.

The rate table is the missions app's (`missions.ExchangeRate`, kept by staff from Bank
Indonesia's rates or the office's own). The registry does not import the missions app
(dependencies point missions → ikm_registry), so the model is looked up by name, as
ContactLog's lazy reference to a mission does. The rupiah price stays the offer: the
dollar figure is labelled indicative, with the rate's date and source, and is left out
when no rate is in force (`ExchangeRate.objects.on`: that day's or the week before's).

Every product page of a day shows the same rate, so the row is kept per day in the
"exchange-rates" data-version area, which signals.py bumps on every write to the table.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.utils import timezone

from tangerang_ikm.cache import cached

CENT = Decimal("0.01")
RATES_AREA = "exchange-rates"
RATES_TIMEOUT = 3600


@dataclass(frozen=True)
class IndicativePrice:
    low: Decimal | None  # US$ for price_min
    high: Decimal | None  # US$ for price_max
    rate: Decimal  # rupiah for one US$
    date: date
    source: str  # the rate's source, as its label says it

    @property
    def first(self):
        return self.low if self.low is not None else self.high

    @property
    def second(self):
        """The top of the range, when there is one."""
        if self.low is None or self.high is None or self.low == self.high:
            return None
        return self.high


def rate_model():
    """missions.ExchangeRate, or None in a deployment without the missions app."""
    try:
        return apps.get_model("missions", "ExchangeRate")
    except LookupError:
        return None


def usd_rate(on=None):
    """The US-dollar row of the rate table in force on `on` (today), or None.

    Kept per day until the rate table changes (RATES_AREA): no query on most pages."""
    ExchangeRate = rate_model()
    if ExchangeRate is None:
        return None
    day = on or timezone.localdate()
    return cached(
        RATES_AREA,
        f"USD:{day.isoformat()}",
        lambda: ExchangeRate.objects.on("USD", day),
        RATES_TIMEOUT,
        per_language=False,
    )


def to_usd(rupiah, rate):
    if rupiah is None:
        return None
    return (Decimal(rupiah) / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def indicative_usd(product, rate):
    """`product`'s rupiah prices in US$ at `rate` (a rate-table row), or None."""
    if rate is None or (product.price_min is None and product.price_max is None):
        return None
    return IndicativePrice(
        low=to_usd(product.price_min, rate.rate_to_idr),
        high=to_usd(product.price_max, rate.rate_to_idr),
        rate=rate.rate_to_idr,
        date=rate.date,
        source=rate.get_source_display(),
    )
