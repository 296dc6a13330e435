from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

nib_validator = RegexValidator(r"^\d{13}$", _("NIB terdiri dari tepat 13 digit."))


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

    class Meta:
        verbose_name = _("komoditas")
        verbose_name_plural = _("komoditas")
        ordering = ["position", "name"]

    def __str__(self):
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
    npwp15 = models.CharField(_("NPWP (15 digit)"), max_length=15, blank=True)
    npwp16 = models.CharField(_("NPWP (16 digit)"), max_length=16, blank=True)
    owner_name = models.CharField(_("nama pemilik"), max_length=150)
    nik = models.CharField(
        _("NIK pemilik"),
        max_length=255,
        blank=True,
        help_text=_(
            "16 digit. Data pribadi: tidak pernah dipublikasikan, disamarkan dalam daftar."
        ),
    )
    address = models.CharField(_("alamat jalan"), max_length=255)
    desa = models.ForeignKey(
        Desa, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("desa/kelurahan")
    )
    phone = models.CharField(
        _("telepon/WhatsApp"), max_length=16, blank=True, help_text=_("Disimpan sebagai +62…")
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
    size_class = models.CharField(
        _("skala usaha (PP 7/2021)"),
        max_length=10,
        choices=SizeClass.choices,
        blank=True,
        editable=False,
    )
    commodities = models.ManyToManyField(
        Commodity, related_name="businesses", verbose_name=_("sektor komoditas"), blank=True
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
        help_text=_("Usaha yang diarsipkan disembunyikan di semua halaman."),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        verbose_name = _("usaha IKM")
        verbose_name_plural = _("usaha IKM")
        ordering = ["name"]
        permissions = [("verify_business", _("Dapat memverifikasi atau mengembalikan data IKM"))]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self):
        return self.name


class ProductQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(business__owner=user)

    def public(self):
        """Active products of verified businesses."""
        return self.filter(
            is_active=True,
            business__status=Business.Status.VERIFIED,
            business__archived_at__isnull=True,
        )

    def search(self, q):
        """Matches for a catalog search, annotated with `search_rank` (see search.py)."""
        from ikm_registry.search import search_products

        return search_products(self, q)


class Product(models.Model):
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
    export_ready = models.BooleanField(_("siap ekspor"), default=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_max__isnull=True)
                | models.Q(price_min__isnull=True)
                | models.Q(price_max__gte=models.F("price_min")),
                name="product_price_range_ordered",
            )
        ]

    def __str__(self):
        return self.name


class ProductPhoto(models.Model):
    """A product photo, re-encoded at upload without EXIF; the original is never kept."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("produk")
    )
    image = models.ImageField(_("foto (ukuran tampilan)"), upload_to="products/")
    thumbnail = models.ImageField(_("gambar kecil"), upload_to="products/thumbs/")
    alt_text = models.CharField(
        _("keterangan foto"), max_length=200, blank=True, help_text=_("Untuk pembaca layar.")
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt_text or f"{self.product} #{self.pk}"


class Certificate(models.Model):
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
    document = models.FileField(
        _("dokumen pindaian"),
        upload_to="private/certificates/",
        blank=True,
        help_text=_("PDF atau gambar. Tidak pernah dapat diunduh publik."),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["kind", "valid_until"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class ExportRecord(models.Model):
    """Export experience: a country the business exported to, in a year."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="exports", verbose_name=_("usaha")
    )
    country = CountryField(_("negara tujuan"))
    year = models.PositiveSmallIntegerField(_("tahun"))

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

    class Meta:
        verbose_name = _("permintaan pembeli")
        verbose_name_plural = _("permintaan pembeli")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["business", "-created_at"])]

    def __str__(self):
        return f"{self.name} → {self.business}"
