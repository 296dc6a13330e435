"""The missions' part of the staff digest (ikm_registry/digest.py)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ikm_registry.digest import ITEMS_SHOWN, Section, admin_list_path, section
from missions.models import Deal, Participation


@section
def applications_to_decide(now):
    waiting = Participation.objects.filter(
        status__in=[Participation.Status.APPLIED, Participation.Status.SHORTLISTED]
    )
    rows = (
        waiting.values("mission__title")
        .annotate(n=Count("pk"))
        .order_by("mission__start_date", "mission__title")[:ITEMS_SHOWN]
    )
    return Section(
        title=_("Pendaftaran misi dagang menunggu keputusan"),
        permission="missions.change_participation",
        count=waiting.count(),
        items=[f"{row['mission__title']}: {row['n']}" for row in rows],
        path=admin_list_path(Participation, status__exact="applied"),
    )


@section
def disputed_deals(now):
    disputed = Deal.objects.by_party_answers("disputed")
    rows = disputed.select_related("business", "mission").order_by("-date")[:ITEMS_SHOWN]
    return Section(
        title=_("Transaksi dipersoalkan salah satu pihak"),
        permission="missions.change_deal",
        count=disputed.count(),
        items=[f"{d.mission.title}: {d.business.name}, {d.amount} {d.currency}" for d in rows],
        path=admin_list_path(Deal, parties="disputed"),
    )
