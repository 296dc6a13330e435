import difflib
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ikm_registry.fields import MoneyField, QuickSelect, SafeModelMultipleChoiceField
from ikm_registry.hs import suggest_hs_code
from ikm_registry.images import process_logo, validate_image
from ikm_registry.models import (
    Business,
    Certificate,
    Commodity,
    Desa,
    ExportRecord,
    Kecamatan,
    Product,
)
from ikm_registry.validators import clean_nib, clean_nik, normalize_phone, split_npwp
from ikm_registry.widgets import KecamatanSelect
from tangerang_ikm.forms import SingleLineFieldsMixin

LEGAL_WORDS = re.compile(r"\b(cv|pt|ud|koperasi|kop|firma|tbk)\b\.?", re.IGNORECASE)


def comparable_name(name):
    """'CV. Rotan Jaya Abadi' → 'rotan jaya abadi' for near-duplicate checks."""
    name = LEGAL_WORDS.sub(" ", name.lower())
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", name).split())


def similar_names(name, *, desa, exclude_pk=None):
    """Businesses in the same desa whose name is near-identical to `name`."""
    target = comparable_name(name)
    if not target or desa is None:
        return []
    others = Business.objects.filter(desa=desa).exclude(pk=exclude_pk).only("name")
    return [
        b
        for b in others
        if difflib.SequenceMatcher(None, target, comparable_name(b.name)).ratio() >= 0.85
    ]


class DesaChoiceField(forms.ModelChoiceField):
    """Desa named alone once the kecamatan is chosen, else as "Kecamatan — Desa"."""

    within_kecamatan = False

    def label_from_instance(self, obj):
        return obj.name if self.within_kecamatan else f"{obj.kecamatan.name} — {obj.name}"


class PlacePickerMixin:
    """Kecamatan first, then only its desa.

    Without JavaScript it takes two steps: the "Lanjut" button (PLACE_STEP) posts the
    form, the view shows it again from `typed_so_far()`, and the desa list holds only the
    chosen kecamatan's. static/js/place_picker.js narrows the list in place from the
    `desa_by_kecamatan` data. A post without a kecamatan (older pages, tests) still
    accepts any desa, and the kecamatan is then taken from it.
    """

    PLACE_STEP = "pick_kecamatan"

    def _setup_place_picker(self):
        kecamatan = self._chosen_kecamatan()
        desa = self.fields["desa"]
        if kecamatan:
            desa.queryset = desa.queryset.filter(kecamatan=kecamatan)
            desa.within_kecamatan = True
            self.initial.setdefault("kecamatan", kecamatan)
        elif not self.is_bound:
            desa.queryset = desa.queryset.none()
            desa.help_text = _("Pilih kecamatan dahulu, lalu tekan “Lanjut”.")

    def _chosen_kecamatan(self):
        if self.is_bound:
            code = self.data.get(self.add_prefix("kecamatan"))
        else:
            code = self.initial.get("kecamatan")
            if not code and self.instance.pk and self.instance.desa_id:
                code = self.instance.desa.kecamatan_id
        code = getattr(code, "pk", code)
        # Posted as typed, before the form is cleaned: a NUL byte, which PostgreSQL
        # refuses in a lookup, is no kecamatan either.
        if not code or "\x00" in str(code):
            return None
        return code if Kecamatan.objects.filter(pk=code).exists() else None

    def is_place_step(self):
        """True when the owner pressed "Lanjut" to narrow the desa list."""
        return self.is_bound and self.PLACE_STEP in self.data

    def typed_so_far(self):
        """What was typed, as initial data for showing the form again (files excepted)."""
        return {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
            if not isinstance(field, forms.FileField)
        }

    def desa_by_kecamatan(self):
        """{kecamatan code: [[desa code, name], …]} for the in-place narrowing script."""
        places = {}
        for code, name, kecamatan in Desa.objects.order_by("name").values_list(
            "code", "name", "kecamatan_id"
        ):
            places.setdefault(kecamatan, []).append([code, name])
        return places


class BusinessForm(PlacePickerMixin, SingleLineFieldsMixin, forms.ModelForm):
    npwp = forms.CharField(
        label=_("NPWP"),
        required=False,
        max_length=25,
        help_text=_("15 digit (format lama) atau 16 digit. Tanda baca boleh ditulis."),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.all(),
        required=False,
        empty_label=_("Pilih kecamatan"),
        widget=KecamatanSelect,
    )
    desa = DesaChoiceField(
        label=_("Desa/kelurahan"),
        queryset=Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name"),
        empty_label=_("Pilih desa/kelurahan"),
    )
    commodities = SafeModelMultipleChoiceField(
        label=_("sektor komoditas"),
        queryset=Commodity.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    logo_upload = forms.FileField(
        label=_("logo"),
        required=False,
        help_text=_("JPEG, PNG, atau WebP, maksimal 10 MB."),
        validators=[validate_image],
    )

    class Meta:
        model = Business
        fields = [
            "name",
            "legal_form",
            "nib",
            "npwp",
            "owner_name",
            "nik",
            "address",
            "kecamatan",
            "desa",
            "phone",
            "whatsapp_public",
            "email",
            "website",
            "marketplace_links",
            "founded_year",
            "workers_female",
            "workers_male",
            "capital",
            "annual_sales",
            "investment",
            "commodities",
            "kbli_code",
            "kbli_version",
            "description",
            "description_en",
        ]
        field_classes = {
            "capital": MoneyField,
            "annual_sales": MoneyField,
            "investment": MoneyField,
        }
        widgets = {
            "nib": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "marketplace_links": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_place_picker()
        self.warnings = []
        self.fields["nib"].validators = []
        self.fields["nik"].validators = []
        self.fields["phone"].validators = []
        self.fields["nib"].max_length = 20
        self.fields["nib"].widget.attrs["maxlength"] = 20
        self.fields["phone"].max_length = 25
        self.fields["phone"].widget.attrs["maxlength"] = 25
        self.fields["nik"].max_length = 25
        self.fields["nik"].widget.attrs["maxlength"] = 25
        self.fields["nik"].help_text = _(
            "16 digit, tidak wajib. Tidak pernah dipublikasikan; disimpan terenkripsi."
        )
        self.fields["phone"].help_text = _("mis. 0812-3456-7890")
        # PP 7/2021 gives two classes: say which figure sets which.
        self.fields["capital"].help_text = _(
            "Tidak termasuk tanah dan bangunan. Menentukan skala usaha menurut modal "
            "(dipakai saat pendaftaran)."
        )
        self.fields["annual_sales"].help_text = _(
            "Hasil penjualan setahun. Menentukan skala usaha menurut omzet, yang dipakai "
            "program pemberdayaan seperti misi dagang."
        )
        if self.instance.pk:
            self.initial["npwp"] = self.instance.npwp
            from ikm_registry.templatetags.registry import phone_input

            self.initial["phone"] = phone_input(self.instance.phone)

    def clean_nib(self):
        nib = clean_nib(self.cleaned_data["nib"])
        if Business.objects.filter(nib=nib).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _(
                    "NIB %(nib)s sudah terdaftar di portal. Jika usaha ini milik Anda, "
                    "hubungi Disperindag Kabupaten Tangerang di %(email)s agar akun Anda "
                    "dihubungkan dengan data tersebut."
                ),
                params={"nib": nib, "email": settings.OFFICE_EMAIL},
                code="duplicate_nib",
            )
        return nib

    def clean_nik(self):
        return clean_nik(self.cleaned_data.get("nik"))

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone"))

    def clean_npwp(self):
        return split_npwp(self.cleaned_data.get("npwp"))

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year and not 1900 <= year <= timezone.localdate().year:
            raise ValidationError(_("Tahun berdiri tidak masuk akal."))
        return year

    def clean_kbli_code(self):
        code = self.cleaned_data.get("kbli_code", "")
        if code and not re.fullmatch(r"\d{5}", code):
            raise ValidationError(_("Kode KBLI terdiri dari 5 digit."))
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") and cleaned.get("desa"):
            self.warnings = similar_names(
                cleaned["name"], desa=cleaned["desa"], exclude_pk=self.instance.pk
            )
        return cleaned

    def save(self, commit=True):
        business = super().save(commit=False)
        business.npwp15, business.npwp16 = self.cleaned_data.get("npwp") or ("", "")
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            business.logo.save(
                f"logo-{business.nib}.jpg", process_logo(upload, stem=business.nib), save=False
            )
        if commit:
            business.save()
            self.save_m2m()
        return business


class ProductForm(SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "name_en",
            "category",
            "description",
            "description_en",
            "hs_code",
            "unit",
            "min_order",
            "capacity_per_month",
            "price_min",
            "price_max",
            "fob_price_usd",
            "lead_time_days",
            "samples",
            "incoterms",
            "port_of_loading",
            "payment_terms",
            "export_ready",
            "is_active",
        ]
        field_classes = {
            "price_min": MoneyField,
            "price_max": MoneyField,
            "fob_price_usd": MoneyField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django 6.1's blank choice is "- Select an option -", untranslated in Indonesian.
        self.fields["category"].empty_label = _("Pilih kategori")
        self.fields["samples"].choices = [("", _("Belum ditentukan")), *Product.Samples.choices]
        self.fields["lead_time_days"].widget.attrs.update({"inputmode": "numeric", "min": 0})
        # Set by clean() when an empty HS code was filled with the suggestion.
        self.hs_filled = None
        help_text = _(
            "Kosongkan untuk memakai kode yang disarankan dari kategori dan nama produk. "
            "Periksa dengan BTKI sebelum ekspor."
        )
        product = self.instance
        if not self.is_bound and product.pk:
            suggestion = suggest_hs_code(product.category, product.name, product.name_en)
            if suggestion and suggestion.code != product.hs_code:
                help_text = format_lazy(
                    "{} {}",
                    help_text,
                    _("Saran untuk produk ini: %(code)s %(reason)s")
                    % {
                        "code": suggestion.code,
                        "reason": f"({suggestion.reason})" if suggestion.reason else "",
                    },
                )
        self.fields["hs_code"].help_text = help_text

    def clean_hs_code(self):
        code = self.cleaned_data.get("hs_code", "").strip()
        if code and not re.fullmatch(r"\d{4}(\.\d{2}){1,3}|\d{6,10}", code):
            raise ValidationError(_("Tulis kode HS seperti 4602.12.90."))
        return code

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("price_min"), cleaned.get("price_max")
        if low is not None and high is not None and high < low:
            self.add_error("price_max", _("Harga tertinggi tidak boleh di bawah harga terendah."))
        if not cleaned.get("hs_code") and "hs_code" not in self.errors:
            suggestion = suggest_hs_code(
                cleaned.get("category"), cleaned.get("name"), cleaned.get("name_en")
            )
            if suggestion:
                cleaned["hs_code"] = suggestion.code
                self.hs_filled = suggestion
        return cleaned


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("foto produk"),
        help_text=_("JPEG, PNG, atau WebP, maksimal 10 MB dan 40 megapiksel."),
        validators=[validate_image],
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt_text = forms.CharField(
        label=_("keterangan foto"),
        max_length=200,
        required=False,
        help_text=_("Apa yang terlihat di foto, untuk pembaca layar."),
    )


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["kind", "number", "issuer", "valid_until", "document"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["kind"].choices = [("", _("Pilih jenis sertifikat")), *Certificate.Kind.choices]
        self.fields["document"].widget = forms.FileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        )


class ExportRecordForm(forms.ModelForm):
    class Meta:
        model = ExportRecord
        fields = ["country", "year"]
        # ~250 countries through the option templates were most of the owner's business page.
        widgets = {"country": QuickSelect}

    def __init__(self, *args, business=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.business = business

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1950 <= year <= timezone.localdate().year:
            raise ValidationError(_("Tahun ekspor tidak masuk akal."))
        return year

    def clean(self):
        cleaned = super().clean()
        if (
            self.business
            and cleaned.get("country")
            and cleaned.get("year")
            and self.business.exports.filter(
                country=cleaned["country"], year=cleaned["year"]
            ).exists()
        ):
            raise ValidationError(_("Negara dan tahun ini sudah tercatat."))
        return cleaned


class ReturnNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("catatan untuk pemilik"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Apa yang harus diperbaiki. Dikirim ke pemilik lewat e-mail."),
    )


class DeletionRequestForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Saya meminta data usaha saya dihapus dari portal."), required=True
    )
