import io
import re
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from ikm_registry import services
from ikm_registry.forms import ReturnNotesForm
from ikm_registry.images import process_logo, process_photo, validate_image
from ikm_registry.models import (
    Business,
    Certificate,
    Commodity,
    ContactLog,
    Desa,
    ExportRecord,
    Kecamatan,
    Product,
    ProductPhoto,
)
from ikm_registry.resources import BusinessConfirmImportForm, BusinessResource
from ikm_registry.validators import clean_nib, clean_nik, digits, normalize_phone
from tangerang_ikm.admin_lists import (
    LargeTablePaginator,
    ListRowsMixin,
    SharedLookupsInline,
    keys_in,
)

# SEARCH_VAR is the admin's search parameter ("q"): Django gives it no public attribute,
# so it is read from the change list's module that parses it, not written again.
# A NIB (Nomor Induk Berusaha) is 13 digits: such a search term is looked up exactly.
NIB_TERM = re.compile(r"[0-9]{13}")

# --- Reference data ----------------------------------------------------------


class ReferenceDataAdmin(admin.ModelAdmin):
    """Kecamatan and desa are data from ikm_registry/data/*.csv (BPS codes), loaded by
    migrations: staff read them and nobody edits them here, so they keep no history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Kecamatan)
class KecamatanAdmin(ReferenceDataAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Desa)
class DesaAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "kind", "kecamatan", "postal_code"]
    list_select_related = ["kecamatan"]
    list_filter = ["kind", "kecamatan"]
    search_fields = ["name", "code"]


@admin.register(Commodity)
class CommodityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_en", "hs_code", "kbli_code", "kbli_version", "is_flagship"]
    list_editable = []
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_en"]


# --- Filters -----------------------------------------------------------------


class KecamatanFilter(admin.SimpleListFilter):
    title = _("kecamatan")
    parameter_name = "kecamatan"
    kecamatan_path = "desa__kecamatan_id"  # from the listed model to the kecamatan code

    def lookups(self, request, model_admin):
        return list(Kecamatan.objects.values_list("code", "name"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.kecamatan_path: self.value()})
        return queryset


class BusinessKecamatanFilter(KecamatanFilter):
    """The business list's kecamatan: the kecamatan's desa codes first (one small query),
    then `desa_id IN (…)` on the businesses, without a join to the desa.

    Through the join PostgreSQL took a kecamatan for one desa (it cannot see which desa
    belong to which kecamatan) and sorted each of its 35,000 businesses at national scale
    by name for a page (1 s, `EXPLAIN ANALYZE`); with the codes it knows a kecamatan's
    share and reads the businesses in name order."""

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        codes = Desa.objects.filter(kecamatan_id=self.value()).values_list("code", flat=True)
        return queryset.filter(desa_id__in=list(codes))


class CommodityFilter(admin.SimpleListFilter):
    """A business's commodities, by `EXISTS` on the link table: Django's own filter for a
    many-to-many field makes the whole list `SELECT DISTINCT` over every column (a sort
    of every business of the commodity, 1.1 s at national scale). The parameter stays
    Django's (`commodities__id__exact`), so links to the list keep working."""

    title = _("sektor komoditas")  # the field's verbose name, as Django's filter had it
    parameter_name = "commodities__id__exact"
    NONE = "none"

    def lookups(self, request, model_admin):
        return [
            *Commodity.objects.order_by("name").values_list("pk", "name"),
            (self.NONE, model_admin.get_empty_value_display()),  # Django's "-" choice
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        links = Business.commodities.through.objects.filter(business=OuterRef("pk"))
        if value == self.NONE:
            return queryset.exclude(Exists(links))
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(Exists(links.filter(commodity_id=int(value))))


class ExportReadyFilter(admin.SimpleListFilter):
    title = _("siap ekspor")
    parameter_name = "export_ready"

    def lookups(self, request, model_admin):
        return [("yes", _("punya produk siap ekspor")), ("no", _("belum"))]

    def queryset(self, request, queryset):
        ready = Exists(Product.objects.filter(business=OuterRef("pk"), export_ready=True))
        if self.value() == "yes":
            return queryset.filter(ready)
        if self.value() == "no":
            return queryset.exclude(ready)
        return queryset


class CertificateKindFilter(admin.SimpleListFilter):
    title = _("jenis sertifikat")
    parameter_name = "certificate"

    def lookups(self, request, model_admin):
        return Certificate.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(
                Exists(Certificate.objects.filter(business=OuterRef("pk"), kind=self.value()))
            )
        return queryset


EXPIRY_CHOICES = [
    ("expired", _("sudah kedaluwarsa")),
    ("30", _("habis dalam 30 hari")),
    ("90", _("habis dalam 90 hari")),
    ("valid", _("masih berlaku > 90 hari atau tanpa batas")),
]


def _expiry_q(value, prefix=""):
    from django.db.models import Q

    today = timezone.localdate()
    if value == "expired":
        return Q(**{f"{prefix}valid_until__lt": today})
    if value in ("30", "90"):
        return Q(
            **{
                f"{prefix}valid_until__gte": today,
                f"{prefix}valid_until__lte": today + timedelta(days=int(value)),
            }
        )
    if value == "valid":
        return Q(**{f"{prefix}valid_until__isnull": True}) | Q(
            **{f"{prefix}valid_until__gt": today + timedelta(days=90)}
        )
    return Q()


class CertificateExpiryFilter(admin.SimpleListFilter):
    title = _("masa berlaku sertifikat")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return EXPIRY_CHOICES

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if queryset.model is Certificate:
            return queryset.filter(_expiry_q(self.value()))
        return queryset.filter(
            Exists(Certificate.objects.filter(_expiry_q(self.value()), business=OuterRef("pk")))
        )


# --- Inlines -----------------------------------------------------------------


class PrivateFileInput(forms.ClearableFileInput):
    """No link to the file: private files have no URL (see certificate_link)."""

    def is_initial(self, value):
        return False


class CertificateAdminForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["business", "kind", "number", "issuer", "valid_until", "document"]
        widgets = {"document": PrivateFileInput}


def certificate_link(obj):
    if not obj or not obj.pk or not obj.document:
        return "—"
    return format_html(
        '<a href="{}">{}</a>',
        reverse("ikm_registry:certificate_document", args=[obj.pk]),
        _("unduh dokumen"),
    )


class PrivateDocumentMixin:
    """View-only staff get the checked download link instead of the file field."""

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not self.has_change_permission(request, obj):
            fields = [f for f in fields if f != "document"]
        return fields


class ProductInline(SharedLookupsInline, admin.TabularInline):
    model = Product
    fields = ["name", "category", "hs_code", "export_ready", "is_active", "photo_count"]
    readonly_fields = ["photo_count"]
    show_change_link = True
    extra = 0
    prepopulated_fields = {}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category").annotate(n=Count("photos"))

    @admin.display(description=_("foto"))
    def photo_count(self, obj):
        return getattr(obj, "n", 0)

    def has_add_permission(self, request, obj=None):
        return False


class CertificateInline(SharedLookupsInline, PrivateDocumentMixin, admin.TabularInline):
    model = Certificate
    form = CertificateAdminForm
    fields = ["kind", "number", "issuer", "valid_until", "document", "document_link"]
    readonly_fields = ["document_link"]
    extra = 0

    @admin.display(description=_("dokumen"))
    def document_link(self, obj):
        return certificate_link(obj)


class ExportRecordInline(SharedLookupsInline, admin.TabularInline):
    model = ExportRecord
    extra = 0


class ContactLogInline(SharedLookupsInline, admin.TabularInline):
    """The office's contacts with this IKM, newest first (roles without the contact log's
    permissions, such as the venue manager, do not see this part of the page)."""

    model = ContactLog
    fields = [
        "date",
        "kind",
        "staff",
        "subject",
        "notes",
        "follow_up_on",
        "follow_up_done",
        "mission",
    ]
    extra = 0
    ordering = ["-date", "-pk"]
    classes = ["collapse"]


class PhotoAdminForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("unggah foto"),
        required=False,
        validators=[validate_image],
        help_text=_("JPEG, PNG, atau WebP; diproses ulang tanpa EXIF."),
    )

    class Meta:
        model = ProductPhoto
        fields = ["upload", "alt_text", "position"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("upload"):
            raise ValidationError(_("Pilih foto untuk diunggah."))
        return cleaned

    def save(self, commit=True):
        photo = super().save(commit=False)
        upload = self.cleaned_data.get("upload")
        if upload:
            photo.store(process_photo(upload, stem=f"produk-{photo.product_id}"))
        if commit:
            photo.save()
        return photo


class ProductPhotoInline(SharedLookupsInline, admin.TabularInline):
    model = ProductPhoto
    form = PhotoAdminForm
    fields = ["preview", "upload", "alt_text", "position"]
    readonly_fields = ["preview"]
    extra = 0
    max_num = Product.MAX_PHOTOS

    @admin.display(description=_("foto"))
    def preview(self, obj):
        if obj and obj.thumbnail:
            return format_html('<img src="{}" alt="" width="80">', obj.thumbnail.url)
        return "—"


# --- Business ----------------------------------------------------------------


class BusinessAdminForm(forms.ModelForm):
    class Meta:
        model = Business
        exclude = []  # noqa: DJ006 - the admin's fieldsets choose the fields
        widgets = {"nik": forms.TextInput(attrs={"autocomplete": "off"})}

    def clean_nib(self):
        return clean_nib(self.cleaned_data["nib"])

    def clean_nik(self):
        return clean_nik(self.cleaned_data.get("nik"))

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone"))

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            # Like owners' uploads: checked, re-encoded without EXIF, never kept as sent.
            return process_logo(logo, stem=f"logo-{self.data.get('nib', 'ikm')}"[:60])
        return logo

    def clean_npwp15(self):
        return digits(self.cleaned_data.get("npwp15"))

    def clean_npwp16(self):
        return digits(self.cleaned_data.get("npwp16"))


class TransferForm(forms.Form):
    email = forms.EmailField(label=_("e-mail akun pemilik baru"))

    def clean_email(self):
        User = get_user_model()
        try:
            return User.objects.get(email__iexact=self.cleaned_data["email"], is_staff=False)
        except User.DoesNotExist as exc:
            raise ValidationError(_("Tidak ada akun pemilik IKM dengan e-mail ini.")) from exc


@admin.register(Business)
class BusinessAdmin(ListRowsMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    form = BusinessAdminForm
    resource_classes = [BusinessResource]
    change_list_template = "admin/ikm_registry/business/change_list.html"
    list_display = [
        "name",
        "nib",
        "owner_name",
        "nik_display",
        "phone_display",
        "kecamatan",
        "status",
        "changed_since_verification",
        "size_class_by_sales",
        "product_count",
    ]
    list_select_related = ["desa__kecamatan", "owner"]
    # By name, then the key ascending along the index on name (not Django's "-pk").
    ordering = ["name", "pk"]
    paginator = LargeTablePaginator
    show_full_result_count = False
    # No "show counts" link: the counts of every filter's choices over the whole table
    # (one COUNT(...) FILTER per choice) took seconds a click at regency scale.
    show_facets = admin.ShowFacets.NEVER
    list_filter = [
        "status",
        "changed_since_verification",
        BusinessKecamatanFilter,
        CommodityFilter,
        "size_class_by_sales",
        "size_class_by_capital",
        "ikm_scale",
        ExportReadyFilter,
        CertificateKindFilter,
        CertificateExpiryFilter,
        ("deletion_requested_at", admin.EmptyFieldListFilter),
    ]
    # Each a pg_trgm index over UPPER(column) on PostgreSQL (migration 0016), and the NIB
    # exact (an index over UPPER(nib), 0017): one bitmap OR of indexes, no scan. The
    # owner's account e-mail is matched exactly in get_search_results (a join in the OR
    # made PostgreSQL read every business).
    search_fields = ["name", "=nib", "owner_name", "phone", "email"]
    autocomplete_fields = ["desa", "owner"]
    filter_horizontal = ["commodities"]
    readonly_fields = [
        # Status and archive date move only through the actions and buttons (services).
        "status",
        "archived_at",
        "size_class_by_capital",
        "size_class_by_sales",
        "ikm_scale",
        "nik_masked_display",
        "changes_display",
        "submitted_at",
        "verified_at",
        "created_at",
        "updated_at",
        "nik_access_display",
    ]
    inlines = [ContactLogInline, ProductInline, CertificateInline, ExportRecordInline]
    actions = [
        "submit",
        "verify",
        "return_with_notes",
        "archive",
        "unarchive",
        "transfer_ownership",
    ]
    change_form_template = "admin/ikm_registry/business/change_form.html"
    import_template_name = "admin/ikm_registry/business/import.html"
    confirm_form_class = BusinessConfirmImportForm
    list_per_page = 50
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "legal_form", "nib", "npwp15", "npwp16", "owner"]},
        ),
        (
            _("status"),
            {
                "fields": [
                    "status",
                    "staff_notes",
                    "changes_display",
                    "submitted_at",
                    "verified_at",
                    "archived_at",
                    "deletion_requested_at",
                ]
            },
        ),
        (_("pemilik"), {"fields": ["owner_name", "nik", "nik_access_display"]}),
        (
            _("alamat dan kontak"),
            {
                "fields": [
                    "address",
                    "desa",
                    "phone",
                    "whatsapp_public",
                    "email",
                    "website",
                    "marketplace_links",
                ]
            },
        ),
        (
            _("skala dan sektor"),
            {
                "fields": [
                    "founded_year",
                    "workers_female",
                    "workers_male",
                    "capital",
                    "annual_sales",
                    "investment",
                    "size_class_by_capital",
                    "size_class_by_sales",
                    "ikm_scale",
                    "commodities",
                    "kbli_code",
                    "kbli_version",
                ]
            },
        ),
        (_("profil"), {"fields": ["description", "description_en", "logo"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # A subquery, not Count("products"): filters that join (commodities) would
        # multiply a joined count.
        products = (
            Product.objects.filter(business=OuterRef("pk"))
            .values("business")
            .annotate(n=Count("pk"))
            .values("n")
        )
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "ikm_registry_business_changelist":
            # The list never shows them: no search vector, snapshot or descriptions per row.
            queryset = queryset.defer(*self.UNLISTED)
        return queryset.annotate(n_products=Coalesce(Subquery(products), 0))

    UNLISTED = [
        "search_text",
        "search_vector",
        "verified_snapshot",
        "description",
        "description_en",
        "staff_notes",
        "marketplace_links",
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # View-only staff never see the full NIK.
        out = []
        for name, opts in fieldsets:
            fields = [
                "nik_masked_display" if f == "nik" else f
                for f in opts["fields"]
                if f != "nik_access_display"
            ]
            out.append((name, {**opts, "fields": fields}))
        return out

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("tangerang_ikm.view_user"):
            # Without access to accounts the owner picker cannot search; staff use
            # the "transfer ownership" action instead.
            fields.append("owner")
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if self.has_change_permission(request, obj) else {}

    def get_ordering(self, request):
        """Searched, or filtered by a commodity, the list is in registration order (the
        key ascending); otherwise by name. A common word or a commodity clusters in name
        order ("CV Batik …" after every other "CV …"): at national scale PostgreSQL walked
        half a million businesses of the name index for one page of a search (11-24 s),
        and sorting a common word's 125,000 matches by name instead took 1.6 s. In key
        order the matches are spread evenly, and a rare word's few are sorted. A column
        header still sorts by that column."""
        if request.GET.get(SEARCH_VAR, "").strip() or request.GET.get(
            CommodityFilter.parameter_name
        ):
            return ["pk"]
        return super().get_ordering(request)

    def get_search_results(self, request, queryset, search_term):
        base = queryset
        term = search_term.strip()
        e164 = self.searched_phone(term)
        if NIB_TERM.fullmatch(term):
            # Thirteen digits are a NIB (or a phone number written in full): looked up
            # exactly by their unique indexes, not as a fragment of five columns (the
            # trigram scans of a 13-digit fragment took 30 ms at national scale).
            matched = Q(nib=term)
            if e164:
                matched |= Q(phone=e164)
            return base.filter(matched), False
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in term and " " not in term:
            # The owner's account e-mail, exactly: its owners' keys first (one small
            # query), so the business query stays an OR of indexed conditions.
            owners = (
                get_user_model().objects.filter(email__iexact=term).values_list("pk", flat=True)
            )
            if owner_ids := list(owners[:100]):
                queryset |= base.filter(owner__in=owner_ids)
        if e164:
            # Within the list's filters (`base`), by the phone's own index (migration 0023).
            queryset |= base.filter(phone=e164)
        return queryset, may_have_duplicates

    @staticmethod
    def searched_phone(term):
        """Staff type phones the local way (0812-3456-7890); they are stored as +62…."""
        if sum(c.isdigit() for c in term) < 8:
            return ""
        try:
            return normalize_phone(term)
        except ValidationError:
            return ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if request.method == "GET":
            if obj is not None and obj.nik and self.has_change_permission(request, obj):
                services.log_nik_view(business=obj, user=request.user, context="admin")
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                "workflow_steps": self.workflow_steps(request, obj),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            from ikm_registry.views import unique_slug

            obj.slug = unique_slug(Business, obj.name)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("NIK"))
    def nik_display(self, obj):
        return obj.nik_masked or "—"

    @admin.display(description=_("NIK (disamarkan)"))
    def nik_masked_display(self, obj):
        return obj.nik_masked or "—"

    @admin.display(description=_("telepon"))
    def phone_display(self, obj):
        from tangerang_ikm.templatetags.portal import phone_local

        return phone_local(obj.phone) or "—"

    @admin.display(description=_("kecamatan"), ordering="desa__kecamatan__name")
    def kecamatan(self, obj):
        return obj.desa.kecamatan.name

    @admin.display(description=_("produk"), ordering="n_products")
    def product_count(self, obj):
        return obj.n_products

    @admin.display(description=_("perubahan sejak verifikasi"))
    def changes_display(self, obj):
        changes = obj.changes_since_verification() if obj and obj.pk else []
        if not changes:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {} → {}</li>",
                ((a, b or "∅", c or "∅") for a, b, c in changes),
            ),
        )

    @admin.display(description=_("riwayat akses NIK"))
    def nik_access_display(self, obj):
        if not obj or not obj.pk:
            return "—"
        # The NIK access log lives here, read-only; it has no admin of its own so
        # that nobody, superusers included, can add or edit entries.
        logs = obj.nik_views.select_related("user")[:20]
        return (
            format_html_join(
                "",
                "<div>{} · {}</div>",
                ((log.viewed_at.strftime("%d/%m/%Y %H.%M"), log.user) for log in logs),
            )
            or "—"
        )

    # --- Status: actions on the list, buttons on the change form, both via services ---

    # step → (service, permission method, button label, message after n businesses)
    WORKFLOW = {
        "submit": (
            services.submit,
            "has_submit_permission",
            _("Ajukan verifikasi"),
            _("%(n)d usaha diajukan untuk verifikasi."),
        ),
        "verify": (
            services.verify,
            "has_verify_permission",
            _("Verifikasi"),
            _("%(n)d usaha diverifikasi."),
        ),
        "return": (
            services.return_with_notes,
            "has_verify_permission",
            _("Kembalikan dengan catatan"),
            _("%(n)d usaha dikembalikan ke pemilik."),
        ),
        "archive": (
            services.archive,
            "has_verify_permission",
            _("Arsipkan"),
            _("%(n)d usaha diarsipkan."),
        ),
        "unarchive": (
            services.unarchive,
            "has_verify_permission",
            _("Batalkan arsip"),
            _("%(n)d usaha dikeluarkan dari arsip."),
        ),
    }

    def has_verify_permission(self, request, obj=None):
        return request.user.has_perm("ikm_registry.verify_business")

    def has_submit_permission(self, request, obj=None):
        # On behalf of an owner (or for a business staff manage without one).
        return request.user.has_perm("ikm_registry.change_business")

    def may_step(self, request, step):
        return getattr(self, self.WORKFLOW[step][1])(request)

    def run_step(self, request, businesses, step, **arguments):
        """Apply one service to each business; report what was done and what was refused."""
        service, _permission, _label, done_message = self.WORKFLOW[step]
        done = 0
        for business in businesses:
            try:
                service(business=business, by=request.user, **arguments)
                done += 1
            except ValidationError as exc:
                self.message_user(
                    request, f"{business}: {' '.join(exc.messages)}", messages.WARNING
                )
        if done:
            self.message_user(request, done_message % {"n": done})
        return done

    def workflow_steps(self, request, business):
        """The buttons the change form offers for this business and this user."""
        return [
            {
                "step": step,
                "label": self.WORKFLOW[step][2],
                "url": reverse("admin:ikm_registry_business_workflow", args=[business.pk, step]),
                "asks_notes": step == "return",
            }
            for step in services.possible_steps(business)
            if self.may_step(request, step)
        ]

    def workflow_view(self, request, object_id, step):
        """A change form button: POST runs the step; "return" first asks for notes."""
        if step not in self.WORKFLOW:
            raise Http404
        business = self.get_object(request, unquote(object_id))
        if business is None:
            raise Http404
        if not self.may_step(request, step):
            raise PermissionDenied
        change_url = reverse("admin:ikm_registry_business_change", args=[business.pk])
        if step != "return":
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            self.run_step(request, [business], step)
            return HttpResponseRedirect(change_url)
        form = ReturnNotesForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            self.run_step(request, [business], step, notes=form.cleaned_data["notes"])
            return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/ikm_registry/business/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Kembalikan dengan catatan"),
                "form": form,
                "queryset": [business],
                "opts": self.model._meta,
                "form_url": request.path,
            },
        )

    @admin.action(description=_("Ajukan verifikasi atas nama pemilik"), permissions=["submit"])
    def submit(self, request, queryset):
        self.run_step(request, queryset, "submit")

    @admin.action(description=_("Verifikasi usaha terpilih"), permissions=["verify"])
    def verify(self, request, queryset):
        self.run_step(request, queryset.select_related("owner"), "verify")

    @admin.action(description=_("Arsipkan usaha terpilih"), permissions=["verify"])
    def archive(self, request, queryset):
        self.run_step(request, queryset, "archive")

    @admin.action(description=_("Keluarkan dari arsip"), permissions=["verify"])
    def unarchive(self, request, queryset):
        self.run_step(request, queryset, "unarchive")

    @admin.action(description=_("Kembalikan dengan catatan"), permissions=["verify"])
    def return_with_notes(self, request, queryset):
        form = ReturnNotesForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self.run_step(
                request,
                queryset.select_related("owner"),
                "return",
                notes=form.cleaned_data["notes"],
            )
            return None
        return TemplateResponse(
            request,
            "admin/ikm_registry/business/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Kembalikan dengan catatan"),
                "form": form,
                "queryset": queryset,
                "action": "return_with_notes",
                "opts": self.model._meta,
            },
        )

    def has_transfer_permission(self, request):
        return request.user.has_perm("ikm_registry.change_business")

    @admin.action(description=_("Pindahkan kepemilikan"), permissions=["transfer"])
    def transfer_ownership(self, request, queryset):
        form = TransferForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            new_owner = form.cleaned_data["email"]
            for business in queryset:
                services.transfer_ownership(business=business, new_owner=new_owner, by=request.user)
            self.message_user(
                request,
                _("%(n)d usaha dipindahkan ke %(email)s.")
                % {"n": queryset.count(), "email": new_owner.email},
            )
            return None
        return TemplateResponse(
            request,
            "admin/ikm_registry/business/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Pindahkan kepemilikan"),
                "form": form,
                "queryset": queryset,
                "action": "transfer_ownership",
                "opts": self.model._meta,
            },
        )

    # --- Import / export ---

    def has_import_permission(self, request):
        return request.user.has_perm("ikm_registry.add_business") and request.user.has_perm(
            "ikm_registry.change_business"
        )

    def has_export_permission(self, request):
        return request.user.has_perm("ikm_registry.view_business")

    def import_action(self, request, **kwargs):
        """The dry run. import-export offers no confirm step once a row is refused; here
        the good rows can still be imported, when staff tick "import the valid rows"."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if (
            result is not None
            and context.get("confirm_form") is None
            and not result.has_errors()
            and result.has_validation_errors()
            and result.valid_rows()
        ):
            confirm = self.create_confirm_form(request, import_form=context["form"])
            confirm.initial["refused_rows"] = len(result.invalid_rows)
            context["confirm_form"] = confirm
        return response

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        if isinstance(form, BusinessConfirmImportForm) and form.is_bound:
            # Unticked, one refused row undoes the whole file, as before.
            data_kwargs["rollback_on_validation_errors"] = not form.cleaned_data.get(
                "import_valid_rows"
            )
        return data_kwargs

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        if isinstance(kwargs.get("form"), self.get_confirm_form_class(request)):
            # The confirm step redirects to the list: it builds no preview.
            resource_kwargs["preview"] = False
        return resource_kwargs

    def get_urls(self):
        return [
            path(
                "<path:object_id>/status/<str:step>/",
                self.admin_site.admin_view(self.workflow_view),
                name="ikm_registry_business_workflow",
            ),
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name="ikm_registry_business_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        """An XLSX with the import columns and one example row."""
        from openpyxl import Workbook

        if not self.has_import_permission(request):
            raise PermissionDenied
        example = BusinessResource.TEMPLATE_EXAMPLE
        book = Workbook()
        sheet = book.active
        sheet.title = "ikm"
        sheet.append(list(example))
        sheet.append(list(example.values()))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="templat-impor-ikm.xlsx"'
        return response


@admin.register(Product)
class ProductAdmin(ListRowsMixin, SimpleHistoryAdmin):
    list_display = ["name", "business", "category", "hs_code", "export_ready", "is_active"]
    list_select_related = ["business", "category"]
    # The model's order with the key ascending, as the index product_name_id has it: by
    # "name" alone Django adds "-pk" to make the order total, and PostgreSQL sorted all
    # 50,000 products (on disk) for every page.
    ordering = ["name", "pk"]
    list_per_page = 50  # as the other long lists: Django's 100 rows were half the CPU
    list_filter = ["export_ready", "is_active", "category"]
    paginator = LargeTablePaginator
    show_full_result_count = False
    # No "show counts" link: the counts of every filter's choices over the whole table
    # (one COUNT(...) FILTER per choice) took seconds a click at regency scale.
    show_facets = admin.ShowFacets.NEVER
    # The names by their trigram indexes (migration 0017); a business's name or exact NIB
    # through its keys (get_search_results), not a join inside the OR.
    search_fields = ["name", "name_en"]
    autocomplete_fields = ["business"]
    inlines = [ProductPhotoInline]

    def get_ordering(self, request):
        """Searched, the list is in key order, as the businesses' (BusinessAdmin): a
        product's name starts with its kind ("Keranjang Rotan …"), so a common word's
        matches lie together in name order, half the catalog down the name index."""
        if request.GET.get(SEARCH_VAR, "").strip():
            return ["pk"]
        return super().get_ordering(request)

    # The businesses whose products a search by business name adds: a common word in
    # the names of many thousands would make one long list of keys in each page's query.
    BUSINESS_MATCH_LIMIT = 500

    def get_search_results(self, request, queryset, search_term):
        base = queryset
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            matched = Q(nib=term) if NIB_TERM.fullmatch(term) else Q(name__icontains=term)
            businesses = Business.objects.filter(matched).values_list("pk", flat=True)
            business_ids = list(businesses[: self.BUSINESS_MATCH_LIMIT + 1])
            if len(business_ids) > self.BUSINESS_MATCH_LIMIT:
                business_ids = business_ids[: self.BUSINESS_MATCH_LIMIT]
                self._say_business_match_is_cut(request, term)
            if business_ids:
                # One array parameter, not 500 placeholders in each of the page's queries.
                queryset |= base.filter(keys_in("business", business_ids))
        return queryset, may_have_duplicates

    def _say_business_match_is_cut(self, request, term):
        self.message_user(
            request,
            _(
                "Lebih dari %(limit)s IKM bernama mirip “%(term)s”: produk yang namanya tidak "
                "cocok hanya ditampilkan dari %(limit)s IKM pertama. Persempit pencarian atau "
                "cari dengan NIB."
            )
            % {"limit": self.BUSINESS_MATCH_LIMIT, "term": term},
            messages.WARNING,
        )

    prepopulated_fields = {"slug": ["name"]}


@admin.register(Certificate)
class CertificateAdmin(PrivateDocumentMixin, SimpleHistoryAdmin):
    form = CertificateAdminForm
    fields = ["business", "kind", "number", "issuer", "valid_until", "document", "document_link"]
    list_display = [
        "business",
        "kind",
        "number",
        "issuer",
        "valid_until",
        "validity",
        "document_link",
    ]
    list_select_related = ["business"]
    show_full_result_count = False  # one COUNT, not two, on a filtered list
    list_filter = ["kind", CertificateExpiryFilter]
    search_fields = ["number", "business__name", "business__nib"]
    autocomplete_fields = ["business"]
    readonly_fields = ["document_link"]
    ordering = ["valid_until"]
    date_hierarchy = "valid_until"

    @admin.display(description=_("dokumen"))
    def document_link(self, obj):
        return certificate_link(obj)

    @admin.display(description=_("masa berlaku"))
    def validity(self, obj):
        if obj.valid_until is None:
            return _("tanpa batas")
        days = (obj.valid_until - timezone.localdate()).days
        if days < 0:
            return _("kedaluwarsa %(n)d hari lalu") % {"n": -days}
        if days <= 90:
            return _("habis dalam %(n)d hari") % {"n": days}
        return _("berlaku")


from ikm_registry import (  # noqa: E402, F401 - registers their ModelAdmins
    admin_inquiry,
    admin_people,
)
