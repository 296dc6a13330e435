"""The admin's people pages: the contact log (pembinaan) and the erasure queue."""

import io
from datetime import date

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ikm_registry import erasure as erasure_service
from ikm_registry.admin import KecamatanFilter
from ikm_registry.models import ContactLog, ErasureRequest
from tangerang_ikm.spreadsheets import safe_text


class ContactKecamatanFilter(KecamatanFilter):
    kecamatan_path = "business__desa__kecamatan_id"


def quarter_of(day):
    return (day.month - 1) // 3 + 1


class QuarterFilter(admin.SimpleListFilter):
    """The program reports by quarter: this one and the seven before it."""

    title = _("kuartal")
    parameter_name = "quarter"

    def lookups(self, request, model_admin):
        today = timezone.localdate()
        year, quarter = today.year, quarter_of(today)
        options = []
        for _i in range(8):
            options.append((f"{year}-{quarter}", f"K{quarter} {year}"))
            year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        return options

    def queryset(self, request, queryset):
        value = self.value() or ""
        year, _sep, quarter = value.partition("-")
        if year.isdigit() and quarter in {"1", "2", "3", "4"}:
            return queryset.in_quarter(int(year), int(quarter))
        return queryset


XLSX_COLUMNS = [
    (_("tanggal"), lambda c: c.date),
    (_("jenis"), lambda c: str(c.get_kind_display())),
    (_("usaha"), lambda c: c.business.name),
    (_("NIB"), lambda c: c.business.nib),
    (_("kecamatan"), lambda c: c.business.desa.kecamatan.name),
    (_("petugas"), lambda c: str(c.staff) if c.staff else ""),
    (_("pokok bahasan"), lambda c: c.subject),
    (_("catatan"), lambda c: c.notes),
    (_("tindak lanjut pada"), lambda c: c.follow_up_on),
    (_("tindak lanjut selesai"), lambda c: c.follow_up_done),
    (_("misi dagang terkait"), lambda c: str(c.mission) if c.mission_id else ""),
]


def contacts_xlsx(contacts):
    """The contacts as XLSX bytes; text from people stays text (safe_text)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "pembinaan"
    sheet.append([str(label) for label, _get in XLSX_COLUMNS])
    for contact in contacts:
        sheet.append([safe_text(get(contact)) for _label, get in XLSX_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@admin.register(ContactLog)
class ContactLogAdmin(SimpleHistoryAdmin):
    list_display = [
        "date",
        "business",
        "kecamatan",
        "kind",
        "staff",
        "subject",
        "follow_up_on",
        "follow_up_done",
    ]
    list_select_related = ["business__desa__kecamatan", "staff"]
    list_filter = [
        "kind",
        ContactKecamatanFilter,
        ("staff", admin.RelatedOnlyFieldListFilter),
        QuarterFilter,
        "date",
        "follow_up_done",
    ]
    date_hierarchy = "date"
    search_fields = ["subject", "business__name", "business__nib"]
    autocomplete_fields = ["business"]
    raw_id_fields = ["mission"]
    actions = ["export_xlsx"]
    show_full_result_count = False

    @admin.display(description=_("kecamatan"), ordering="business__desa__kecamatan__name")
    def kecamatan(self, obj):
        return obj.business.desa.kecamatan.name

    def get_changeform_initial_data(self, request):
        return {"staff": request.user.pk, **super().get_changeform_initial_data(request)}

    # Staff who keep the log export it; Pimpinan reads it in the list and the dashboard
    # (tests/portal/test_roles.py: no admin action is offered to a view-only role).
    @admin.action(description=_("Unduh yang dipilih sebagai XLSX"), permissions=["change"])
    def export_xlsx(self, request, queryset):
        rows = queryset.select_related("business__desa__kecamatan", "staff", "mission")
        response = HttpResponse(
            contacts_xlsx(rows.order_by("-date", "-pk")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"pembinaan-{date.today():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


@admin.register(ErasureRequest)
class ErasureRequestAdmin(SimpleHistoryAdmin):
    """The queue of owners' deletion requests: approve (erase) or refuse with a reason."""

    list_display = ["pk", "requested_at", "user", "business", "status", "decided_at", "decided_by"]
    list_select_related = ["user", "business", "decided_by"]
    list_filter = ["status"]
    fields = ["user", "business", "requested_at", "status", "decided_at", "decided_by", "reason"]
    readonly_fields = ["user", "business", "requested_at", "status", "decided_at", "decided_by"]
    change_form_template = "admin/ikm_registry/erasurerequest/change_form.html"

    def has_add_permission(self, request):
        return False  # requests come from owners (ikm_registry.services.request_deletion)

    def has_delete_permission(self, request, obj=None):
        return False  # the decision is the record an audit asks for

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != ErasureRequest.Status.PENDING:
            fields.append("reason")
        return fields

    def response_change(self, request, obj):
        action = "approve" if "_approve" in request.POST else None
        action = "refuse" if "_refuse" in request.POST else action
        if action and self.has_change_permission(request, obj):
            try:
                if action == "approve":
                    erasure_service.approve(erasure=obj, by=request.user)
                    self.message_user(request, _("Data pribadi pemohon telah dihapus."))
                else:
                    erasure_service.refuse(erasure=obj, by=request.user, reason=obj.reason)
                    self.message_user(request, _("Penolakan dicatat dan dikirim ke pemohon."))
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)
