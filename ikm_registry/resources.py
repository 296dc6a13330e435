"""Import and export of the office's IKM list (XLSX/CSV) with django-import-export.

Rows are keyed on NIB: a known NIB updates that business, a new one creates a draft,
or a submitted business when the office's `status` column says "submitted". The import
never verifies and never moves an existing business's status (StatusField): status moves
only through ikm_registry/services.py. A row that updates a verified business follows
the owners' rule (services.owner_saved): the business stays public, changes to its
public data set `changed_since_verification` for staff review, and the dry run marks
the row with those changes. Every value goes through the same validators as the owner's
form; a bad row is reported as refused with its reasons in the dry run, and confirm
imports the good rows only when staff tick "import the valid rows"
(BusinessConfirmImportForm). NIK is neither imported nor exported (personal data).

A 10,000-row list takes well under a minute, dry run and confirm together (issue #9,
bench/import_xlsx.py), because the work per row is Python only:
- the businesses the file names, their desa and the commodities are read once per
  import (BusinessLoader, DesaWidget.load, CommoditiesWidget.load), not once a row;
- rows are written in batches of BATCH (`use_bulk`) with their history
  (simple_history's bulk helpers), their commodities, the size classes that
  Business.save() would derive and their search text (search.business_text);
- bulk writes send no post_save or m2m_changed, so after a confirmed import the
  import does the rest of what ikm_registry/signals.py does for a save: it stores the
  search vectors and vocabulary, refreshes the texts of the products of businesses
  whose name or desa changed, and clears the cached pages once committed;
- the confirm step builds no preview diff (BusinessAdmin passes preview=False).
The dry run writes the same batches inside its transaction and rolls them back, so
an error the database would raise shows in the preview too.
"""

from collections import Counter
from decimal import InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy
from import_export import fields, instance_loaders, resources, widgets
from import_export.forms import ConfirmImportForm
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ikm_registry import facts, search, signals
from ikm_registry.models import Business, Commodity, Desa, Product
from ikm_registry.validators import clean_nib, normalize_phone, split_npwp
from tangerang_ikm.spreadsheets import SafeExportMixin

# Rows per bulk write, and the most values one lookup query is given.
BATCH = 1000
# unique_slug()'s length of a slug's base (ikm_registry/views.py).
SLUG_BASE_LENGTH = 160


def _messages(exc):
    return "; ".join(exc.messages)


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


class _NumberMessage:
    """A cell that is not a number ('th 2010', 'Rp 2 juta') is a reason the row is
    invalid, not a crash of the whole import (Decimal raises InvalidOperation)."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise ValueError(gettext("Isi dengan angka saja, mis. 2015 atau 250000000.")) from exc


class WholeNumberWidget(_NumberMessage, widgets.IntegerWidget):
    pass


class AmountWidget(_NumberMessage, widgets.DecimalWidget):
    pass


class DesaWidget(widgets.ForeignKeyWidget):
    """A desa by its Kemendagri code. An import reads every code of its file at once
    (`load`); without that, each value is looked up on its own."""

    def __init__(self):
        super().__init__(Desa, field="code")
        self.known = None

    @staticmethod
    def code(value):
        return str(value or "").strip()

    def load(self, values):
        codes = {self.code(v) for v in values} - {""}
        queryset = Desa.objects.select_related("kecamatan").order_by()
        self.known = {}
        for chunk in _chunks(sorted(codes)):
            self.known.update((d.code, d) for d in queryset.filter(code__in=chunk))

    def clean(self, value, row=None, **kwargs):
        value = self.code(value)
        if not value:
            raise ValueError("Kode desa wajib diisi, mis. 36.03.18.2004.")
        if self.known is not None:
            desa = self.known.get(value)
        else:
            desa = Desa.objects.select_related("kecamatan").filter(code=value).first()
        if desa is None:
            raise ValueError(f"Kode desa {value} tidak dikenal.")
        return desa


class _Pending(list):
    """Commodities waiting on an instance for its batch, read like a related manager."""

    def all(self):
        return self


class CommoditiesWidget(widgets.ManyToManyWidget):
    """Commodity slugs, comma-separated; an unknown slug is ignored, as it always was.
    An import reads the (small) commodity table once (`load`)."""

    def __init__(self):
        super().__init__(Commodity, field="slug", separator=",")
        self.known = None

    def load(self):
        self.known = {c.slug: c for c in Commodity.objects.all()}  # in the model's order

    def clean(self, value, row=None, **kwargs):
        if self.known is None:
            return super().clean(value, row=row, **kwargs)
        if not value:
            return _Pending()
        if isinstance(value, (float, int)):
            wanted = {str(int(value))}
        else:
            wanted = {v.strip() for v in str(value).split(self.separator)} - {""}
        return _Pending(c for slug, c in self.known.items() if slug in wanted)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.separator.join(smart_str(getattr(c, self.field)) for c in value.all())


class CommoditiesField(fields.Field):
    """The 'komoditas' column. Rows are written in batches, so an imported row's
    commodities wait on its instance (`pending_commodities`) until the batch is
    written, and the preview shows them from there. A business the loader read has its
    current ones in `current_commodities`: a plain list survives the copy import-export
    takes of each instance, where a prefetched queryset would be read again."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.pending_commodities = self.clean(row, **kwargs)

    def get_value(self, instance):
        for name in ("pending_commodities", "current_commodities"):
            value = getattr(instance, name, None)
            if value is not None:
                return value
        return super().get_value(instance)


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


class StatusField(fields.Field):
    """The office's `status` column: a new business is a draft (empty cell) or
    submitted; an existing business's status is never changed by an import."""

    CREATABLE = {
        "": Business.Status.DRAFT,
        "draft": Business.Status.DRAFT,
        "draf": Business.Status.DRAFT,
        "submitted": Business.Status.SUBMITTED,
        "diajukan": Business.Status.SUBMITTED,
    }

    def __init__(self):
        super().__init__(
            attribute="status", column_name="status", widget=widgets.CharWidget(allow_blank=True)
        )

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = str(row.get(self.column_name) or "").strip().lower()
        if instance.pk is None:
            if value not in self.CREATABLE:
                raise ValueError(
                    gettext(
                        "Usaha baru hanya dapat diimpor sebagai draft atau submitted. "
                        "Verifikasi dilakukan petugas dengan tombol Verifikasi."
                    )
                )
            instance.status = self.CREATABLE[value]
            if instance.status == Business.Status.SUBMITTED:
                instance.submitted_at = timezone.now()
        elif value and value != instance.status:
            raise ValueError(
                gettext(
                    "Status usaha yang sudah ada (%(status)s) tidak diubah lewat impor. "
                    "Kosongkan kolom status, atau pakai tombol di halaman usaha."
                )
                % {"status": instance.status}
            )


class BusinessConfirmImportForm(ConfirmImportForm):
    """import-export's confirm form, plus the tick that imports the good rows of a file
    with refused rows (BusinessAdmin.get_import_data_kwargs)."""

    refused_rows = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    import_valid_rows = forms.BooleanField(
        label=gettext_lazy("Impor baris yang valid saja"),
        required=False,
        help_text=gettext_lazy("Baris yang ditolak dilewati; perbaiki lalu impor lagi nanti."),
    )

    @property
    def refused(self):
        value = self["refused_rows"].value()
        try:
            return int(value or 0)
        except (TypeError, ValueError):
            return 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.refused:
            self.fields["import_valid_rows"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if self.refused and not cleaned.get("import_valid_rows"):
            raise ValidationError(
                gettext(
                    "Berkas ini berisi baris yang ditolak. Centang “Impor baris yang valid "
                    "saja” untuk mengimpor baris lainnya, atau perbaiki berkasnya."
                )
            )
        return cleaned


FIELDS = [f for f in Business._meta.concrete_fields if not f.primary_key]


class _NoDiff:
    """The confirm step shows no preview (it redirects to the list): no diff to build."""

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


class BusinessLoader(instance_loaders.ModelInstanceLoader):
    """Every business the file names, read once (a query per BATCH NIBs) with what the
    preview shows of it: its desa and kecamatan, owner and commodities."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.nib_field = resource.fields["nib"]
        self.by_nib = {}
        nibs = set()
        if dataset is not None and self.nib_field.column_name in (dataset.headers or ()):
            for value in dataset[self.nib_field.column_name]:
                try:
                    nibs.add(self.nib_field.widget.clean(value))
                except ValueError:
                    continue  # the row reports it
        queryset = (
            self.get_queryset()
            .select_related("desa__kecamatan", "owner")
            .prefetch_related("commodities")
            .order_by()
        )
        for chunk in _chunks(sorted(nibs)):
            for business in queryset.filter(nib__in=chunk):
                business.current_commodities = _Pending(business.commodities.all())
                # What is stored, to write only the columns a batch changes.
                business.stored = {f.attname: getattr(business, f.attname) for f in FIELDS}
                self.by_nib[business.nib] = business

    def get_instance(self, row):
        return self.by_nib.get(self.nib_field.clean(row))


class BusinessResource(SafeExportMixin, resources.ModelResource):
    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "DecimalField": AmountWidget,
        "PositiveIntegerField": WholeNumberWidget,
        "PositiveSmallIntegerField": WholeNumberWidget,
    }

    nib = fields.Field(attribute="nib", column_name="nib", widget=NibWidget())
    desa = fields.Field(attribute="desa", column_name="kode_desa", widget=DesaWidget())
    phone = fields.Field(attribute="phone", column_name="telepon", widget=PhoneWidget())
    npwp = NpwpField()
    status = StatusField()
    commodities = CommoditiesField(
        attribute="commodities", column_name="komoditas", widget=CommoditiesWidget()
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
            # Derived on save, exported for the office's own figures: the program
            # groups by the class by sales (PP 7/2021, empowerment).
            "size_class_by_sales",
            "size_class_by_capital",
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
        instance_loader_class = BusinessLoader
        use_bulk = True
        batch_size = BATCH

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

    def __init__(self, *, preview=True, **kwargs):
        super().__init__(**kwargs)
        self.preview = preview  # False for the confirm step (BusinessAdmin)

    def get_diff_class(self):
        return super().get_diff_class() if self.preview else _NoDiff

    # --- One import: what it reads once, and what it does after writing ----------

    def before_import(self, dataset, **kwargs):
        headers = dataset.headers or []
        desa = self.fields["desa"]
        desa.widget.load(dataset[desa.column_name] if desa.column_name in headers else [])
        self.fields["commodities"].widget.load()
        self.user = kwargs.get("user")
        self.nib_rows = {}  # NIB → the first row of the file that names it
        self.taken_slugs = set()
        self.indexed = []  # pks of the businesses whose search vector is to be stored
        self.texts = []  # their search texts, for the vocabulary
        # pks of updated businesses with a new name, desa or size class: what their
        # products' text and stored copies hold (search.refresh_products)
        self.renamed = []
        self.recommodified = []  # pks of businesses whose commodities were written (facts.py)
        self.update_fields = self._fields_to_update(headers)
        self.verified_rows = {}  # row number → changes since verification, for the preview

    def _fields_to_update(self, headers):
        """The model fields an update row can change, for bulk_update()."""
        # Never "status": an import does not move it (StatusField).
        names = {
            "size_class",
            "size_class_by_capital",
            "size_class_by_sales",
            "ikm_scale",
            "updated_at",
            "search_text",
            "changed_since_verification",
        }
        for field in self.get_import_fields():
            if field.readonly or field.column_name not in headers:
                continue
            if field.attribute in self.get_import_id_fields():
                continue  # the key a row is found by
            if isinstance(field, NpwpField):
                names |= {"npwp15", "npwp16"}
            elif not isinstance(field, (CommoditiesField, StatusField)):
                names.add(field.attribute)
        return sorted(names)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self._is_dry_run(kwargs) or not (self.indexed or self.renamed or self.recommodified):
            return
        # What signals.py does when a business is saved (search.refresh_businesses and
        # refresh_products); the texts themselves were written with the batches.
        for chunk in _chunks(self.indexed):
            search.store_vectors(Business, chunk, ["name"])
        search.add_words(self.texts)
        # A product's text names its business and kecamatan (search.product_text), and
        # it stores its business's kecamatan and size class.
        for chunk in _chunks(self.renamed):
            search.refresh_products(Product.objects.filter(business__in=chunk))
        # What the public pages show of their commodities (signals.commodities_changed).
        for chunk in _chunks(self.recommodified):
            facts.store(Business.objects.filter(pk__in=chunk))
        # The directory's commodity filter, which holds each business's name and
        # kecamatan too (search.store_listings).
        for chunk in _chunks(sorted({*self.recommodified, *self.renamed})):
            search.store_listings(chunk)
        transaction.on_commit(signals.clear_reports, using=self.get_db_connection_name())

    # --- Each row ----------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        # A malformed NIB cannot match anything: treat the row as new, so that the
        # NIB field reports its error and the row shows as invalid, not as a crash.
        try:
            instance = super().get_instance(instance_loader, row)
        except ValueError:
            return None
        if instance is not None and instance.nib in self.nib_rows:
            return None  # named by an earlier row: this one is reported, the business untouched
        return instance

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        self.import_field(self.fields["commodities"], instance, row)
        if instance.nib and "nib" not in errors:
            number = kwargs.get("row_number")
            first = self.nib_rows.setdefault(instance.nib, number)
            if first != number:
                errors["nib"] = [
                    ValidationError(
                        gettext("NIB ini sudah ada di baris %(row)s berkas ini.") % {"row": first},
                        code="duplicate",
                    )
                ]
        if instance.pk is not None and instance.status == Business.Status.VERIFIED:
            # What services.owner_saved does for an owner's edit; the office imports, so
            # nobody is mailed: the flag puts the business in staff's review list.
            changes = instance.changes_since_verification()
            self.verified_rows[kwargs.get("row_number")] = changes
            if changes:
                instance.changed_since_verification = True
        if errors:
            raise ValidationError(errors)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        changes = self.verified_rows.pop(kwargs.get("row_number"), None)
        row_result.verified_match = changes is not None
        row_result.verified_changes = changes or []

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # No query a row: the slug is filled when the batch is written; the desa came
        # from this import's own lookup and the owner is never imported, so neither is
        # looked up again; the loader settles the NIB's uniqueness (a known NIB
        # updates its business, a NIB named twice is reported above); and the amounts
        # constraint repeats the fields' own minimum-value validators.
        errors = dict(import_validation_errors or {})
        exclude = [*errors.keys(), "slug", "owner"]
        if instance.desa_id is not None and instance.desa_id in (
            self.fields["desa"].widget.known or {}
        ):
            exclude.append("desa")
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # What Business.save() and auto_now do; bulk writes skip both.
        instance.refresh_classes()
        if instance.pk is not None:
            instance.updated_at = timezone.now()

    # --- Each batch ----------------------------------------------------------------

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances or not (using_transactions or not dry_run):
            return
        try:
            with transaction.atomic(using=self.get_db_connection_name()):
                self._assign_slugs(self.create_instances)
                self._set_search_texts(self.create_instances)
                bulk_create_with_history(
                    self.create_instances, Business, batch_size=BATCH, default_user=self.user
                )
                self._write_commodities(self.create_instances, created=True)
            self.indexed += [b.pk for b in self.create_instances]
            self.texts += [b.search_text for b in self.create_instances]
        except Exception as exc:  # reported as the import's error, as import-export does
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances or not (using_transactions or not dry_run):
            return
        try:
            batch = self.update_instances
            self._set_search_texts(batch)
            changed = self._changed_fields(batch)
            with transaction.atomic(using=self.get_db_connection_name()):
                bulk_update_with_history(
                    batch, Business, changed, batch_size=BATCH, default_user=self.user
                )
                self._write_commodities(batch, created=False)
            for business in batch:
                if self._changed(business, "search_text") or self._changed(business, "name"):
                    self.indexed.append(business.pk)
                    self.texts.append(business.search_text)
                if any(self._changed(business, f) for f in ("name", "desa_id", "size_class")):
                    self.renamed.append(business.pk)
        except Exception as exc:  # reported as the import's error, as import-export does
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.update_instances.clear()

    @staticmethod
    def _changed(business, attname):
        return getattr(business, attname) != business.stored[attname]

    def _changed_fields(self, businesses):
        """The update fields some business of the batch changes: bulk_update() costs
        a CASE over the whole batch for every field it writes."""
        return [
            name
            for name in self.update_fields
            if any(self._changed(b, Business._meta.get_field(name).attname) for b in businesses)
        ]

    def _set_search_texts(self, businesses):
        """search.business_text() of each business, as refresh_businesses() stores it."""
        for business in businesses:
            commodities = self.fields["commodities"].get_value(business)
            business.search_text = search.business_text(
                business,
                commodities=list(commodities.all()) if commodities is not None else [],
                kecamatan=business.desa.kecamatan.name,
            )

    def _assign_slugs(self, instances):
        """unique_slug()'s slugs (the name's, then -2, -3, …) for a batch, in a few queries."""
        new = [b for b in instances if not b.slug]
        bases = [slugify(b.name)[:SLUG_BASE_LENGTH] or "ikm" for b in new]
        taken = self.taken_slugs
        for chunk in _chunks(sorted(set(bases) - taken)):
            taken.update(Business.objects.filter(slug__in=chunk).values_list("slug", flat=True))
        counts = Counter(bases)
        crowded = sorted(b for b in counts if b in taken or counts[b] > 1)
        for chunk in _chunks(crowded, 100):
            condition = Q()
            for base in chunk:
                condition |= Q(slug__startswith=f"{base}-")
            taken.update(Business.objects.filter(condition).values_list("slug", flat=True))
        for business, base in zip(new, bases, strict=True):
            slug, n = base, 2
            while slug in taken:
                slug = f"{base}-{n}"
                n += 1
            business.slug = slug
            taken.add(slug)

    def _write_commodities(self, businesses, *, created):
        """Each row's commodities (the 'komoditas' column), for a written batch."""
        through = Business.commodities.through
        rows, replaced = [], []
        for business in businesses:
            wanted = getattr(business, "pending_commodities", None)
            if wanted is None:
                continue  # no komoditas column: leave them as they are
            if not created:
                current = sorted(c.pk for c in business.current_commodities)
                if current == sorted(c.pk for c in wanted):
                    continue
                replaced.append(business.pk)
            rows += [through(business_id=business.pk, commodity_id=c.pk) for c in wanted]
            self.recommodified.append(business.pk)
        if replaced:
            through.objects.filter(business_id__in=replaced).delete()
        through.objects.bulk_create(rows, batch_size=BATCH)
