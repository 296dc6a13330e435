"""Gerai's part of the staff digest (ikm_registry/digest.py)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gerai.models import BoothApplication, BoothOffer
from ikm_registry.digest import ITEMS_SHOWN, Section, admin_list_path, section


@section
def booth_applications_to_decide(now):
    waiting = BoothApplication.objects.filter(status=BoothApplication.Status.APPLIED)
    rows = waiting.select_related("business", "event").order_by("pk")[:ITEMS_SHOWN]
    return Section(
        title=_("Pendaftaran stan menunggu keputusan"),
        permission="gerai.change_boothapplication",
        count=waiting.count(),
        items=[f"{a.event.display_title}: {a.business.name}" for a in rows],
        path=admin_list_path(BoothApplication, status__exact="applied"),
    )


@section
def booth_offers_lapsing(now):
    """Open offers whose deadline falls within the next day."""
    lapsing = BoothOffer.objects.open().filter(expires_at__lte=now + timedelta(days=1))
    rows = lapsing.select_related("application__business", "application__event").order_by(
        "expires_at"
    )[:ITEMS_SHOWN]
    return Section(
        title=_("Tawaran stan gugur dalam 24 jam"),
        permission="gerai.change_boothoffer",
        count=lapsing.count(),
        items=[
            f"{timezone.localtime(o.expires_at):%d/%m %H.%M}: "
            f"{o.application.business.name} ({o.application.event.display_title})"
            for o in rows
        ],
        path=admin_list_path(BoothOffer, state__exact="open"),
    )
