from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ikm_registry.choice_list import ChoiceListField
from ikm_registry.crypto import EncryptedCharField
from ikm_registry.fields import SearchVectorColumn
from ikm_registry.validators import (
    e164_validator,
    nik_validator,
    npwp15_validator,
    npwp16_validator,
)
from tangerang_ikm.storage import private_storage
from tangerang_ikm.uploads import PrivateDocumentField

nib_validator = RegexValidator(r"^\d{13}$", _("NIB terdiri dari tepat 13 digit."))

MILIAR = Decimal(1_000_000_000)


# PP 7/2021 Pasal 35, in miliar rupiah: (mikro, kecil, menengah) upper limits, inclusive.
CAPITAL_LIMITS = (1, 5, 10)  # modal usaha excluding land and buildings; at registration
SALES_LIMITS = (2, 15, 50)  # hasil penjualan tahunan; for support and empowerment


def _size_class(value, limits):
    if value is None:
        return ""
    value = Decimal(value)
    for limit, cls in zip(limits, ("mikro", "kecil", "menengah"), strict=True):
        if value <= limit * MILIAR:
            return cls
    return "besar"


def size_class_by_capital(capital):
    """Class by capital (registration): mikro <= Rp1 M < kecil <= Rp5 M < menengah <= Rp10 M."""
    return _size_class(capital, CAPITAL_LIMITS)


def size_class_by_sales(annual_sales):
    """Class by annual sales (empowerment programmes, so this program):
    mikro <= Rp2 M < kecil <= Rp15 M < menengah <= Rp50 M."""
    return _size_class(annual_sales, SALES_LIMITS)


def size_class_pp7(*, capital=None, annual_sales=None):
    """The catalog's one class: by annual sales when known, else by capital. '' when
    neither is known. The program's figures use size_class_by_sales alone."""
    return size_class_by_sales(annual_sales) or size_class_by_capital(capital)


def ikm_scale_permenperin(*, workers=None, investment=None):
    """IKM scale by Permenperin 64/2016: kecil, menengah, or besar (not an IKM).

    kecil: <= 19 workers and investment < Rp1 M; menengah: <= 19 workers with
    investment >= Rp1 M, or >= 20 workers with investment <= Rp15 M.
    """
    if investment is None or workers is None:
        return ""
    investment = Decimal(investment)
    if workers <= 19:
        if investment < MILIAR:
            return "kecil"
        return "menengah" if investment <= 15 * MILIAR else "besar"
    return "menengah" if investment <= 15 * MILIAR else "besar"


class WorkflowError(Exception):
    """A save tried to move a business's status or archive date outside the services."""


class Kecamatan(models.Model):
    """A district of Kabupaten Tangerang, keyed on its Kemendagri code (36.03.NN)."""

    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Desa(models.Model):
    """A desa or kelurahan, keyed on its Kemendagri code (36.03.NN.NNNN).

    Names repeat across kecamatan, so nothing ever looks a desa up by name alone.
    """

    class Kind(models.TextChoices):
        DESA = "desa", _("desa")
        KELURAHAN = "kelurahan", _("kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="desa_set", verbose_name=_("kecamatan")
    )
    postal_code = models.CharField(
        _("kode pos"),
        max_length=5,
        blank=True,
        help_text=_("Sumber belum diverifikasi; periksa di lapangan."),
    )

    class Meta:
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        ordering = ["kecamatan__name", "name"]

    def __str__(self):
        return f"{self.name}, {self.kecamatan.name}"


class Commodity(models.Model):
    """A commodity or product category, with default HS and KBLI codes. Staff edit these."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("nama (bahasa Indonesia)"), max_length=100)
    name_en = models.CharField(_("nama (bahasa Inggris)"), max_length=100, blank=True)
    hs_code = models.CharField(
        _("kode HS bawaan"),
        max_length=12,
        blank=True,
        help_text=_("Kode AHTN 2022, mis. 4602.12.90. Periksa dengan BTKI sebelum ekspor."),
    )
    kbli_code = models.CharField(_("kode KBLI bawaan"), max_length=5, blank=True)
    kbli_version = models.CharField(_("versi KBLI"), max_length=4, default="2020")
    is_flagship = models.BooleanField(
        _("komoditas unggulan"), default=False, help_text=_("Salah satu produk ekspor program.")
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("komoditas")
        verbose_name_plural = _("komoditas")
        ordering = ["position", "name"]

    def __str__(self):
        # English pages, e-mails and exports name the commodity in English when it has a name.
        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class BusinessQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The one way an owner reaches a business: others' give a 404."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def verified(self):
        """What the public may see: verified and not archived."""
        return self.filter(status=Business.Status.VERIFIED, archived_at__isnull=True)

    def search(self, q):
        """Matches for a catalog search, annotated with `search_rank` (see search.py)."""
        from ikm_registry.search import search_businesses

        return search_businesses(self, q)

    def awaiting_review(self):
        """Submitted, or verified with public changes staff have not looked at yet."""
        return self.filter(
            models.Q(status=Business.Status.SUBMITTED)
            | models.Q(status=Business.Status.VERIFIED, changed_since_verification=True)
        )


class Business(models.Model):
    """An IKM (industri kecil dan menengah) in the registry."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        SUBMITTED = "submitted", _("diajukan untuk verifikasi")
        RETURNED = "returned", _("dikembalikan untuk diperbaiki")
        VERIFIED = "verified", _("terverifikasi")

    class LegalForm(models.TextChoices):
        PERORANGAN = "perorangan", _("perorangan")
        CV = "cv", _("CV")
        PT = "pt", _("PT")
        PT_PERORANGAN = "pt_perorangan", _("PT perorangan")
        KOPERASI = "koperasi", _("koperasi")
        UD = "ud", _("UD")
        FIRMA = "firma", _("firma")
        OTHER = "other", _("lainnya")

    class SizeClass(models.TextChoices):
        MIKRO = "mikro", _("mikro")
        KECIL = "kecil", _("kecil")
        MENENGAH = "menengah", _("menengah")
        BESAR = "besar", _("besar")

    class IkmScale(models.TextChoices):
        KECIL = "kecil", _("industri kecil")
        MENENGAH = "menengah", _("industri menengah")
        BESAR = "besar", _("industri besar (bukan IKM)")

    # What the public catalog shows: edits to these on a verified business are
    # flagged for staff review, with a diff against the last verified snapshot.
    PUBLIC_FIELDS = (
        "name",
        "legal_form",
        "nib",
        "address",
        "desa_id",
        "phone",
        "whatsapp_public",
        "email",
        "website",
        "marketplace_links",
        "founded_year",
        "kbli_code",
        "kbli_version",
        "description",
        "description_en",
        "logo",
    )

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="businesses",
        verbose_name=_("akun pemilik"),
        help_text=_("Kosong untuk IKM yang datanya dikelola petugas atas nama pemilik."),
    )
    name = models.CharField(_("nama usaha"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    legal_form = models.CharField(
        _("bentuk badan usaha"),
        max_length=20,
        choices=LegalForm.choices,
        default=LegalForm.PERORANGAN,
    )
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        unique=True,
        validators=[nib_validator],
        help_text=_("Nomor Induk Berusaha dari OSS: 13 digit."),
    )
    npwp15 = models.CharField(
        _("NPWP (15 digit)"), max_length=15, blank=True, validators=[npwp15_validator]
    )
    npwp16 = models.CharField(
        _("NPWP (16 digit)"), max_length=16, blank=True, validators=[npwp16_validator]
    )
    owner_name = models.CharField(_("nama pemilik"), max_length=150)
    nik = EncryptedCharField(
        _("NIK pemilik"),
        max_length=255,
        blank=True,
        validators=[nik_validator],
        help_text=_(
            "16 digit. Data pribadi: tidak pernah dipublikasikan, disamarkan dalam daftar."
        ),
    )
    address = models.CharField(_("alamat jalan"), max_length=255)
    desa = models.ForeignKey(
        Desa, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("desa/kelurahan")
    )
    phone = models.CharField(
        _("telepon/WhatsApp"),
        max_length=16,
        blank=True,
        validators=[e164_validator],
        help_text=_("Disimpan sebagai +62…"),
    )
    whatsapp_public = models.BooleanField(
        _("tampilkan tautan WhatsApp kepada pembeli"), default=False
    )
    email = models.EmailField(_("e-mail usaha"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    marketplace_links = models.TextField(
        _("tautan marketplace dan media sosial"), blank=True, help_text=_("Satu alamat per baris.")
    )
    founded_year = models.PositiveSmallIntegerField(_("tahun berdiri"), null=True, blank=True)
    workers_female = models.PositiveIntegerField(_("tenaga kerja perempuan"), default=0)
    workers_male = models.PositiveIntegerField(_("tenaga kerja laki-laki"), default=0)
    capital = models.DecimalField(
        _("modal usaha (Rp)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Modal usaha, tidak termasuk tanah dan bangunan."),
    )
    annual_sales = models.DecimalField(
        _("omzet tahunan (Rp)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    investment = models.DecimalField(
        _("nilai investasi (Rp)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Untuk skala IKM (Permenperin 64/2016), tidak termasuk tanah dan bangunan. "
            "Jika kosong, modal usaha dipakai."
        ),
    )
    size_class = models.CharField(
        _("skala usaha (PP 7/2021)"),
        max_length=10,
        choices=SizeClass.choices,
        blank=True,
        editable=False,
        help_text=_("Menurut omzet tahunan; menurut modal usaha bila omzet belum diisi."),
    )
    size_class_by_capital = models.CharField(
        _("skala menurut modal (pendaftaran)"),
        max_length=10,
        choices=SizeClass.choices,
        blank=True,
        editable=False,
        help_text=_("PP 7/2021: modal usaha, dipakai saat pendaftaran usaha."),
    )
    size_class_by_sales = models.CharField(
        _("skala menurut omzet (pemberdayaan)"),
        max_length=10,
        choices=SizeClass.choices,
        blank=True,
        editable=False,
        help_text=_(
            "PP 7/2021: hasil penjualan tahunan, dipakai untuk program pemberdayaan "
            "seperti misi dagang."
        ),
    )
    ikm_scale = models.CharField(
        _("skala IKM (Permenperin 64/2016)"),
        max_length=10,
        choices=IkmScale.choices,
        blank=True,
        editable=False,
    )
    commodities = models.ManyToManyField(
        Commodity, related_name="businesses", verbose_name=_("sektor komoditas"), blank=True
    )
    # What the directory's and the API's commodity filter finds it under: its own
    # commodities and its active products' categories (search.store_listings keeps it).
    # One indexed table, instead of a UNION over every product of the commodity (3 s for
    # a commodity at national scale).
    listed_commodities = models.ManyToManyField(
        Commodity,
        through="Listing",
        related_name="listed_businesses",
        verbose_name=_("terdaftar di komoditas"),
        blank=True,
        editable=False,
    )
    kbli_code = models.CharField(_("kode KBLI"), max_length=5, blank=True)
    kbli_version = models.CharField(_("versi KBLI"), max_length=4, default="2020")
    description = models.TextField(_("deskripsi (bahasa Indonesia)"), blank=True)
    description_en = models.TextField(_("deskripsi (bahasa Inggris)"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    staff_notes = models.TextField(_("catatan petugas"), blank=True)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    archived_at = models.DateTimeField(
        _("diarsipkan pada"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Usaha yang diarsipkan disembunyikan di semua halaman."),
    )
    verified_snapshot = models.JSONField(
        _("data publik saat diverifikasi"), default=dict, blank=True, editable=False
    )
    changed_since_verification = models.BooleanField(
        _("berubah sejak verifikasi"),
        default=False,
        help_text=_("Pemilik mengubah data publik usaha terverifikasi; periksa perubahannya."),
    )
    deletion_requested_at = models.DateTimeField(
        _("penghapusan diminta pada"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui pada"), auto_now=True)
    search_text = models.TextField(
        _("teks pencarian"),
        blank=True,
        editable=False,
        help_text=_("Nama, deskripsi, kecamatan dan komoditas, untuk pencarian katalog."),
    )
    # Its active products' names and categories, each once: the IKM directory finds a
    # business by what it makes from this, in the business's own search_vector (weight
    # C), instead of collecting every matching product (search.refresh_businesses keeps it).
    products_text = models.TextField(_("teks pencarian produk"), blank=True, editable=False)
    search_vector = SearchVectorColumn(_("vektor pencarian"), blank=True, editable=False)
    # Its commodities, certificates and export history as the public pages show them,
    # read with the business instead of three queries more (facts.py keeps it).
    public_facts = models.JSONField(
        _("data publik terkait"), default=dict, blank=True, editable=False
    )

    objects = BusinessQuerySet.as_manager()
    # No NIK in the history: its diff would show the full number to every role that may
    # read the history (the change form masks it), and old NIKs are copies to protect.
    history = HistoricalRecords(
        excluded_fields=[
            "verified_snapshot", "search_text", "products_text", "search_vector", "nik",
            "public_facts",
        ]
    )  # fmt: skip

    class Meta:
        verbose_name = _("usaha IKM")
        verbose_name_plural = _("usaha IKM")
        ordering = ["name"]
        permissions = [("verify_business", _("Dapat memverifikasi atau mengembalikan data IKM"))]
        indexes = [
            models.Index(fields=["status", "name"]),
            # The admin's list order over every business, whatever its status.
            models.Index(fields=["name"], name="business_name"),
            # The program's figures group and filter by the class by sales.
            models.Index(fields=["size_class_by_sales"], name="business_size_by_sales"),
            # The admin's exact NIB search (`=nib`: UPPER(nib) = UPPER(term)).
            models.Index(Upper("nib"), name="business_nib_upper"),
        ]
        constraints = [
            # The services stamp the date with the status; bulk paths must too.
            models.CheckConstraint(
                condition=~models.Q(status="verified") | models.Q(verified_at__isnull=False),
                name="business_verified_has_date",
            ),
            models.CheckConstraint(
                condition=(models.Q(capital__isnull=True) | models.Q(capital__gte=0))
                & (models.Q(annual_sales__isnull=True) | models.Q(annual_sales__gte=0)),
                name="business_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, workflow=False, **kwargs):
        """Save; `workflow=True` only from ikm_registry.services (and the seeders that
        produce the same state), the one place that moves status and archive date."""
        if not workflow:
            self.check_workflow_unchanged()
        self.refresh_classes()
        loaded = getattr(self, "loaded_workflow", {})
        was_public = (
            loaded.get("status") == self.Status.VERIFIED and loaded.get("archived_at") is None
        )
        super().save(*args, **kwargs)
        self.remember_workflow()
        if workflow and was_public != self.is_public:
            # The products' copy of the business's state (Product.is_public).
            Product.objects.filter(business=self).update(is_public=self.is_public)

    @property
    def is_public(self):
        """Verified and not archived: what the catalog shows (BusinessQuerySet.verified)."""
        return self.status == self.Status.VERIFIED and self.archived_at is None

    # Moved only by the registry's services (submit, return, verify, archive, unarchive).
    WORKFLOW_FIELDS = ("status", "archived_at")
    # What a business may be created as without a service: the import makes drafts and,
    # when the office says so, submitted businesses.
    CREATABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.remember_workflow()
        return instance

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        super().refresh_from_db(using=using, fields=fields, **kwargs)
        # Only what was read now: a deferred field loaded later must not make an
        # unsaved change of the other one look loaded.
        self.remember_workflow(fields)

    def remember_workflow(self, fields=None):
        """Keep the status and archive date as loaded, to refuse a save that moves them."""
        if fields is None or not hasattr(self, "loaded_workflow"):
            self.loaded_workflow = {}
        for field in self.WORKFLOW_FIELDS:
            if field in self.__dict__ and (fields is None or field in fields):
                self.loaded_workflow[field] = self.__dict__[field]

    def check_workflow_unchanged(self):
        """Raise WorkflowError if this save would move the status or archive date.

        A save outside the services must leave both as they were loaded; a new business
        starts as a draft or submitted, not archived.
        """
        if self._state.adding:
            if self.status not in self.CREATABLE_STATUSES or self.archived_at is not None:
                raise WorkflowError(
                    f"A new business starts as draft or submitted, not {self.status!r}; "
                    "use ikm_registry.services to move it on."
                )
            return
        loaded = getattr(self, "loaded_workflow", {})
        for field in self.WORKFLOW_FIELDS:
            # Set without being loaded (a deferred field assigned) counts as a change.
            if field in self.__dict__ and (
                field not in loaded or self.__dict__[field] != loaded[field]
            ):
                raise WorkflowError(
                    f"{field} changed from {loaded.get(field, '(not loaded)')!r} to "
                    f"{self.__dict__[field]!r} outside ikm_registry.services; status "
                    "moves only through its functions."
                )

    # State each step leaves, shared by the services and the seeders (tests, demo, scale).

    def mark_submitted(self, *, at):
        self.status = self.Status.SUBMITTED
        self.submitted_at = at

    def mark_verified(self, *, at):
        self.status = self.Status.VERIFIED
        self.verified_at = at
        self.staff_notes = ""
        self.changed_since_verification = False
        self.verified_snapshot = self.public_snapshot()

    def mark_returned(self, *, notes):
        self.status = self.Status.RETURNED
        self.staff_notes = notes

    def refresh_classes(self):
        self.size_class_by_capital = size_class_by_capital(self.capital)
        self.size_class_by_sales = size_class_by_sales(self.annual_sales)
        self.size_class = size_class_pp7(capital=self.capital, annual_sales=self.annual_sales)
        investment = self.investment if self.investment is not None else self.capital
        self.ikm_scale = ikm_scale_permenperin(workers=self.workers_total, investment=investment)

    @property
    def workers_total(self):
        return (self.workers_female or 0) + (self.workers_male or 0)

    @property
    def nik_masked(self):
        """3603••••••••1234: enough to recognise, never enough to use."""
        if not self.nik:
            return ""
        return self.nik[:4] + "•" * (len(self.nik) - 8) + self.nik[-4:]

    @property
    def npwp(self):
        return self.npwp16 or self.npwp15

    @property
    def is_editable_by_owner(self):
        return self.status != self.Status.SUBMITTED

    def public_snapshot(self):
        data = {}
        for field in self.PUBLIC_FIELDS:
            value = getattr(self, field)
            data[field] = value.name if hasattr(value, "name") and field == "logo" else value
        return {k: ("" if v is None else str(v)) for k, v in data.items()}

    def changes_since_verification(self):
        """[(field verbose name, verified value, current value)] for public fields."""
        if not self.verified_snapshot:
            return []
        now = self.public_snapshot()
        out = []
        for field in self.PUBLIC_FIELDS:
            before, after = self.verified_snapshot.get(field, ""), now.get(field, "")
            if before != after:
                name = self._meta.get_field(field.removesuffix("_id")).verbose_name
                out.append((str(name), before, after))
        return out


class Listing(models.Model):
    """A commodity a business is listed under (Business.listed_commodities), with the
    business's name and kecamatan: the directory's and the API's list of a commodity
    (in a kecamatan) in name order reads these indexes in order
    (CatalogFilterForm.filter_businesses), where walking the businesses' name index met
    a commodity's businesses only after most of the others (a name often says what the
    business makes: 2 s at national scale), and counting a commodity's businesses in
    one kecamatan read 350,000 of them (77 ms)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="listings")
    commodity = models.ForeignKey(Commodity, on_delete=models.CASCADE, related_name="listings")
    # The business's, kept with it (search.store_listings).
    name = models.CharField(max_length=150, editable=False)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, editable=False, db_index=False, related_name="+"
    )

    class Meta:
        # The table it had as the field's automatic through table (migration 0027).
        db_table = "ikm_registry_business_listed_commodities"
        unique_together = [("business", "commodity")]
        indexes = [
            models.Index(fields=["commodity", "name", "business"], name="ikm_listing_by_name"),
            models.Index(
                fields=["commodity", "kecamatan", "name", "business"], name="ikm_listing_by_place"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.commodity_id}"


PUBLIC_PRODUCT = models.Q(is_public=True, is_active=True)


def unindexed(*flags):
    """Conditions that these boolean columns are true, written so that no index answers
    them (COALESCE of a NOT NULL column): for a search, whose matches the text's GIN
    index finds, so that they are checked on each match. As plain conditions the planner
    ANDed the matches with a bitmap from an index over every row that has the flag."""
    return [Q(Coalesce(flag, False, output_field=models.BooleanField())) for flag in flags]


class ProductQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(business__owner=user)

    def public(self, *, indexed=True):
        """Active products of verified, unarchived businesses.

        Read from the product's own row: `is_public` stores whether its business is
        public (Business.save keeps it, see `Product.is_public`), so the catalog's lists
        walk one partial index instead of joining every product to its business.

        `indexed=False`: the same rows, for a search's matches (`unindexed`). The plain
        conditions let the planner AND them with a partial index over every public
        product (4,000,000 entries at national scale, too many for work_mem, so each
        match was checked again).
        """
        if not indexed:
            return self.filter(*unindexed("is_public", "is_active"))
        return self.filter(is_public=True, is_active=True)

    def sync_public(self):
        """Store each product's `is_public` from its business, in one UPDATE: for bulk
        loads that write products or businesses without save() (seed_scale)."""
        visible = Business.objects.verified().filter(pk=models.OuterRef("business_id"))
        return self.update(is_public=models.Exists(visible))

    def sync_kecamatan(self):
        """Store each product's `kecamatan` from its business's desa, in one UPDATE (as
        search.refresh_products() does product by product)."""
        business = Business.objects.filter(pk=models.OuterRef("business_id"))
        return self.update(kecamatan=models.Subquery(business.values("desa__kecamatan")[:1]))

    def search(self, q):
        """Matches for a catalog search, annotated with `search_rank` (see search.py)."""
        from ikm_registry.search import search_products

        return search_products(self, q)


class RemembersBusiness:
    """Keeps the business a row was read with (`loaded_business_id`): a save that moves it
    to another business refreshes what both businesses store about it (signals.py: the
    products' text, the public facts)."""

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        row = super().from_db(db, field_names, values, **kwargs)
        row.loaded_business_id = row.__dict__.get("business_id")
        return row

    def saved_businesses(self):
        """After a save: the pks of its business and of the one it was read with (when
        the save moved it), and from now on the new one is the one it was read with."""
        touched = {self.business_id, getattr(self, "loaded_business_id", None)} - {None}
        self.loaded_business_id = self.business_id
        return touched


class Product(RemembersBusiness, models.Model):
    class Incoterm(models.TextChoices):
        """Incoterms 2020, described for the owner; buyers read the codes."""

        EXW = "EXW", _("EXW: pembeli mengambil barang di tempat penjual")
        FCA = "FCA", _("FCA: diserahkan kepada pengangkut yang ditunjuk pembeli")
        FAS = "FAS", _("FAS: di samping kapal di pelabuhan muat")
        FOB = "FOB", _("FOB: di atas kapal di pelabuhan muat")
        CFR = "CFR", _("CFR: penjual membayar ongkos kapal sampai pelabuhan tujuan")
        CIF = "CIF", _("CIF: penjual membayar ongkos kapal dan asuransi sampai pelabuhan tujuan")
        CPT = "CPT", _("CPT: penjual membayar ongkos angkut sampai tempat tujuan")
        CIP = "CIP", _("CIP: penjual membayar ongkos angkut dan asuransi sampai tempat tujuan")
        DAP = "DAP", _("DAP: diserahkan di tempat tujuan, belum dibongkar")
        DPU = "DPU", _("DPU: diserahkan di tempat tujuan, sudah dibongkar")
        DDP = "DDP", _("DDP: diserahkan di tempat tujuan, bea masuk dibayar penjual")

    class Samples(models.TextChoices):
        FREE = "free", _("tersedia, gratis")
        PAID = "paid", _("tersedia, berbayar")
        NONE = "none", _("tidak tersedia")

    DEFAULT_PORT = "Tanjung Priok, Jakarta"

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="products", verbose_name=_("usaha")
    )
    name = models.CharField(_("nama (bahasa Indonesia)"), max_length=150)
    name_en = models.CharField(_("nama (bahasa Inggris)"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    description = models.TextField(_("deskripsi (bahasa Indonesia)"), blank=True)
    description_en = models.TextField(_("deskripsi (bahasa Inggris)"), blank=True)
    category = models.ForeignKey(
        Commodity, on_delete=models.PROTECT, related_name="products", verbose_name=_("kategori")
    )
    hs_code = models.CharField(_("kode HS"), max_length=12, blank=True)
    unit = models.CharField(
        _("satuan"), max_length=30, default="pcs", help_text=_("mis. kg, pcs, karton")
    )
    min_order = models.DecimalField(
        _("pesanan minimum"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    capacity_per_month = models.DecimalField(
        _("kapasitas produksi per bulan"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    price_min = models.DecimalField(
        _("harga terendah (Rp)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    price_max = models.DecimalField(
        _("harga tertinggi (Rp)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    fob_price_usd = models.DecimalField(
        _("harga FOB (US$)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Trade terms: what an importer asks before writing (issue #23).
    lead_time_days = models.PositiveSmallIntegerField(
        _("waktu produksi pesanan (hari)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
        help_text=_("Hari sejak pesanan dikonfirmasi sampai barang siap dikirim."),
    )
    samples = models.CharField(
        _("contoh produk (sampel)"), max_length=4, choices=Samples.choices, blank=True
    )
    incoterms = ChoiceListField(
        _("Incoterms yang ditawarkan"),
        choice_list=Incoterm.choices,
        help_text=_("Syarat penyerahan barang yang Anda layani. FOB paling umum untuk ekspor."),
    )
    port_of_loading = models.CharField(
        _("pelabuhan muat"),
        max_length=100,
        blank=True,
        default=DEFAULT_PORT,
        help_text=_("Untuk FOB, CFR dan CIF."),
    )
    payment_terms = models.CharField(
        _("syarat pembayaran"),
        max_length=200,
        blank=True,
        help_text=_("mis. T/T 30% uang muka, 70% sebelum pengapalan; L/C at sight."),
    )
    export_ready = models.BooleanField(_("siap ekspor"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    # Whether the business is public (verified, not archived): a copy of the business's
    # state, written by save() here and by Business.save() when the services move the
    # business's status or archive date. Products.public() reads it with is_active.
    is_public = models.BooleanField(_("usaha publik"), default=False, editable=False)
    # The business's kecamatan, a copy like is_public: search.refresh_products() writes it
    # with the search text (after every product or business save, an import, a rebuild),
    # seed_scale at insert. The catalog's kecamatan filter then reads the product's own
    # row (an index range) instead of joining every product to its business and desa.
    kecamatan = models.ForeignKey(
        Kecamatan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        db_index=False,  # the partial indexes below hold it
        related_name="+",
        verbose_name=_("kecamatan usaha"),
    )
    # The business's size class (Business.size_class), a copy kept like `kecamatan`: the
    # catalog's size filter reads the product's own row. Joined to 1,000,000 businesses,
    # a common word with `?size=mikro` checked 73,000 products through their businesses.
    size_class = models.CharField(
        _("skala usaha"),
        max_length=10,
        choices=Business.SizeClass.choices,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui pada"), auto_now=True)
    search_text = models.TextField(
        _("teks pencarian"),
        blank=True,
        editable=False,
        help_text=_("Nama, deskripsi, kategori, usaha dan kecamatan, untuk pencarian katalog."),
    )
    search_vector = SearchVectorColumn(_("vektor pencarian"), blank=True, editable=False)

    objects = ProductQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["search_text", "search_vector", "is_public", "kecamatan", "size_class"]
    )

    MAX_PHOTOS = 8

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["name"]
        indexes = [
            # The home page's featured products, export-ready and newest first: read
            # off the index in six rows (200 ms as a sort of 50,000).
            models.Index(fields=["export_ready", "created_at", "id"], name="product_featured"),
            # The catalog's lists, public products only: each sort order (and a
            # commodity's products by name) read off its own index.
            models.Index(
                fields=["name", "id"], condition=PUBLIC_PRODUCT, name="product_public_name"
            ),
            models.Index(
                fields=["-created_at", "-id"], condition=PUBLIC_PRODUCT, name="product_public_new"
            ),
            models.Index(
                fields=["category", "name", "id"],
                condition=PUBLIC_PRODUCT,
                name="product_public_category",
            ),
            models.Index(
                fields=["-export_ready", "-created_at", "-id"],
                condition=PUBLIC_PRODUCT,
                name="product_public_featured",
            ),
            models.Index(
                fields=["business", "export_ready", "name"],
                condition=PUBLIC_PRODUCT,
                name="product_public_business",
            ),
            # The kecamatan filter (the stored copy): by name, and newest first.
            models.Index(
                fields=["kecamatan", "name", "id"],
                condition=PUBLIC_PRODUCT,
                name="product_public_kecamatan",
            ),
            models.Index(
                fields=["kecamatan", "-created_at", "-id"],
                condition=PUBLIC_PRODUCT,
                name="product_public_kecamatan_new",
            ),
            # A commodity in a kecamatan by name: the kecamatan's index met rattan's
            # products after 98,000 others at national scale (300 ms).
            models.Index(
                fields=["category", "kecamatan", "name", "id"],
                condition=PUBLIC_PRODUCT,
                name="product_public_category_place",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_max__isnull=True)
                | models.Q(price_min__isnull=True)
                | models.Q(price_max__gte=models.F("price_min")),
                name="product_price_range_ordered",
            ),
            models.CheckConstraint(
                condition=(models.Q(price_min__isnull=True) | models.Q(price_min__gte=0))
                & (models.Q(price_max__isnull=True) | models.Q(price_max__gte=0))
                & (models.Q(fob_price_usd__isnull=True) | models.Q(fob_price_usd__gte=0))
                & (models.Q(min_order__isnull=True) | models.Q(min_order__gte=0)),
                name="product_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.is_public = self.business.is_public
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "is_public" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "is_public"]
        super().save(*args, **kwargs)


class PhotoQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(product__business__owner=user)


class ProductPhoto(models.Model):
    """A product photo, re-encoded at upload without EXIF; the original is never kept."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("produk")
    )
    image = models.ImageField(_("foto (ukuran tampilan)"), upload_to="products/")
    medium = models.ImageField(
        _("foto ukuran sedang"),
        upload_to="products/medium/",
        blank=True,
        help_text=_("Untuk halaman produk; dibuat saat unggah."),
    )
    thumbnail = models.ImageField(_("gambar kecil"), upload_to="products/thumbs/")
    alt_text = models.CharField(
        _("keterangan foto"), max_length=200, blank=True, help_text=_("Untuk pembaca layar.")
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt_text or f"{self.product} #{self.pk}"

    def store(self, processed):
        """Keep the sizes images.process_photo made (not yet saved to the database)."""
        for field in ("image", "medium", "thumbnail"):
            content = getattr(processed, "display" if field == "image" else field)
            if content is not None:  # None: keep what is stored
                getattr(self, field).save(content.name, content, save=False)

    def delete_files(self):
        for field in ("image", "medium", "thumbnail"):
            getattr(self, field).delete(save=False)


class CertificateQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(business__owner=user)

    def expiring(self, days=90):
        """Valid until within `days` from today, or already expired."""
        limit = timezone.localdate() + timedelta(days=days)
        return self.filter(valid_until__isnull=False, valid_until__lte=limit)

    def expired(self):
        return self.filter(valid_until__lt=timezone.localdate())

    def expiry_notice_due(self, days, *, today=None):
        """Certificates owed the `days`-day notice: expiring within `days` days but after
        the next, shorter notice's window, of a business not archived, and not yet
        told for this expiry date (ikm_registry.notifications.send_certificate_reminders)."""
        today = today or timezone.localdate()
        field = Certificate.expiry_notice_field(days)
        shorter = [d for d in Certificate.EXPIRY_NOTICE_DAYS if d < days]
        after = today + timedelta(days=max(shorter)) if shorter else today - timedelta(days=1)
        return self.filter(
            valid_until__gt=after,
            valid_until__lte=today + timedelta(days=days),
            business__archived_at__isnull=True,
        ).exclude(**{field: models.F("valid_until")})


def certificate_upload_to(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"certificates/{instance.business_id}/{timezone.now():%Y%m%d%H%M%S}.{ext}"


class Certificate(RemembersBusiness, models.Model):
    class Kind(models.TextChoices):
        HALAL = "halal", _("Halal")
        PIRT = "pirt", _("SPP-IRT/P-IRT")
        BPOM_MD = "bpom_md", _("BPOM MD")
        SNI = "sni", _("SNI")
        SVLK = "svlk", _("SVLK/V-Legal")
        HACCP = "haccp", _("HACCP")
        ISO22000 = "iso22000", _("ISO 22000")
        ORGANIC = "organic", _("organik")
        OTHER = "other", _("lainnya")

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("usaha")
    )
    kind = models.CharField(_("jenis sertifikat"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("nomor"), max_length=80)
    issuer = models.CharField(_("penerbit"), max_length=150, blank=True)
    valid_until = models.DateField(
        _("berlaku sampai"), null=True, blank=True, help_text=_("Kosongkan jika tanpa batas.")
    )
    document = PrivateDocumentField(
        _("dokumen pindaian"),
        upload_to=certificate_upload_to,
        storage=private_storage,
        blank=True,
        help_text=_("PDF atau gambar. Tidak pernah dapat diunduh publik."),
    )
    # The expiry date each reminder was sent for: a renewed date arms both again.
    notified_60_for = models.DateField(
        _("pengingat 60 hari terkirim untuk tanggal"), null=True, blank=True, editable=False
    )
    notified_14_for = models.DateField(
        _("pengingat 14 hari terkirim untuk tanggal"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["notified_60_for", "notified_14_for"])

    # Days before expiry the owner is e-mailed, longest first; each has a notified_<n>_for.
    EXPIRY_NOTICE_DAYS = (60, 14)

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["kind", "valid_until"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_expired(self):
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def days_left(self):
        """Days until `valid_until` (negative once expired); None without an end date."""
        if self.valid_until is None:
            return None
        return (self.valid_until - timezone.localdate()).days

    @classmethod
    def expiry_notice_field(cls, days):
        if days not in cls.EXPIRY_NOTICE_DAYS:
            raise ValueError(f"no {days}-day notice; the notices are {cls.EXPIRY_NOTICE_DAYS}")
        return f"notified_{days}_for"


class ExportRecord(RemembersBusiness, models.Model):
    """Export experience: a country the business exported to, in a year."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="exports", verbose_name=_("usaha")
    )
    country = CountryField(_("negara tujuan"))
    year = models.PositiveSmallIntegerField(_("tahun"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengalaman ekspor")
        verbose_name_plural = _("pengalaman ekspor")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "country", "year"], name="export_record_unique_per_year"
            )
        ]

    def __str__(self):
        return f"{self.country.name} {self.year}"


class Inquiry(models.Model):
    """A buyer's message about a business or one of its products, from the public catalog."""

    class Status(models.TextChoices):
        NEW = "new", _("baru")
        ANSWERED = "answered", _("sudah dijawab")

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="inquiries", verbose_name=_("usaha")
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("produk"),
    )
    name = models.CharField(_("nama"), max_length=120)
    company = models.CharField(_("perusahaan"), max_length=150, blank=True)
    country = CountryField(_("negara"))
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    quantity = models.CharField(_("jumlah yang diminati"), max_length=100, blank=True)
    message = models.TextField(_("pesan"), max_length=5000)
    language = models.CharField(_("bahasa"), max_length=8, default="id")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dikirim pada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("permintaan pembeli")
        verbose_name_plural = _("permintaan pembeli")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["business", "-created_at"])]

    def __str__(self):
        return f"{self.name} → {self.business}"


class SearchTerm(models.Model):
    """A word of the catalog's search texts: typos in a query are matched against these.

    Kept up to date by ikm_registry/signals.py and rebuilt by `manage.py refresh_search`.
    """

    word = models.CharField(_("kata"), max_length=60, primary_key=True)

    class Meta:
        verbose_name = _("kata pencarian")
        verbose_name_plural = _("kata pencarian")

    def __str__(self):
        return self.word


class NikAccessLog(models.Model):
    """Who saw an owner's full NIK, when and where (UU 27/2022 accountability)."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="nik_views", verbose_name=_("usaha")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("dilihat oleh"),
    )
    context = models.CharField(_("tempat"), max_length=60)
    viewed_at = models.DateTimeField(_("dilihat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("akses NIK")
        verbose_name_plural = _("akses NIK")
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.user} → {self.business} ({self.viewed_at:%Y-%m-%d %H:%M})"


# --- Pembinaan: the office's work with each IKM --------------------------------------


class ContactLogQuerySet(models.QuerySet):
    def follow_ups_due(self, on=None):
        """Contacts whose follow-up date has come (or passed) and is not done yet."""
        on = on or timezone.localdate()
        return self.filter(follow_up_on__lte=on, follow_up_done=False)

    def in_quarter(self, year, quarter):
        first_month = 3 * (quarter - 1) + 1
        return self.filter(date__year=year, date__month__gte=first_month).filter(
            date__month__lt=first_month + 3
        )


class ContactLog(models.Model):
    """One interaction of the office with an IKM (pembinaan): a visit, a call, a training…

    `mission` names the trade mission a contact was about (a lazy reference: the registry
    does not import the missions app).
    """

    class Kind(models.TextChoices):
        VISIT = "visit", _("kunjungan")
        CALL = "call", _("telepon")
        TRAINING = "training", _("pelatihan")
        COACHING = "coaching", _("pendampingan")
        CERTIFICATION = "certification", _("fasilitasi sertifikat")
        MISSION_BRIEFING = "mission_briefing", _("pembekalan misi dagang")
        OTHER = "other", _("lainnya")

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("usaha")
    )
    date = models.DateField(_("tanggal"), default=timezone.localdate)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True},
        verbose_name=_("petugas"),
    )
    subject = models.CharField(_("pokok bahasan"), max_length=200)
    notes = models.TextField(_("catatan"), blank=True)
    follow_up_on = models.DateField(
        _("tindak lanjut pada"),
        null=True,
        blank=True,
        help_text=_("Muncul di ringkasan harian petugas sejak tanggal ini."),
    )
    follow_up_done = models.BooleanField(_("tindak lanjut selesai"), default=False)
    mission = models.ForeignKey(
        "missions.TradeMission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("misi dagang terkait"),
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    objects = ContactLogQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catatan pembinaan")
        verbose_name_plural = _("catatan pembinaan")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["business", "-date"], name="contact_business_date"),
            models.Index(fields=["follow_up_on"], name="contact_follow_up"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.subject}"


# --- Erasure (UU 27/2022 Pasal 8) ------------------------------------------------


class ErasureRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ErasureRequest.Status.PENDING)


class ErasureRequest(models.Model):
    """An owner's request to erase their personal data, decided by staff in the admin.

    Approving runs ikm_registry.erasure.erase_owner; refusing keeps the reason and tells
    the owner. `business` empty means every business of the owner.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu keputusan")
        APPROVED = "approved", _("disetujui, data dihapus")
        REFUSED = "refused", _("ditolak")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="erasure_requests",
        verbose_name=_("pemohon"),
    )
    business = models.ForeignKey(
        Business,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure_requests",
        verbose_name=_("usaha"),
        help_text=_("Kosong: semua usaha milik pemohon."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("diminta pada"), default=timezone.now)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    reason = models.TextField(
        _("alasan penolakan"),
        blank=True,
        help_text=_(
            "Wajib bila ditolak, mis. kewajiban hukum menyimpan kontrak yang ditandatangani."
        ),
    )

    objects = ErasureRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("permintaan penghapusan data")
        verbose_name_plural = _("permintaan penghapusan data")
        ordering = ["status", "-requested_at"]

    def __str__(self):
        return f"#{self.pk} {self.get_status_display()}"
