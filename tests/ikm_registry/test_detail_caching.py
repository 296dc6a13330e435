"""What the public product, IKM and event pages keep between requests is never stale: the
day's US$ rate (pricing.usd_rate) is read once per data version of the rate table, and a
write to the table shows on the next page at once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.ikm_registry import catalog_fixtures
from tests.ikm_registry.test_trust import usd
from tests.queries import count_queries

catalog_world = catalog_fixtures.catalog_world

pytestmark = pytest.mark.django_db


def product_url(world):
    return reverse("ikm_registry:catalog_product", args=[world.basket.slug])


def test_the_rate_is_read_once_and_a_new_rate_shows_at_once(client, catalog_world):
    basket = catalog_world.basket
    basket.price_min, basket.price_max = Decimal("80000"), Decimal("160000")
    basket.save()
    url = product_url(catalog_world)
    cold = count_queries(client, url)
    assert count_queries(client, url) == cold - 1  # the day's rate (none) is kept
    assert "Perkiraan dalam dolar AS" not in client.get(url).content.decode()

    row = usd("16000", days_ago=1)
    assert count_queries(client, url) == cold  # the write dropped it: read again
    page = client.get(url).content.decode()
    assert "Rp16.000 per US$" in page
    assert count_queries(client, url) == cold - 1

    row.rate_to_idr = Decimal("15000")
    row.save()
    assert "Rp15.000 per US$" in client.get(url).content.decode()

    usd("17000")  # today's rate replaces yesterday's
    assert "Rp17.000 per US$" in client.get(url).content.decode()

    from missions.models import ExchangeRate

    ExchangeRate.objects.filter(rate_to_idr=Decimal("17000")).get().delete()
    assert "Rp15.000 per US$" in client.get(url).content.decode()
    row.delete()
    assert "Perkiraan dalam dolar AS" not in client.get(url).content.decode()


def test_the_rate_is_kept_per_day(catalog_world):
    from datetime import timedelta

    from django.utils import timezone

    from ikm_registry.pricing import usd_rate

    usd("16000", days_ago=10)
    today = timezone.localdate()
    assert usd_rate() is None
    assert usd_rate(today - timedelta(days=5)).rate_to_idr == Decimal("16000")
    assert usd_rate() is None
