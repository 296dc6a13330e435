from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from missions import reports, services
from missions.forms import (
    ApplyForm,
    DashboardFilterForm,
    FollowUpForm,
    OwnerDealForm,
    PartyAnswerForm,
)
from missions.models import Deal, FollowUp, Participation, PartyConfirmation, TradeMission
from missions.xlsx import report_xlsx
from tangerang_ikm.cache import public_page
from tangerang_ikm.ratelimit import ratelimit
from tangerang_ikm.storage import serve_private

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Public -----------------------------------------------------------------


@public_page
def mission_list(request):
    today = timezone.localdate()
    missions = TradeMission.objects.public().prefetch_related("commodities")
    upcoming = missions.upcoming(today).order_by("start_date", "title")
    past = Paginator(missions.past(today).order_by("-start_date", "title"), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "missions/mission_list.html",
        {"upcoming": upcoming, "page_obj": past, "past": past.object_list, "now": timezone.now()},
    )


@public_page
def mission_detail(request, slug):
    mission = get_object_or_404(
        TradeMission.objects.public().prefetch_related("commodities"), slug=slug
    )
    results = reports.public_results(mission) if mission.results_published else None
    mine = None
    if request.user.is_authenticated:
        mine = list(
            Participation.objects.owned_by(request.user)
            .filter(mission=mission)
            .select_related("business")
        )
    return render(
        request,
        "missions/mission_detail.html",
        {
            "mission": mission,
            "results": results,
            "mine": mine,
            "registration_open": mission.registration_is_open(),
        },
    )


# --- Owners -----------------------------------------------------------------


@login_required
def my_missions(request):
    participations = (
        Participation.objects.owned_by(request.user)
        .select_related("mission", "business")
        .prefetch_related("products")
        .order_by("-mission__start_date", "business__name")
    )
    deals = (
        Deal.objects.owned_by(request.user)
        .select_related("mission", "business", "buyer", "commodity")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "missions/my_missions.html",
        {"participations": participations, "deals": deals},
    )


@login_required
def apply(request, slug):
    mission = get_object_or_404(TradeMission.objects.public(), slug=slug)
    if not mission.registration_is_open():
        if timezone.now() > mission.registration_closes:
            messages.error(
                request,
                _("Pendaftaran misi ini sudah ditutup pada %(deadline)s.")
                % {
                    "deadline": timezone.localtime(mission.registration_closes).strftime(
                        "%d/%m/%Y %H.%M"
                    )
                },
            )
        else:
            messages.error(request, _("Pendaftaran misi ini belum dibuka."))
        return redirect(mission)
    form = ApplyForm(request.POST or None, user=request.user, mission=mission)
    if not form.fields["business"].queryset.exists():
        messages.warning(
            request,
            _("Anda memerlukan usaha yang sudah terverifikasi untuk mendaftar misi dagang."),
        )
        return redirect(mission)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_for_mission(
                mission=mission,
                business=form.cleaned_data["business"],
                products=list(form.cleaned_data["products"]),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Pendaftaran terkirim. Panitia akan memberi kabar hasil seleksi.")
            )
            if form.cleaned_data["business"] in form.mismatched:
                messages.warning(request, form.mismatch_message(form.cleaned_data["business"]))
            return redirect("missions:my")
    return render(request, "missions/apply.html", {"mission": mission, "form": form})


@login_required
@require_POST
def withdraw(request, pk):
    participation = get_object_or_404(Participation.objects.owned_by(request.user), pk=pk)
    try:
        services.withdraw(participation=participation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Anda telah mengundurkan diri dari misi ini."))
    return redirect("missions:my")


REPORTABLE = (
    TradeMission.Status.ONGOING,
    TradeMission.Status.COMPLETED,
    TradeMission.Status.REPORTED,
)


@login_required
def report_deal(request, pk):
    participation = get_object_or_404(
        Participation.objects.owned_by(request.user).select_related("mission", "business"),
        pk=pk,
    )
    if (
        participation.mission.status not in REPORTABLE
        or participation.status not in Participation.PLACE_HOLDING
    ):
        messages.error(
            request,
            _("Transaksi dapat dilaporkan setelah misi berlangsung, oleh peserta yang diterima."),
        )
        return redirect("missions:my")
    form = OwnerDealForm(request.POST or None, request.FILES or None, participation=participation)
    if request.method == "POST" and form.is_valid():
        services.report_deal_by_owner(deal=form.save(commit=False), owner=request.user)
        messages.success(request, _("Transaksi tercatat dan menunggu konfirmasi petugas."))
        return redirect("missions:my")
    return render(
        request, "missions/deal_form.html", {"form": form, "participation": participation}
    )


@login_required
def deal_document(request, pk):
    """The supporting document: for its owner, or staff allowed to view deals."""
    if request.user.has_perm("missions.view_deal"):
        deals = Deal.objects.all()
    else:
        deals = Deal.objects.owned_by(request.user)
    deal = get_object_or_404(deals, pk=pk)
    return serve_private(request, deal.document)


# --- Reports (staff and leadership) -----------------------------------------


def _report_body(key, report):
    """The report's tables and charts as HTML, rendered once for every viewer: the same
    for all staff who may see it, and most of the page's time (missions/_report_body)."""
    return reports.cached_report(
        f"{key}:html", lambda: render_to_string("missions/_report_body.html", {"report": report})
    )


def _xlsx_response(report, filename):
    response = HttpResponse(report_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@login_required
@permission_required("missions.view_report", raise_exception=True)
def mission_report(request, slug, fmt="html"):
    mission = get_object_or_404(TradeMission.objects.all(), slug=slug)
    key = f"mission:{mission.pk}"
    report = reports.cached_report(key, lambda: reports.mission_report(mission))
    if fmt == "xlsx":
        return _xlsx_response(report, f"laporan-{mission.slug}")
    template = "missions/report_print.html" if fmt == "print" else "missions/report.html"
    context = {"report": report, "mission": mission, "print": fmt == "print"}
    return render(request, template, {**context, "body": _report_body(key, report)})


@login_required
@permission_required("missions.view_report", raise_exception=True)
def dashboard(request, fmt="html"):
    years = reports.dashboard_years()
    form = DashboardFilterForm(request.GET or None, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    year, scope, commodity, size_class = (
        filters.get("year"),
        filters.get("scope") or "",
        filters.get("commodity"),
        filters.get("size_class") or "",
    )
    key = f"dashboard:{year}:{scope}:{commodity.pk if commodity else ''}:{size_class}"
    report = reports.cached_report(
        key,
        lambda: reports.program_dashboard(
            year=year, scope=scope, commodity=commodity, size_class=size_class
        ),
    )
    if fmt == "xlsx":
        return _xlsx_response(report, "dasbor-misi-dagang")
    template = "missions/report_print.html" if fmt == "print" else "missions/dashboard.html"
    context = {"report": report, "form": form, "query": request.GET.urlencode()}
    context.update(print=fmt == "print", body=_report_body(key, report))
    return render(request, template, context)


# --- Links e-mailed to the parties (no account) ------------------------------

# Enough for a person opening and answering a few links; not for guessing tokens.
LINK_LIMIT = {"limit": 30, "window": 3600, "methods": ("GET", "POST")}


def _link_refused(request):
    """One page for a link that was altered, used, replaced or expired: no hint which."""
    return render(request, "missions/link_refused.html", status=410)


@never_cache
@ratelimit("deal-link", **LINK_LIMIT)
def party_confirm(request, token):
    row = PartyConfirmation.from_token(token)
    if row is None:
        return _link_refused(request)
    deal = Deal.objects.select_related("mission", "business", "buyer", "commodity").get(
        pk=row.deal_id
    )
    with translation.override(row.language):
        form = PartyAnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.answer_party(
                    confirmation=row,
                    answer=form.cleaned_data["answer"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError:
                return _link_refused(request)
            return render(
                request,
                "missions/party_confirm_done.html",
                {"deal": deal, "answer": form.cleaned_data["answer"]},
            )
        return render(
            request,
            "missions/party_confirm.html",
            {"deal": deal, "row": row, "form": form, "side": row.side},
        )


@never_cache
@ratelimit("deal-link", **LINK_LIMIT)
def follow_up(request, token):
    row = FollowUp.from_token(token)
    if row is None:
        return _link_refused(request)
    deal = Deal.objects.select_related("mission", "business__owner", "buyer", "commodity").get(
        pk=row.deal_id
    )
    language = getattr(deal.business.owner, "language", None) or "id"
    with translation.override(language):
        form = FollowUpForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.answer_follow_up(
                    follow_up=row,
                    answer=form.cleaned_data["answer"],
                    reason=form.cleaned_data["reason"],
                    realisations=form.realised_rows(),
                )
            except ValidationError as exc:
                if not row.is_usable():
                    return _link_refused(request)
                form.add_error(None, exc.messages)
            else:
                return render(request, "missions/follow_up_done.html", {"deal": deal})
        realised = deal.realisations.order_by("date")
        return render(
            request,
            "missions/follow_up.html",
            {"deal": deal, "row": row, "form": form, "realised": realised},
        )
