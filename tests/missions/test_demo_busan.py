"""The demo Busan mission: a US$96.000 MoU with US$31.500 realised leaves US$64.500 open."""

from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from missions import reports
from missions.models import Deal, ExchangeRate, TradeMission


def test_busan_mou_keeps_its_unrealised_us_64_500_open(db, client, coordinator):
    call_command("seed_demo", stdout=StringIO())
    busan = TradeMission.objects.get(
        slug=f"business-matching-itpc-busan-{timezone.localdate().year}"
    )
    mou = Deal.objects.get(mission=busan, kind=Deal.Kind.POTENTIAL, currency="USD")
    assert mou.amount == Decimal("96000")
    row = reports.with_realised(Deal.objects.filter(pk=mou.pk)).get()
    assert row.r_usd == Decimal("31500.00")
    assert row.value_usd - row.r_usd == Decimal("64500.00")
    krw = Deal.objects.get(mission=busan, kind=Deal.Kind.POTENTIAL, currency="KRW")
    client.force_login(coordinator)
    body = client.get(reverse("missions:report", args=[busan.slug])).content.decode()
    # The MoU's US$64.500 plus the untouched KRW letter of intent, in dollars.
    expected = Decimal("64500.00") + krw.value_usd
    formatted = f"{expected:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert f"<dt>Potensi belum terealisasi (US$)</dt><dd>US${formatted}</dd>" in body
    assert ExchangeRate.objects.filter(currency="KRW").exists()  # the demo's rate table
