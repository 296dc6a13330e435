"""Import and export of the office's IKM list (XLSX/CSV) with django-import-export.

Rows are keyed on NIB: a known NIB updates that business, a new one creates a draft.
Every value goes through the same validators as the owner's form; a bad row is
reported as invalid with its reasons in the dry-run preview, and nothing is written
until staff confirm. NIK is neither imported nor exported (personal data).
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from ikm_registry.models import Business, Commodity, Desa
from ikm_registry.validators import clean_nib, normalize_phone, split_npwp


def _messages(exc):
    return "; ".join(exc.messages)


class NibWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return clean_nib(str(value or "").split(".")[0] if isinstance(value, float) else value)
        except ValidationError as exc:
            raise ValueError(_messages(exc)) from exc


class PhoneWidget(widgets.CharWidget):
    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, (int, float)):
            value = "0" + str(int(value))  # Excel drops the leading 0 of 0812…
        try:
            return normalize_phone(str(value or ""))
        except ValidationError as exc:
            raise ValueError(_messages(exc)) from exc

    def render(self, value, obj=None, **kwargs):
        from tangerang_ikm.templatetags.portal import phone_local

        return phone_local(value)


class DesaWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Desa, field="code")

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        if not value:
            raise ValueError("Kode desa wajib diisi, mis. 36.03.18.2004.")
        try:
            return Desa.objects.get(code=value)
        except Desa.DoesNotExist as exc:
            raise ValueError(f"Kode desa {value} tidak dikenal.") from exc


class NpwpField(fields.Field):
    """One 'npwp' column, 15 or 16 digits, stored as npwp15 and npwp16."""

    def __init__(self):
        super().__init__(
            attribute="npwp16", column_name="npwp", widget=widgets.CharWidget(allow_blank=True)
        )

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = row.get(self.column_name)
        if isinstance(value, float):
            value = str(int(value)).zfill(15)
        try:
            instance.npwp15, instance.npwp16 = split_npwp(str(value or ""))
        except ValidationError as exc:
            raise ValueError(_messages(exc)) from exc

    def get_value(self, instance):
        return instance.npwp16 or instance.npwp15


class BusinessResource(resources.ModelResource):
    nib = fields.Field(attribute="nib", column_name="nib", widget=NibWidget())
    desa = fields.Field(attribute="desa", column_name="kode_desa", widget=DesaWidget())
    phone = fields.Field(attribute="phone", column_name="telepon", widget=PhoneWidget())
    npwp = NpwpField()
    commodities = fields.Field(
        attribute="commodities",
        column_name="komoditas",
        widget=widgets.ManyToManyWidget(Commodity, field="slug", separator=","),
    )
    kecamatan = fields.Field(
        attribute="desa__kecamatan__name", column_name="kecamatan", readonly=True
    )
    owner_email = fields.Field(attribute="owner__email", column_name="akun_pemilik", readonly=True)
    email = fields.Field(
        attribute="email", column_name="email", widget=widgets.CharWidget(allow_blank=True)
    )
    address = fields.Field(
        attribute="address", column_name="address", widget=widgets.CharWidget(allow_blank=True)
    )
    description = fields.Field(
        attribute="description",
        column_name="description",
        widget=widgets.CharWidget(allow_blank=True),
    )
    description_en = fields.Field(
        attribute="description_en",
        column_name="description_en",
        widget=widgets.CharWidget(allow_blank=True),
    )
    kbli_code = fields.Field(
        attribute="kbli_code", column_name="kbli_code", widget=widgets.CharWidget(allow_blank=True)
    )

    class Meta:
        model = Business
        import_id_fields = ["nib"]
        fields = [
            "nib",
            "name",
            "legal_form",
            "owner_name",
            "address",
            "desa",
            "kecamatan",
            "phone",
            "email",
            "npwp",
            "founded_year",
            "workers_female",
            "workers_male",
            "capital",
            "annual_sales",
            "investment",
            "size_class",
            "ikm_scale",
            "commodities",
            "kbli_code",
            "kbli_version",
            "description",
            "description_en",
            "status",
            "owner_email",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_bulk = False

    TEMPLATE_EXAMPLE = {
        "nib": "9120001234567",
        "name": "Anyaman Rotan Contoh",
        "legal_form": "perorangan",
        "owner_name": "Nama Pemilik",
        "address": "Jl. Contoh No. 1",
        "kode_desa": "36.03.18.2004",
        "telepon": "0812-3456-7890",
        "email": "",
        "npwp": "",
        "founded_year": "2015",
        "workers_female": "3",
        "workers_male": "2",
        "capital": "250000000",
        "annual_sales": "800000000",
        "investment": "",
        "komoditas": "kerajinan-rotan",
        "kbli_code": "16291",
        "kbli_version": "2020",
        "description": "",
        "description_en": "",
        "status": "draft",
    }

    def get_instance(self, instance_loader, row):
        # A malformed NIB cannot match anything: treat the row as new, so that the
        # NIB field reports its error and the row shows as invalid, not as a crash.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None

    def before_save_instance(self, instance, row, **kwargs):
        if not instance.slug:
            from ikm_registry.views import unique_slug

            instance.slug = unique_slug(Business, instance.name)
        if not instance.status:
            instance.status = Business.Status.DRAFT

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not instance.status:
            instance.status = Business.Status.DRAFT
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # slug is filled just before save; exclude it from model validation.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors.keys(), "slug"], validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
