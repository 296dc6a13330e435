"""Staff see every buyer inquiry in the admin (catalog issue #4)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from ikm_registry.models import Inquiry


@admin.register(Inquiry)
class InquiryAdmin(SimpleHistoryAdmin):
    list_display = [
        "created_at",
        "name",
        "company",
        "country",
        "business",
        "product",
        "status",
    ]
    list_filter = ["status", "country", "language", "created_at"]
    search_fields = ["name", "company", "email", "business__name", "product__name", "message"]
    list_select_related = ["business", "product"]
    date_hierarchy = "created_at"
    raw_id_fields = ["business", "product"]
    readonly_fields = ["created_at", "answered_at", "language"]
    fieldsets = [
        (None, {"fields": ["business", "product", "status", "answered_at", "created_at"]}),
        (
            _("pembeli"),
            {"fields": ["name", "company", "country", "email", "phone", "language"]},
        ),
        (_("permintaan"), {"fields": ["quantity", "message"]}),
    ]
    actions = ["mark_answered"]

    @admin.action(description=_("Tandai sudah dijawab"), permissions=["change"])
    def mark_answered(self, request, queryset):
        updated = queryset.filter(status=Inquiry.Status.NEW).update(
            status=Inquiry.Status.ANSWERED, answered_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d permintaan ditandai sudah dijawab.",
                "%(count)d permintaan ditandai sudah dijawab.",
                updated,
            )
            % {"count": updated},
        )
