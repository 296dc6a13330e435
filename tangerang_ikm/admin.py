from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tangerang_ikm.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "email_confirmed_at", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "privacy_consent_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Data pribadi"), {"fields": ("full_name", "language")}),
        (
            _("Hak akses"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "email_confirmed_at")},
        ),
        (_("Tanggal penting"), {"fields": ("last_login", "date_joined", "privacy_consent_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ["groups"]
