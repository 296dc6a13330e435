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
from missions.agenda import agenda_calendar
from missions.forms import (
    ApplyForm,
    DashboardFilterForm,
    FollowUpForm,
    MeetingAnswerForm,
    MeetingRatingForm,
    MeetingRequestForm,
    OwnerDealForm,
    PartyAnswerForm,
)
from missions.models import (
    Deal,
    FollowUp,
    Meeting,
    MeetingRequest,
    MissionBuyer,
    Participation,
    PartyConfirmation,
    TradeMission,
)
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
    deal = Deal.objects.select_related(
        "mission", "business__owner", "buyer", "commodity", "meeting"
    ).get(pk=row.deal_id)
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


# --- Meetings: the owner's agenda --------------------------------------------


def _agenda_context(request, participation, answer_forms=None, rating_forms=None):
    meetings = list(participation.meetings.select_related("buyer").order_by("start", "pk"))
    requests = list(
        participation.meeting_requests.select_related("invitation__buyer", "meeting").order_by(
            "created_at", "pk"
        )
    )
    mission = participation.mission
    now = timezone.now()
    answer_forms = answer_forms or {}
    rating_forms = rating_forms or {}
    for row in requests:
        row.invitation.mission = mission  # the buyer's free slots without a query per row
        row.form = answer_forms.get(row.pk) or MeetingAnswerForm(
            prefix=f"r{row.pk}",
            initial={"comment": row.owner_comment} if row.owner_comment else None,
        )
    for meeting in meetings:
        meeting.can_rate = meeting.rateable(now)
        meeting.form = rating_forms.get(meeting.pk) or MeetingRatingForm(
            prefix=f"m{meeting.pk}",
            initial={"rating": meeting.ikm_rating, "next_step": meeting.ikm_next_step},
        )
    return {
        "participation": participation,
        "mission": mission,
        "meetings": meetings,
        "requests": requests,
    }


def _owned_participation(request, pk):
    return get_object_or_404(
        Participation.objects.owned_by(request.user).select_related("mission", "business"),
        pk=pk,
    )


@login_required
def agenda(request, pk, fmt="html"):
    """An owner's meetings in one mission, the buyers' requests, and after it the ratings."""
    participation = _owned_participation(request, pk)
    if fmt == "ics":
        meetings = participation.meetings.select_related("buyer").order_by("start", "pk")
        body = agenda_calendar(participation, meetings, stamp=timezone.now())
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        filename = f"agenda-{participation.mission.slug}.ics"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    template = "missions/agenda_print.html" if fmt == "print" else "missions/agenda.html"
    return render(request, template, _agenda_context(request, participation))


@login_required
@require_POST
def answer_meeting_request(request, pk):
    row = get_object_or_404(
        MeetingRequest.objects.owned_by(request.user).select_related(
            "participation__mission", "participation__business"
        ),
        pk=pk,
    )
    participation = row.participation
    form = MeetingAnswerForm(request.POST, prefix=f"r{row.pk}")
    if form.is_valid():
        try:
            services.answer_meeting_request(
                meeting_request=row,
                owner=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Jawaban Anda tersimpan dan terlihat oleh pembeli."))
            return redirect("missions:agenda", participation.pk)
    context = _agenda_context(request, participation, answer_forms={row.pk: form})
    return render(request, "missions/agenda.html", context, status=400)


@login_required
@require_POST
def rate_meeting(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.filter(business__owner=request.user).select_related(
            "participation__mission", "participation__business"
        ),
        pk=pk,
    )
    participation = meeting.participation
    form = MeetingRatingForm(request.POST, prefix=f"m{meeting.pk}")
    if form.save(meeting, side="ikm"):
        messages.success(request, _("Penilaian pertemuan tersimpan."))
        return redirect("missions:agenda", participation.pk)
    context = _agenda_context(request, participation, rating_forms={meeting.pk: form})
    return render(request, "missions/agenda.html", context, status=400)


# --- Meetings: the invited buyer's link (no account) --------------------------

# A buyer browses the catalogue and comes back: more than a one-off answer link.
BUYER_LINK_LIMIT = {"limit": 120, "window": 3600, "methods": ("GET", "POST")}


def _invitation(token):
    """The invitation a valid token names, with its mission and buyer (one query)."""
    return MissionBuyer.from_token(token)


def _buyer_page(request, invitation, form=None, rating_forms=None, status=200):
    mission = invitation.mission
    catalogue = list(
        mission.participations.holding_a_place()
        .select_related("business")
        .prefetch_related("products")
        .order_by("business__name")
    )
    requests = list(
        invitation.requests.select_related("participation__business", "meeting").order_by(
            "created_at", "pk"
        )
    )
    requested = {r.participation_id for r in requests}
    used = sum(1 for r in requests if r.status != MeetingRequest.Status.DECLINED)
    open_for_requests = not mission.results_published
    requestable = mission.participations.holding_a_place().exclude(pk__in=requested)
    requestable = requestable.select_related("business").order_by("business__name")
    if form is None:
        form = MeetingRequestForm(invitation=invitation, requestable=requestable, used=used)
    meetings = list(
        Meeting.objects.filter(mission=mission, buyer=invitation.buyer)
        .select_related("business")
        .order_by("start", "pk")
    )
    now = timezone.now()
    rating_forms = rating_forms or {}
    for meeting in meetings:
        meeting.can_rate = meeting.rateable(now)
        meeting.form = rating_forms.get(meeting.pk) or MeetingRatingForm(
            prefix=f"m{meeting.pk}",
            initial={"rating": meeting.buyer_rating, "next_step": meeting.buyer_next_step},
        )
    context = {
        "invitation": invitation,
        "mission": mission,
        "buyer": invitation.buyer,
        "catalogue": catalogue,
        "requests": requests,
        "meetings": meetings,
        "form": form,
        "can_request": open_for_requests and form.left > 0,
        "open_for_requests": open_for_requests,
        "token": invitation.token,
    }
    return render(request, "missions/buyer_link.html", context, status=status)


@never_cache
@ratelimit("buyer-link", **BUYER_LINK_LIMIT)
def buyer_link(request, token):
    """The invited buyer's page: the mission's e-catalogue (in English) and their requests."""
    invitation = _invitation(token)
    if invitation is None:
        return _link_refused(request)
    with translation.override("en"):
        if request.method != "POST":
            return _buyer_page(request, invitation)
        requested = invitation.requests.values("participation_id")
        requestable = invitation.mission.participations.holding_a_place().exclude(pk__in=requested)
        used = invitation.requests.counting().count()
        form = MeetingRequestForm(
            request.POST,
            invitation=invitation,
            requestable=requestable.select_related("business"),
            used=used,
        )
        if form.is_valid():
            try:
                rows = services.request_meetings(
                    invitation=invitation,
                    participations=list(form.cleaned_data["participations"]),
                    free_slots=form.cleaned_data["free_slots"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Permintaan terkirim ke %(n)d IKM. Jawaban mereka tampil di halaman ini.")
                    % {"n": len(rows)},
                )
                return redirect("missions:buyer_link", token)
        return _buyer_page(request, invitation, form=form, status=400)


@never_cache
@require_POST
@ratelimit("buyer-link", **BUYER_LINK_LIMIT)
def buyer_rate(request, token, pk):
    invitation = _invitation(token)
    if invitation is None:
        return _link_refused(request)
    meeting = get_object_or_404(
        Meeting.objects.filter(mission=invitation.mission_id, buyer=invitation.buyer_id), pk=pk
    )
    with translation.override("en"):
        form = MeetingRatingForm(request.POST, prefix=f"m{meeting.pk}")
        if form.save(meeting, side="buyer"):
            messages.success(request, _("Penilaian pertemuan tersimpan."))
            return redirect("missions:buyer_link", token)
        return _buyer_page(request, invitation, rating_forms={meeting.pk: form}, status=400)
