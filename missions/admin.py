"""Staff work on missions here: participants, buyers, the meeting grid, deals."""

import datetime
import functools

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from ikm_registry.fields import SafeModelChoiceField
from ikm_registry.models import Business, Commodity, Inquiry
from missions import services
from missions.forms import CurrencyField
from missions.models import (
    PARTY_STATES,
    Buyer,
    Deal,
    ExchangeRate,
    FollowUp,
    Meeting,
    MeetingRequest,
    MissionBuyer,
    Participation,
    PartyConfirmation,
    ProgramTarget,
    TradeMission,
    currency_choices,
)
from tangerang_ikm.admin_lists import (
    LargeTablePaginator,
    ListRowsMixin,
    SharedLookupsInline,
    keys_in,
    recent_filter,
)
from tangerang_ikm.cache import cached
from tangerang_ikm.spreadsheets import SafeExportMixin

# --- Inlines ----------------------------------------------------------------


# A mission's participations, meetings and deals on its page: the first this many of
# each (deals, a stacked form each with two long selects, fewer); the mission's
# "all_rows" links lead to all of them in their own lists.
INLINE_ROWS = 50
DEAL_ROWS = 10


class ParticipationInline(SharedLookupsInline, admin.TabularInline):
    model = Participation
    extra = 0
    max_rows = INLINE_ROWS
    fields = ["business", "status", "booth_number", "notes"]
    readonly_fields = ["status"]
    autocomplete_fields = []
    raw_id_fields = ["business"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("business")


class MissionBuyerInline(SharedLookupsInline, admin.TabularInline):
    """Invited buyers: each has a personal link to the e-catalogue and meeting requests."""

    model = MissionBuyer
    extra = 0
    fields = ["buyer", "expires_at", "revoked_at", "personal_link", "link_sent_at"]
    readonly_fields = ["personal_link", "link_sent_at"]
    raw_id_fields = ["buyer"]
    autocomplete_fields = []

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("buyer")

    @admin.display(description=gettext_lazy("tautan pribadi"))
    def personal_link(self, obj):
        return personal_link(obj)


def personal_link(invitation):
    if not invitation.pk:
        return "\u2013"
    url = settings.SITE_URL + invitation.get_absolute_url()
    return format_html('<a href="{}">{}</a>', url, _("buka tautan pembeli"))


class MeetingInline(SharedLookupsInline, admin.TabularInline):
    """Outcomes are recorded inline; meetings are scheduled in the grid."""

    model = Meeting
    extra = 0
    max_rows = INLINE_ROWS
    fields = ["start", "end", "table", "business", "buyer", "outcome", "notes"]
    readonly_fields = ["start", "end", "table", "business", "buyer"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("business", "buyer")


class DealFormSet(forms.BaseInlineFormSet):
    """Deals added under a meeting take the meeting's mission, business and buyer."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        meeting = self.instance
        if isinstance(meeting, Meeting) and meeting.pk and not form.instance.pk:
            form.instance.mission_id = meeting.mission_id
            form.instance.business_id = meeting.business_id
            form.instance.buyer_id = meeting.buyer_id
        return form


DEAL_INLINE_FIELDS = [
    "kind",
    "stage",
    "realises",
    "commodity",
    "product",
    "quantity",
    "unit",
    "amount",
    "currency",
    "rate_to_idr",
    "usd_rate",
    "rate_date",
    "destination_country",
    "date",
    "status",
    "value_idr",
    "value_usd",
]


class MeetingDealInline(SharedLookupsInline, admin.StackedInline):
    model = Deal
    formset = DealFormSet
    fk_name = "meeting"
    extra = 0
    fields = DEAL_INLINE_FIELDS
    readonly_fields = ["value_idr", "value_usd"]
    raw_id_fields = ["realises", "product"]


class MissionDealInline(SharedLookupsInline, admin.StackedInline):
    model = Deal
    extra = 0
    max_rows = DEAL_ROWS
    fields = ["business", "buyer", "buyer_name", *DEAL_INLINE_FIELDS]
    readonly_fields = ["value_idr", "value_usd"]
    raw_id_fields = ["business", "buyer", "realises", "product"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("business", "buyer", "commodity")


def _stamp_new_deals(request, formset):
    """Deals staff add are confirmed by them; the parties are asked about new or changed ones."""
    now = timezone.now()
    # By identity: a new deal has no pk yet, so it cannot be a dict key itself.
    changed = {id(form.instance): form.changed_data for form in formset.forms}
    for obj in formset.save(commit=False):
        created = obj.pk is None
        if created:
            obj.reported_by = request.user
        if obj.status == Deal.Status.CONFIRMED and not obj.confirmed_at:
            obj.confirmed_by, obj.confirmed_at = request.user, now
        obj.save()
        services.deal_saved_by_staff(deal=obj, created=created, changed_fields=changed.get(obj, ()))
    for obj in formset.deleted_objects:
        obj.delete()
    formset.save_m2m()


# --- Missions ---------------------------------------------------------------


def _transition_action(status):
    @admin.action(
        description=gettext_lazy("Ubah status ke: %(status)s") % {"status": status.label},
        permissions=["change"],
    )
    def action(modeladmin, request, queryset):
        done = 0
        for mission in queryset:
            try:
                mission.transition_to(status)
                done += 1
            except ValidationError as exc:
                modeladmin.message_user(request, " ".join(exc.messages), messages.ERROR)
        if done:
            modeladmin.message_user(
                request, _("%(n)d misi diperbarui.") % {"n": done}, messages.SUCCESS
            )

    action.__name__ = f"to_{status.value}"
    return action


@admin.register(TradeMission)
class TradeMissionAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "scope",
        "start_date",
        "status",
        "places",
        "links",
    ]
    list_filter = ["status", "scope", "kind"]
    search_fields = ["title", "title_en", "city", "partner"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["commodities", "coordinators"]
    readonly_fields = ["status", "links", "all_rows"]
    inlines = [ParticipationInline, MissionBuyerInline, MeetingInline, MissionDealInline]
    actions = [_transition_action(s) for s in TradeMission.Status]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_en",
                    "slug",
                    "kind",
                    "scope",
                    "status",
                    "links",
                    "all_rows",
                ]
            },
        ),
        (
            gettext_lazy("Tujuan dan waktu"),
            {
                "fields": [
                    "city",
                    "country",
                    "partner",
                    "venue",
                    ("start_date", "end_date"),
                    ("registration_opens", "registration_closes"),
                    "time_zone",
                    "quota",
                    "meeting_request_limit",
                    "commodities",
                    "coordinators",
                ]
            },
        ),
        (
            gettext_lazy("Anggaran dan deskripsi"),
            {"fields": ["budget_source", "budget_amount", "description"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                places_taken=Count(
                    "participations",
                    filter=Q(participations__status__in=Participation.PLACE_HOLDING),
                )
            )
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "coordinators":
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(
                is_staff=True, is_active=True
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=gettext_lazy("terisi/kuota"))
    def places(self, obj):
        return f"{getattr(obj, 'places_taken', '\u2013')}/{obj.quota}"

    @admin.display(description=gettext_lazy("tautan"))
    def links(self, obj):
        if not obj.pk:
            return "\u2013"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:missions_trademission_schedule", args=[obj.pk]),
            _("jadwal pertemuan"),
            reverse("missions:report", args=[obj.slug]),
            _("laporan"),
        )

    @admin.display(description=gettext_lazy("semua baris"))
    def all_rows(self, obj):
        """The mission's lists, whole: its page shows the first rows of each (INLINE_ROWS)."""
        if not obj.pk:
            return "\u2013"
        query = f"?mission__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:missions_participation_changelist") + query,
            _("peserta"),
            reverse("admin:missions_meeting_changelist") + query,
            _("pertemuan"),
            reverse("admin:missions_deal_changelist") + query,
            _("transaksi"),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is Deal:
            _stamp_new_deals(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/jadwal/",
                self.admin_site.admin_view(self.schedule_view),
                name="missions_trademission_schedule",
            ),
            *super().get_urls(),
        ]

    def schedule_view(self, request, object_id):
        """A slot x table grid for one mission day; meetings are added under the grid."""
        if not request.user.has_perm("missions.view_meeting"):
            raise PermissionDenied
        mission = get_object_or_404(TradeMission, pk=object_id)
        form = ScheduleForm(request.POST or None, mission=mission, initial=_grid_initial(request))
        if request.method == "POST":
            if not request.user.has_perm("missions.add_meeting"):
                raise PermissionDenied
            if form.is_valid():
                data = form.cleaned_data
                try:
                    if data.get("request"):
                        services.place_meeting_request(
                            meeting_request=data["request"],
                            start=data["start"],
                            end=data["end"],
                            table=data["table"],
                        )
                    else:
                        services.schedule_meeting(
                            mission=mission,
                            participation=data["participation"],
                            buyer=data["buyer"],
                            start=data["start"],
                            end=data["end"],
                            table=data["table"],
                        )
                except IntegrityError:
                    # PostgreSQL's exclusion constraints: a concurrent write got there first.
                    self.message_user(
                        request,
                        _("Jadwal bentrok dengan pertemuan lain (IKM, pembeli, atau meja)."),
                        messages.ERROR,
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        self.message_user(request, message, messages.ERROR)
                else:
                    self.message_user(request, _("Pertemuan dijadwalkan."), messages.SUCCESS)
                    day = data["date"].isoformat()
                    url = reverse("admin:missions_trademission_schedule", args=[mission.pk])
                    return redirect(f"{url}?date={day}&tables={form.n_tables}")
        grid = build_grid(mission, form.day, form.n_tables, form.slot_minutes)
        meeting_requests = list(
            MeetingRequest.objects.filter(invitation__mission=mission)
            .select_related("invitation__buyer", "participation__business", "meeting")
            .order_by("participation__business__name", "created_at", "pk")
        )
        for row in meeting_requests:
            row.invitation.mission = mission
        context = {
            "meeting_requests": meeting_requests,
            "placing": form.placing,
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": mission,
            "mission": mission,
            "title": _("Jadwal pertemuan: %(title)s") % {"title": mission.title},
            "form": form,
            "grid": grid,
            "day": form.day,
            "days": _mission_days(mission),
            "n_tables": form.n_tables,
        }
        return TemplateResponse(request, "admin/missions/schedule_grid.html", context)


def _mission_days(mission):
    days, day = [], mission.start_date
    while day <= mission.end_date and len(days) < 31:
        days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _grid_initial(request):
    return {k: request.GET[k] for k in ("date", "time", "table", "request") if k in request.GET}


SLOT_START = datetime.time(9, 0)
SLOT_END = datetime.time(17, 0)


class ScheduleForm(forms.Form):
    participation = SafeModelChoiceField(
        label=gettext_lazy("IKM peserta"), queryset=Participation.objects.none()
    )
    buyer = SafeModelChoiceField(label=gettext_lazy("pembeli"), queryset=Buyer.objects.all())
    date = forms.DateField(
        label=gettext_lazy("tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label=gettext_lazy("mulai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("durasi (menit)"), min_value=5, max_value=240, initial=30
    )
    table = forms.CharField(label=gettext_lazy("meja"), max_length=10)
    request = SafeModelChoiceField(
        label=gettext_lazy("permintaan pertemuan"),
        queryset=MeetingRequest.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission
        self.fields["request"].queryset = MeetingRequest.objects.filter(
            invitation__mission=mission,
            status=MeetingRequest.Status.ACCEPTED,
            meeting__isnull=True,
        ).select_related("invitation__buyer", "participation__business")
        self.placing = self._placing((kwargs.get("initial") or {}).get("request"))
        if self.placing is not None and not self.is_bound:
            self.initial["participation"] = self.placing.participation_id
            self.initial["buyer"] = self.placing.invitation.buyer_id
        self.fields[
            "participation"
        ].queryset = mission.participations.holding_a_place().select_related("business")
        self.fields["participation"].label_from_instance = lambda p: p.business.name
        params = kwargs.get("initial") or {}
        try:
            self.day = datetime.date.fromisoformat(str(params.get("date") or self.data.get("date")))
        except ValueError:
            self.day = mission.start_date
        if not mission.start_date <= self.day <= mission.end_date:
            self.day = mission.start_date
        self.initial["date"] = self.day
        self.n_tables = 8
        self.slot_minutes = 30

    def _placing(self, pk):
        """The accepted request being placed (from ?request=), if it is still unplaced."""
        if not pk:
            return None
        try:
            return self.fields["request"].queryset.filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        row = data.get("request")
        if row is not None:
            # The request decides who meets whom; only the time and table are chosen here.
            data["participation"] = row.participation
            data["buyer"] = row.invitation.buyer
            self.errors.pop("participation", None)
            self.errors.pop("buyer", None)
        if data.get("date") and data.get("time") and data.get("minutes"):
            tz = timezone.get_current_timezone()
            start = datetime.datetime.combine(data["date"], data["time"], tzinfo=tz)
            data["start"] = start
            data["end"] = start + datetime.timedelta(minutes=data["minutes"])
            if not self.mission.start_date <= data["date"] <= self.mission.end_date:
                self.add_error("date", _("Tanggal di luar jadwal misi."))
        return data


def build_grid(mission, day, n_tables, slot_minutes):
    """Rows of slots, columns of tables; each cell holds the meeting occupying it."""
    tz = timezone.get_current_timezone()
    day_start = datetime.datetime.combine(day, SLOT_START, tzinfo=tz)
    day_end = datetime.datetime.combine(day, SLOT_END, tzinfo=tz)
    meetings = list(
        Meeting.objects.filter(mission=mission, start__lt=day_end, end__gt=day_start)
        .select_related("business", "buyer")
        .order_by("start")
    )
    tables = [str(i) for i in range(1, n_tables + 1)]
    tables += sorted({m.table for m in meetings if m.table and m.table not in tables})
    rows, slot = [], day_start
    while slot < day_end:
        slot_end = slot + datetime.timedelta(minutes=slot_minutes)
        cells = []
        for table in tables:
            here = [m for m in meetings if m.table == table and m.start < slot_end and m.end > slot]
            cells.append({"table": table, "meetings": here})
        rows.append({"time": timezone.localtime(slot), "cells": cells})
        slot = slot_end
    unplaced = [m for m in meetings if not m.table]
    return {"tables": tables, "rows": rows, "unplaced": unplaced, "count": len(meetings)}


# --- Participations ---------------------------------------------------------


def _status_action(status, description):
    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        by_mission = {}
        for p in queryset.select_related("mission"):
            by_mission.setdefault(p.mission, []).append(p)
        changed = 0
        for mission, rows in by_mission.items():
            result = services.set_participations_status(
                mission=mission, participations=rows, status=status
            )
            changed += len(result.changed)
            for _row, reason in result.refused:
                modeladmin.message_user(request, reason, messages.ERROR)
        modeladmin.message_user(
            request,
            _("%(n)d peserta diubah menjadi “%(status)s”.")
            % {"n": changed, "status": status.label},
            messages.SUCCESS if changed else messages.WARNING,
        )

    action.__name__ = f"mark_{status.value}"
    return action


S = Participation.Status


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = [
        "business",
        "mission",
        "status",
        "commodity_match",
        "booth_number",
        "applied_at",
    ]
    list_filter = ["status", ("mission", recent_filter("-start_date"))]
    list_select_related = ["business", "mission"]
    show_full_result_count = False
    search_fields = ["business__name", "business__nib", "mission__title"]
    raw_id_fields = ["business"]
    filter_horizontal = ["products"]
    readonly_fields = ["status", "applied_at", "decided_at"]
    actions = [
        _status_action(S.SHORTLISTED, gettext_lazy("Masukkan ke daftar pendek")),
        _status_action(S.ACCEPTED, gettext_lazy("Terima (dalam batas kuota)")),
        _status_action(S.REJECTED, gettext_lazy("Tolak")),
        _status_action(S.ATTENDED, gettext_lazy("Tandai hadir")),
        _status_action(S.NO_SHOW, gettext_lazy("Tandai tidak hadir")),
        _status_action(S.WITHDRAWN, gettext_lazy("Tandai mengundurkan diri")),
    ]

    def get_queryset(self, request):
        # Does the business have one of the mission's target commodities? Two EXISTS, no
        # query per row. A mission without targets matches everyone.
        targets = TradeMission.commodities.through.objects.filter(
            trademission_id=OuterRef("mission_id")
        )
        shared = targets.filter(
            commodity_id__in=Business.commodities.through.objects.filter(
                business_id=OuterRef(OuterRef("business_id"))
            ).values("commodity_id")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(has_targets=Exists(targets), matches_targets=Exists(shared))
        )

    @admin.display(description=gettext_lazy("komoditas sesuai sasaran"), boolean=True)
    def commodity_match(self, obj):
        if not getattr(obj, "has_targets", True):
            return True
        return getattr(obj, "matches_targets", None)


# --- Buyers -----------------------------------------------------------------


class InquiryConversionForm(forms.Form):
    mission = SafeModelChoiceField(
        label=gettext_lazy("misi"), queryset=TradeMission.objects.exclude(status="draft")
    )
    kind = forms.ChoiceField(label=gettext_lazy("jenis pembeli"), choices=Buyer.Kind.choices)
    commodity = SafeModelChoiceField(
        label=gettext_lazy("komoditas"), queryset=Commodity.objects.all()
    )
    stage = forms.ChoiceField(label=gettext_lazy("tahap potensi"), choices=Deal.Stage.choices)
    amount = forms.DecimalField(
        label=gettext_lazy("perkiraan nilai"), min_value=0, max_digits=18, decimal_places=2
    )
    currency = CurrencyField(label=gettext_lazy("mata uang"), initial="USD")
    rate_to_idr = forms.DecimalField(
        label=gettext_lazy("kurs ke rupiah"),
        min_value=0,
        max_digits=16,
        decimal_places=6,
        required=False,
        help_text=gettext_lazy("Kosong: dari tabel kurs."),
    )
    usd_rate = forms.DecimalField(
        label=gettext_lazy("kurs US$ ke rupiah"),
        min_value=0,
        max_digits=16,
        decimal_places=6,
        required=False,
        help_text=gettext_lazy("Kosong: dari tabel kurs."),
    )
    rate_date = forms.DateField(
        label=gettext_lazy("tanggal kurs"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )


@admin.register(Buyer)
class BuyerAdmin(SimpleHistoryAdmin):
    list_display = ["company", "country", "city", "kind", "contact_person"]
    list_filter = ["kind", "country"]
    show_full_result_count = False
    search_fields = ["company", "city", "contact_person", "email"]
    filter_horizontal = ["commodities"]
    raw_id_fields = ["source_inquiry"]
    change_list_template = "admin/missions/buyer/change_list.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        duplicates = Buyer.objects.possible_duplicates(obj.company, obj.country, exclude_pk=obj.pk)
        for dup in duplicates[:5]:
            self.message_user(
                request,
                _("Kemungkinan duplikat: %(company)s (%(country)s) sudah terdaftar.")
                % {"company": dup.company, "country": dup.country.name},
                messages.WARNING,
            )

    def get_urls(self):
        return [
            path(
                "dari-permintaan/",
                self.admin_site.admin_view(self.inquiries_view),
                name="missions_buyer_inquiries",
            ),
            path(
                "dari-permintaan/<int:inquiry_id>/",
                self.admin_site.admin_view(self.convert_view),
                name="missions_buyer_convert",
            ),
            *super().get_urls(),
        ]

    def _check(self, request):
        if not (
            request.user.has_perm("ikm_registry.view_inquiry")
            and request.user.has_perm("missions.add_buyer")
            and request.user.has_perm("missions.add_deal")
        ):
            raise PermissionDenied

    def inquiries_view(self, request):
        self._check(request)
        inquiries = (
            Inquiry.objects.filter(buyer__isnull=True)
            .select_related("business", "product")
            .order_by("-created_at")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Permintaan pembeli yang belum menjadi pembeli"),
            "inquiries": inquiries,
        }
        return TemplateResponse(request, "admin/missions/buyer/inquiries.html", context)

    def convert_view(self, request, inquiry_id):
        self._check(request)
        inquiry = get_object_or_404(
            Inquiry.objects.select_related("business", "product"), pk=inquiry_id
        )
        initial = {"commodity": inquiry.product.category_id if inquiry.product else None}
        form = InquiryConversionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                buyer, deal = services.convert_inquiry(
                    inquiry=inquiry,
                    mission=data["mission"],
                    kind=data["kind"],
                    commodity=data["commodity"],
                    amount=data["amount"],
                    currency=data["currency"],
                    rate_to_idr=data["rate_to_idr"],
                    usd_rate=data["usd_rate"],
                    rate_date=data["rate_date"],
                    stage=data["stage"],
                    by=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Pembeli %(buyer)s dan potensi transaksi dicatat.")
                    % {"buyer": buyer.company},
                    messages.SUCCESS,
                )
                return redirect("admin:missions_deal_change", deal.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Jadikan pembeli dan potensi transaksi"),
            "inquiry": inquiry,
            "form": form,
        }
        return TemplateResponse(request, "admin/missions/buyer/convert.html", context)


# --- Meetings ---------------------------------------------------------------


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["mission", "participation", "buyer", "start", "end", "table", "outcome", "notes"]

    def clean(self):
        data = super().clean()
        needed = ("mission", "participation", "buyer", "start", "end")
        if all(data.get(k) for k in needed):
            # The admin's change view runs in a transaction: the mission lock holds to the save.
            try:
                services.validate_meeting(
                    mission=data["mission"],
                    participation=data["participation"],
                    buyer=data["buyer"],
                    start=data["start"],
                    end=data["end"],
                    table=data.get("table", ""),
                    exclude_pk=self.instance.pk,
                )
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
            self.instance.business_id = data["participation"].business_id
        return data


def meeting_ratings(meeting):
    """Both sides' verdicts on a meeting and what follows, for the deal's follow-up."""
    if meeting is None:
        return "\u2013"
    parts = []
    for side, label in (("ikm", _("IKM")), ("buyer", _("pembeli"))):
        rating = getattr(meeting, f"get_{side}_rating_display")()
        if rating:
            step = getattr(meeting, f"{side}_next_step")
            parts.append(f"{label}: {rating}" + (f" ({step})" if step else ""))
    return "; ".join(parts) or _("belum dinilai")


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    form = MeetingAdminForm
    list_display = [
        "start",
        "end",
        "table",
        "business",
        "buyer",
        "mission",
        "outcome",
        "ikm_rating",
        "buyer_rating",
    ]
    readonly_fields = [
        "ikm_rating",
        "ikm_next_step",
        "ikm_rated_at",
        "buyer_rating",
        "buyer_next_step",
        "buyer_rated_at",
    ]
    list_filter = ["outcome", ("mission", recent_filter("-start_date"))]
    list_editable = ["outcome"]
    list_select_related = ["business", "buyer", "mission"]
    paginator = LargeTablePaginator
    show_full_result_count = False
    search_fields = ["business__name", "buyer__company"]
    raw_id_fields = ["participation", "buyer"]
    inlines = [MeetingDealInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is Deal:
            _stamp_new_deals(request, formset)
        else:
            super().save_formset(request, form, formset, change)


# --- Deals ------------------------------------------------------------------


@functools.cache
def _currency_labels(language):
    with translation.override(language):
        return dict(currency_choices())


class CurrencyFilter(admin.SimpleListFilter):
    """The currencies deals were made in, from the cache: DISTINCT over every deal is slow.

    A new currency may take ten minutes to appear here; no save drops the list, so a
    page of deals runs the same queries before and after deals are added.
    """

    title = gettext_lazy("mata uang")
    parameter_name = "currency__exact"

    def lookups(self, request, model_admin):
        def currencies():
            return list(
                Deal.objects.order_by("currency").values_list("currency", flat=True).distinct()
            )

        codes = cached("admin-lists", "deal-currencies", currencies, timeout=600)
        return [(code, code) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(currency=self.value()) if self.value() else queryset


class PartyAnswersFilter(admin.SimpleListFilter):
    """Confirmed by both parties, one, none, or disputed by either (Deal.party_state)."""

    title = gettext_lazy("konfirmasi para pihak")
    parameter_name = "parties"

    def lookups(self, request, model_admin):
        return list(PARTY_STATES.items())

    def queryset(self, request, queryset):
        if self.value() in PARTY_STATES:
            return queryset.by_party_answers(self.value())
        return queryset


class PartyConfirmationInline(admin.TabularInline):
    """Every link sent to a party and its answer: the history of the parties' confirmation."""

    model = PartyConfirmation
    extra = 0
    can_delete = False
    fields = [
        "side",
        "email",
        "sent_at",
        "expires_at",
        "answer",
        "comment",
        "answered_at",
        "superseded_at",
    ]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("permintaan konfirmasi para pihak")

    def has_add_permission(self, request, obj=None):
        return False


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    can_delete = False
    fields = ["months", "due_date", "sent_at", "state", "answer", "reason", "answered_at"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("tindak lanjut (3, 6, 12 bulan)")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("keadaan"))
    def state(self, obj):
        return obj.state


@admin.register(Deal)
class DealAdmin(ListRowsMixin, SimpleHistoryAdmin):
    list_display = [
        "date",
        "business",
        "buyer_label",
        "kind",
        "amount",
        "currency_label",
        "value_idr",
        "value_usd",
        "status",
        "parties",
        "mission",
    ]
    list_filter = [
        "status",
        PartyAnswersFilter,
        "kind",
        CurrencyFilter,
        ("mission", recent_filter("-start_date")),
    ]
    list_select_related = ["business", "buyer", "mission"]
    list_per_page = 50
    paginator = LargeTablePaginator
    show_full_result_count = False
    # No "show counts" link: the counts of every filter's choices over the whole table
    # (one COUNT(...) FILTER per choice) took seconds a click at regency scale.
    show_facets = admin.ShowFacets.NEVER
    search_fields = ["business__name", "buyer__company", "buyer_name"]
    raw_id_fields = ["business", "buyer", "meeting", "product", "realises"]
    readonly_fields = [
        "value_idr",
        "value_usd",
        "reported_by",
        "confirmed_by",
        "confirmed_at",
        "document_link",
        "buyer_answer",
        "buyer_answered_at",
        "buyer_comment",
        "ikm_answer",
        "ikm_answered_at",
        "ikm_comment",
    ]
    exclude = ["document"]
    actions = ["confirm", "resend_party_links"]

    # What the rows show (and each row's name, the label of its checkbox: Deal.__str__).
    LISTED = [
        "date",
        "business__name",
        "buyer__company",
        "buyer__country",
        "buyer_name",
        "kind",
        "amount",
        "currency",
        "value_idr",
        "value_usd",
        "status",
        "buyer_answer",
        "ikm_answer",
        "mission__title",
    ]

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        """A page's rows read only the columns the list shows: a deal, its business and
        its mission have 90 columns between them, and building them was a fifth of the
        page's CPU. The count and the page's keys are those of the whole list."""
        return self.paginator(
            queryset, per_page, orphans, allow_empty_first_page, rows=queryset.only(*self.LISTED)
        )

    def get_inlines(self, request, obj):
        if obj is not None and obj.kind == Deal.Kind.POTENTIAL:
            return [PartyConfirmationInline, FollowUpInline]
        return [PartyConfirmationInline]

    @admin.display(description=gettext_lazy("para pihak"))
    def parties(self, obj):
        # A str, not the lazy label: Django's cell compares the value with True, False and
        # None first, and a lazy label translates itself for each comparison.
        return str(PARTY_STATES[obj.party_state])

    def get_search_results(self, request, queryset, search_term):
        """Django's search over search_fields (each word in one of them), with the sellers
        and the registered buyers of each word looked up first, in their own tables.

        Joined to businesses and buyers inside an OR, the search made PostgreSQL join all
        200,000 deals before it could count or page them, and as subqueries it read the
        business table three times a page (count, keys, rows). A list of ids is one
        look-up, and the deals are then read in date order off their index.

        Each word's condition is a union of index look-ups (missions 0012 indexes the
        buyer names deals have; `buyer_name <> ''` lets PostgreSQL use that partial
        index), so a rare word or a rare filter beside a common word reads only the
        deals that match instead of the table. Several words add one condition that
        follows from theirs and is narrow: a deal whose business has every word, whose
        buyer has every word, or whose business and buyer share the words between them
        (or that names its buyer). "Sentra Gula Makmur" then reads the few businesses
        with all three words, not every deal of the 1,250 with "Sentra"."""
        words = list(self.search_words(search_term))
        every_business = every_buyer = None
        any_business, any_buyer, named = set(), set(), Q()
        for word in words:
            businesses = Business.objects.filter(name__icontains=word).order_by()
            buyers = Buyer.objects.filter(company__icontains=word).order_by()
            businesses = set(businesses.values_list("pk", flat=True))
            buyers = set(buyers.values_list("pk", flat=True))
            name = Q(buyer_name__icontains=word) & ~Q(buyer_name="")
            queryset = queryset.filter(
                keys_in("business", businesses) | keys_in("buyer", buyers) | name
            )
            every_business = businesses if every_business is None else every_business & businesses
            every_buyer = buyers if every_buyer is None else every_buyer & buyers
            any_business |= businesses
            any_buyer |= buyers
            named |= name
        if len(words) > 1:
            queryset = queryset.filter(
                keys_in("business", every_business)
                | keys_in("buyer", every_buyer)
                | (keys_in("business", any_business) & keys_in("buyer", any_buyer))
                | named
            )
        return queryset, False

    @staticmethod
    def search_words(search_term):
        """The words of a search as Django's admin splits them (quotes keep a phrase)."""
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            yield bit

    @admin.action(
        description=gettext_lazy("Kirim ulang tautan konfirmasi ke para pihak"),
        permissions=["change"],
    )
    def resend_party_links(self, request, queryset):
        n = services.resend_party_requests(deals=list(queryset))
        self.message_user(
            request, _("%(n)d tautan konfirmasi dikirim.") % {"n": n}, messages.SUCCESS
        )

    @admin.display(description=gettext_lazy("pembeli"))
    def buyer_label(self, obj):
        return obj.buyer_label

    @admin.display(description=Deal._meta.get_field("currency").verbose_name, ordering="currency")
    def currency_label(self, obj):
        # The field's own label ("IDR - Rupiah Indonesia"). As a plain column Django
        # builds the field's choices twice per row, Babel's name of every currency each
        # time: a third of the page's CPU.
        labels = _currency_labels(translation.get_language() or settings.LANGUAGE_CODE)
        return labels.get(obj.currency, obj.currency)

    @admin.display(description=gettext_lazy("dokumen pendukung"))
    def document_link(self, obj):
        if not obj.document:
            return "\u2013"
        return format_html(
            '<a href="{}">{}</a>', reverse("missions:deal_document", args=[obj.pk]), _("unduh")
        )

    @admin.action(description=gettext_lazy("Konfirmasi transaksi terpilih"), permissions=["change"])
    def confirm(self, request, queryset):
        n = services.confirm_deals(deals=list(queryset), by=request.user)
        self.message_user(request, _("%(n)d transaksi dikonfirmasi.") % {"n": n}, messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.reported_by = request.user
        if obj.status == Deal.Status.CONFIRMED and not obj.confirmed_at:
            obj.confirmed_by, obj.confirmed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
        services.deal_saved_by_staff(deal=obj, created=not change, changed_fields=form.changed_data)


class ExchangeRateResource(SafeExportMixin, resources.ModelResource):
    """CSV/XLSX import of rates: currency, date, rate_to_idr, source (a Source value)."""

    class Meta:
        model = ExchangeRate
        fields = ["currency", "date", "rate_to_idr", "source", "notes"]
        import_id_fields = ["currency", "date"]
        clean_model_instances = True
        skip_unchanged = True


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ExchangeRateResource]
    list_display = ["date", "currency", "rate_to_idr", "source"]
    list_filter = ["currency", "source"]
    date_hierarchy = "date"
    search_fields = ["currency"]


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = [
        "deal",
        "months",
        "due_date",
        "sent_at",
        "state",
        "answered_at",
        "meeting_ratings",
    ]
    list_filter = ["months", "answer"]
    list_select_related = ["deal__business", "deal__buyer", "deal__meeting"]
    raw_id_fields = ["deal"]
    readonly_fields = [
        *(f.name for f in FollowUp._meta.fields if f.name not in ("id", "nonce")),
        "meeting_ratings",
    ]
    exclude = ["nonce"]

    @admin.display(description=gettext_lazy("penilaian pertemuan asal"))
    def meeting_ratings(self, obj):
        return meeting_ratings(obj.deal.meeting)

    @admin.display(description=gettext_lazy("keadaan"))
    def state(self, obj):
        return obj.state

    def has_add_permission(self, request):
        return False


@admin.register(ProgramTarget)
class ProgramTargetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "target_ikm", "notes"]


# --- Invited buyers and meeting requests -------------------------------------


@admin.register(MissionBuyer)
class MissionBuyerAdmin(SimpleHistoryAdmin):
    list_display = ["buyer", "mission", "expires_at", "revoked_at", "link_sent_at", "link"]
    list_filter = [("mission", recent_filter("-start_date"))]
    list_select_related = ["buyer", "mission"]
    search_fields = ["buyer__company", "mission__title"]
    raw_id_fields = ["mission", "buyer"]
    readonly_fields = ["link", "link_sent_at", "invited_at"]
    fields = ["mission", "buyer", "expires_at", "revoked_at", "invited_at", "link_sent_at", "link"]
    actions = ["send_links"]

    @admin.display(description=gettext_lazy("tautan pribadi"))
    def link(self, obj):
        return personal_link(obj)

    @admin.action(
        description=gettext_lazy("Kirim tautan pribadi ke e-mail pembeli"), permissions=["change"]
    )
    def send_links(self, request, queryset):
        sent = skipped = 0
        for invitation in queryset.select_related("buyer", "mission"):
            if invitation.is_usable() and services.send_invitation(invitation):
                sent += 1
            else:
                skipped += 1
        self.message_user(
            request,
            _("%(sent)d tautan dikirim; %(skipped)d dilewati (tanpa e-mail atau tidak berlaku).")
            % {"sent": sent, "skipped": skipped},
            messages.SUCCESS if sent else messages.WARNING,
        )


@admin.register(MeetingRequest)
class MeetingRequestAdmin(SimpleHistoryAdmin):
    list_display = ["invitation", "participation", "status", "answered_at", "meeting"]
    list_filter = ["status", ("invitation__mission", recent_filter("-start_date"))]
    list_select_related = [
        "invitation__buyer",
        "invitation__mission",
        "participation__business",
        "participation__mission",
        "meeting__business",
        "meeting__buyer",
    ]
    search_fields = ["invitation__buyer__company", "participation__business__name"]
    raw_id_fields = ["invitation", "participation", "meeting", "answered_by"]
    readonly_fields = ["created_at", "answered_at", "answered_by", "meeting"]

    def has_add_permission(self, request):
        return False  # buyers ask through their link
