"""Trade missions, their participants, buyers, business-matching meetings and deals."""

import datetime
import functools
import re
import secrets
import unicodedata
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import get_currency_name, get_territory_currencies
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from gerai.models import localized
from ikm_registry.models import Business, Commodity, Inquiry, Product
from tangerang_ikm.storage import private_storage
from tangerang_ikm.uploads import PrivateDocumentField

CENT = Decimal("0.01")
# Kept for migrations 0001-0006, which name it; new code validates against CURRENCIES.
currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Kode mata uang ISO 4217: tiga huruf besar."))


@functools.cache
def _currency_codes():
    """ISO 4217 codes legal tender somewhere today, from CLDR (Babel): no test or fund codes."""
    today = datetime.date.today()
    codes = set()
    for territory in Locale("en").territories:
        # Territories without currency data (Antarctica…) give an empty list.
        codes.update(get_territory_currencies(territory, today, tender=True))
    return frozenset(codes)


def currency_choices():
    """(code, "CODE - name") in the active language; a callable, so migrations stay short."""
    locale = Locale.parse(translation.get_language() or "id", sep="-")
    return [
        (code, f"{code} - {get_currency_name(code, locale=locale)}")
        for code in sorted(_currency_codes())
    ]


def validate_currency(value):
    if value not in _currency_codes():
        raise ValidationError(
            _("“%(code)s” bukan kode mata uang ISO 4217 yang berlaku."),
            code="currency",
            params={"code": value},
        )


def validate_time_zone(value):
    """An IANA time-zone name that zoneinfo knows: Asia/Jakarta, Asia/Dubai, Asia/Seoul."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            _("“%(zone)s” bukan zona waktu yang dikenal (contoh: Asia/Dubai, Asia/Seoul)."),
            code="time_zone",
            params={"zone": value},
        ) from None


class TransitionError(ValidationError):
    """A status change that the workflow does not allow."""


# A buyer's free time is given in half-days of the mission (destination time).
HALF_DAYS = (("am", "09.00\u201312.00"), ("pm", "13.00\u201317.00"))


# --- Trade missions ---------------------------------------------------------


class TradeMissionQuerySet(models.QuerySet):
    def public(self):
        """What anybody may see: every mission past its draft."""
        return self.exclude(status=TradeMission.Status.DRAFT)

    def upcoming(self, today=None):
        today = today or timezone.localdate()
        return self.filter(end_date__gte=today)

    def past(self, today=None):
        today = today or timezone.localdate()
        return self.filter(end_date__lt=today)

    def open_for_registration(self, now=None):
        now = now or timezone.now()
        return self.filter(
            status=TradeMission.Status.OPEN,
            registration_opens__lte=now,
            registration_closes__gte=now,
        )

    def with_results(self):
        """Missions whose results are published."""
        return self.filter(status__in=[TradeMission.Status.COMPLETED, TradeMission.Status.REPORTED])


class TradeMission(models.Model):
    class Kind(models.TextChoices):
        TRADE_MISSION = "misi_dagang", pgettext_lazy("jenis misi", "misi dagang")
        EXHIBITION = "pameran", _("pameran")
        BUSINESS_MATCHING = "temu_bisnis", _("business matching/temu bisnis")
        BUYING_MISSION = "buying_mission", _("buying mission")
        CONTRACT_SIGNING = "kontrak", _("penandatanganan kontrak/MoU")
        OTHER = "lainnya", _("lainnya")

    class Scope(models.TextChoices):
        JABODETABEK = "jabodetabek", _("Jabodetabek")
        NATIONAL = "nasional", _("nasional")
        INTERNATIONAL = "internasional", _("internasional")

    class BudgetSource(models.TextChoices):
        APBD = "apbd", _("APBD Kabupaten Tangerang")
        APBD_PROV = "apbd_prov", _("APBD Provinsi Banten")
        APBN = "apbn", _("APBN")
        PARTNER = "mitra", _("mitra/sponsor")
        PARTICIPANTS = "peserta", _("swadaya peserta")
        OTHER = "lainnya", _("lainnya")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        OPEN = "open", _("pendaftaran dibuka")
        SELECTION = "selection", _("seleksi")
        ONGOING = "ongoing", _("berlangsung")
        COMPLETED = "completed", pgettext_lazy("status misi", "selesai")
        REPORTED = "reported", _("dilaporkan")

    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.DRAFT, Status.SELECTION},
        Status.SELECTION: {Status.OPEN, Status.ONGOING},
        Status.ONGOING: {Status.COMPLETED},
        Status.COMPLETED: {Status.REPORTED},
        Status.REPORTED: set(),
    }

    title = models.CharField(_("judul"), max_length=200)
    title_en = models.CharField(_("judul (bahasa Inggris)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    scope = models.CharField(_("cakupan"), max_length=15, choices=Scope.choices)
    city = models.CharField(_("kota tujuan"), max_length=100)
    country = CountryField(_("negara tujuan"), default="ID")
    partner = models.CharField(
        _("mitra"),
        max_length=200,
        blank=True,
        help_text=_("Daerah, instansi, ITPC, atau kedutaan yang bekerja sama."),
    )
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    registration_opens = models.DateTimeField(_("pendaftaran dibuka"))
    registration_closes = models.DateTimeField(
        _("batas pendaftaran"), help_text=_("Pendaftaran IKM ditolak setelah waktu ini.")
    )
    quota = models.PositiveSmallIntegerField(
        _("kuota IKM"),
        validators=[MinValueValidator(1)],
        help_text=_("Jumlah IKM yang dapat diterima; tidak pernah dapat dilampaui."),
    )
    commodities = models.ManyToManyField(
        Commodity, related_name="missions", verbose_name=_("komoditas sasaran"), blank=True
    )
    budget_source = models.CharField(
        _("sumber anggaran"), max_length=12, choices=BudgetSource.choices, blank=True
    )
    budget_amount = models.DecimalField(
        _("anggaran (Rp)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = models.TextField(_("deskripsi"), blank=True)
    time_zone = models.CharField(
        _("zona waktu tujuan"),
        max_length=64,
        default="Asia/Jakarta",
        validators=[validate_time_zone],
        help_text=_("Nama zona waktu IANA, mis. Asia/Dubai atau Asia/Seoul."),
    )
    meeting_request_limit = models.PositiveSmallIntegerField(
        _("batas permintaan pertemuan per pembeli"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Jumlah IKM paling banyak yang dapat diminta bertemu oleh satu pembeli."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_missions",
        verbose_name=_("koordinator"),
        blank=True,
        help_text=_(
            "Menerima e-mail transaksi yang dipersoalkan dan ringkasan tindak lanjut mingguan. "
            "Kosong: semua Koordinator Misi Dagang."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    history = HistoricalRecords()
    objects = TradeMissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("misi dagang")
        verbose_name_plural = _("misi dagang")
        ordering = ["-start_date", "title"]
        permissions = [("view_report", _("Dapat melihat laporan misi dan dasbor program"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="mission_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__gte=models.F("registration_opens")),
                name="mission_registration_window_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("missions:detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # What the dashboard's rollup counted the mission's deals under (missions/rollup.py).
        instance.rollup_loaded = (
            instance.__dict__.get("scope"),
            instance.__dict__.get("status") == cls.Status.DRAFT,
        )
        return instance

    @property
    def display_title(self):
        """The title in the active language: English when set and active, else Indonesian."""
        return localized(self, "title")

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")}
            )
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes < self.registration_opens
        ):
            raise ValidationError(
                {"registration_closes": _("Batas pendaftaran harus setelah pendaftaran dibuka.")}
            )

    def can_transition_to(self, status):
        return status in self.TRANSITIONS[self.Status(self.status)]

    def transition_to(self, status):
        """The one way a mission changes status; refuses a step the workflow lacks."""
        status = self.Status(status)
        if not self.can_transition_to(status):
            raise TransitionError(
                _("Status misi tidak dapat diubah dari “%(old)s” ke “%(new)s”.")
                % {"old": self.get_status_display(), "new": status.label}
            )
        self.status = status
        self.save(update_fields=["status", "updated_at"])

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and self.registration_opens <= now <= self.registration_closes
        )

    @property
    def results_published(self):
        return self.status in (self.Status.COMPLETED, self.Status.REPORTED)

    def coordinator_emails(self):
        """The mission's coordinators, or every active coordinator when none is named."""
        from django.contrib.auth import get_user_model

        from tangerang_ikm.roles import COORDINATOR

        users = get_user_model().objects.filter(is_active=True).exclude(email="")
        named = users.filter(coordinated_missions=self) if self.pk else users.none()
        chosen = named if named.exists() else users.filter(groups__name=COORDINATOR)
        return sorted(set(chosen.values_list("email", flat=True)))

    @property
    def tzinfo(self):
        """The destination's time zone (WIB when the stored name is somehow unknown)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            return zoneinfo.ZoneInfo("Asia/Jakarta")

    @property
    def local_differs(self):
        """Whether the destination's clock differs from WIB on the mission's first day."""
        day = datetime.datetime.combine(self.start_date, datetime.time(12))
        wib = zoneinfo.ZoneInfo("Asia/Jakarta")
        return day.replace(tzinfo=self.tzinfo).utcoffset() != day.replace(tzinfo=wib).utcoffset()

    def free_slot_choices(self):
        """(key, label) for each half-day of the mission: what a buyer says they have free."""
        choices, day = [], self.start_date
        while day <= self.end_date and len(choices) < 62:
            for part, label in HALF_DAYS:
                choices.append((f"{day.isoformat()}|{part}", f"{day:%d/%m/%Y} {label}"))
            day += datetime.timedelta(days=1)
        return choices

    @property
    def reporting_currency(self):
        """Missions abroad report in US dollars, missions at home in rupiah."""
        return "USD" if self.scope == self.Scope.INTERNATIONAL else "IDR"


class ProgramTarget(models.Model):
    """The number of IKM the program aims to engage in a year (falls back to the setting)."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    target_ikm = models.PositiveIntegerField(_("target IKM"))
    notes = models.CharField(_("catatan"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target program")
        verbose_name_plural = _("target program")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.target_ikm}"


# --- Participation ----------------------------------------------------------


class ParticipationQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(business__owner=user)

    def holding_a_place(self):
        """Participations that take up a place of the quota."""
        return self.filter(status__in=Participation.PLACE_HOLDING)


class Participation(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("mendaftar")
        SHORTLISTED = "shortlisted", _("masuk daftar pendek")
        ACCEPTED = "accepted", _("diterima")
        REJECTED = "rejected", _("ditolak")
        ATTENDED = "attended", _("hadir")
        NO_SHOW = "no_show", _("tidak hadir")
        WITHDRAWN = "withdrawn", _("mengundurkan diri")

    TRANSITIONS = {
        Status.APPLIED: {Status.SHORTLISTED, Status.REJECTED, Status.WITHDRAWN},
        Status.SHORTLISTED: {Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN},
        Status.ACCEPTED: {Status.ATTENDED, Status.NO_SHOW, Status.WITHDRAWN},
        Status.REJECTED: {Status.SHORTLISTED},
        Status.ATTENDED: {Status.NO_SHOW},
        Status.NO_SHOW: {Status.ATTENDED},
        Status.WITHDRAWN: set(),
    }
    PLACE_HOLDING = (Status.ACCEPTED, Status.ATTENDED, Status.NO_SHOW)

    mission = models.ForeignKey(
        TradeMission,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("misi"),
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="participations", verbose_name=_("IKM")
    )
    products = models.ManyToManyField(
        Product, related_name="participations", verbose_name=_("produk yang dibawa"), blank=True
    )
    booth_number = models.CharField(_("nomor stan"), max_length=20, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED
    )
    applied_at = models.DateTimeField(_("mendaftar pada"), default=timezone.now)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[products])
    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("peserta misi")
        verbose_name_plural = _("peserta misi")
        ordering = ["mission", "business__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "business"], name="participation_one_per_business"
            )
        ]

    def __str__(self):
        return f"{self.business} @ {self.mission}"

    def can_transition_to(self, status):
        return status in self.TRANSITIONS[self.Status(self.status)]


# --- Buyers -----------------------------------------------------------------

_LEGAL_SUFFIXES = re.compile(
    r"\b(pt|cv|ud|tbk|ltd|llc|inc|co|corp|gmbh|bv|sarl|sdn|bhd|pte|plc|limited|company)\b"
)


def normalise_company(name):
    """'PT. Sinar Jaya, Tbk.' and 'sinar jaya' compare equal."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = _LEGAL_SUFFIXES.sub(" ", text)
    return " ".join(text.split())


class BuyerQuerySet(models.QuerySet):
    def possible_duplicates(self, company, country, exclude_pk=None):
        qs = self.filter(normalized_name=normalise_company(company), country=country)
        return qs.exclude(pk=exclude_pk) if exclude_pk else qs

    def met_by(self, business, *, mission):
        """Buyers this IKM met in this mission, or has a deal with there: the ones its
        owner may name on a deal (not every buyer other IKM met)."""
        met = Q(meetings__mission=mission, meetings__business=business)
        dealt = Q(deals__mission=mission, deals__business=business)
        return self.filter(pk__in=self.filter(met | dealt).values("pk"))


class Buyer(models.Model):
    class Kind(models.TextChoices):
        IMPORTER = "importer", _("importir")
        DISTRIBUTOR = "distributor", _("distributor")
        RETAILER = "retailer", _("peritel")
        WHOLESALER = "wholesaler", _("pedagang besar")
        HORECA = "horeca", _("hotel/restoran/kafe")
        ECOMMERCE = "ecommerce", _("e-commerce")
        MANUFACTURER = "manufacturer", _("produsen")
        AGENT = "agent", _("agen/perwakilan")
        OTHER = "other", _("lainnya")

    company = models.CharField(_("perusahaan"), max_length=200)
    normalized_name = models.CharField(
        _("nama ternormalisasi"), max_length=200, editable=False, db_index=True
    )
    country = CountryField(_("negara"))
    city = models.CharField(_("kota"), max_length=100, blank=True)
    kind = models.CharField(_("jenis pembeli"), max_length=15, choices=Kind.choices)
    contact_person = models.CharField(
        _("narahubung"),
        max_length=150,
        blank=True,
        help_text=_("Data pribadi: tidak dipublikasikan."),
    )
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("Dipakai untuk meminta pembeli mengonfirmasi transaksi."),
    )
    language = models.CharField(
        _("bahasa e-mail"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Kosong: bahasa Indonesia untuk pembeli di Indonesia, Inggris untuk lainnya."),
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    commodities = models.ManyToManyField(
        Commodity, related_name="buyers", verbose_name=_("komoditas yang diminati"), blank=True
    )
    notes = models.TextField(_("catatan"), blank=True)
    source_inquiry = models.OneToOneField(
        Inquiry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buyer",
        verbose_name=_("dari permintaan pembeli"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    objects = BuyerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pembeli")
        verbose_name_plural = _("pembeli")
        ordering = ["company"]
        indexes = [
            models.Index(fields=["normalized_name", "country"]),
            # The admin's list order: a page is read off the index, not sorted.
            models.Index(fields=["company"], name="buyer_company"),
        ]

    def __str__(self):
        return f"{self.company} ({self.country.code})"

    def save(self, *args, **kwargs):
        # A derived lookup column, kept beside the name it derives from.
        self.normalized_name = normalise_company(self.company)
        super().save(*args, **kwargs)

    @property
    def email_language(self):
        return self.language or ("id" if self.country.code == "ID" else "en")


# --- Meetings ---------------------------------------------------------------


class MeetingQuerySet(models.QuerySet):
    def overlapping(self, start, end):
        """Half-open ranges [start, end) overlap when each starts before the other ends."""
        return self.filter(start__lt=end, end__gt=start)


class Rating(models.TextChoices):
    """A side's verdict on a meeting, given after the mission."""

    USEFUL = "useful", _("bermanfaat")
    NOT_USEFUL = "not_useful", _("tidak bermanfaat")


class Meeting(models.Model):
    class Outcome(models.TextChoices):
        NO_INTEREST = "no_interest", _("tidak berminat")
        FOLLOW_UP = "follow_up", _("tindak lanjut")
        SAMPLE = "sample", _("minta sampel")
        NEGOTIATION = "negotiation", _("negosiasi")
        DEAL = "deal", _("transaksi")

    mission = models.ForeignKey(
        TradeMission, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("misi")
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("peserta"),
    )
    # Copied from the participation so that the database can refuse overlaps per business.
    business = models.ForeignKey(
        Business,
        on_delete=models.PROTECT,
        related_name="mission_meetings",
        verbose_name=_("IKM"),
        editable=False,
    )
    buyer = models.ForeignKey(
        Buyer, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("pembeli")
    )
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    table = models.CharField(_("meja"), max_length=10, blank=True)
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    # After the mission each side says whether the meeting was useful and what follows.
    buyer_rating = models.CharField(
        _("penilaian pembeli"), max_length=10, choices=Rating.choices, blank=True
    )
    buyer_next_step = models.TextField(_("langkah berikut menurut pembeli"), blank=True)
    buyer_rated_at = models.DateTimeField(_("pembeli menilai pada"), null=True, blank=True)
    ikm_rating = models.CharField(
        _("penilaian IKM"), max_length=10, choices=Rating.choices, blank=True
    )
    ikm_next_step = models.TextField(_("langkah berikut menurut IKM"), blank=True)
    ikm_rated_at = models.DateTimeField(_("IKM menilai pada"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pertemuan bisnis")
        verbose_name_plural = _("pertemuan bisnis")
        ordering = ["start", "table"]
        indexes = [models.Index(fields=["start"], name="meeting_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            )
        ]
        # PostgreSQL also refuses overlaps per business, per buyer and per table with
        # exclusion constraints added by migration 0002 (PostgreSQL only).

    def __str__(self):
        return f"{self.business} \u00d7 {self.buyer}"

    def rateable(self, now=None):
        """Rated after the meeting took place."""
        return self.end <= (now or timezone.now())


# --- Exchange rates ---------------------------------------------------------

# A deal on a Saturday or a holiday takes the last published rate before it, never older.
RATE_LOOKBACK_DAYS = 7


class ExchangeRateQuerySet(models.QuerySet):
    def on(self, currency, date):
        """The rate in force on `date`: that day's, or the latest in the week before."""
        return (
            self.filter(
                currency=currency,
                date__lte=date,
                date__gte=date - datetime.timedelta(days=RATE_LOOKBACK_DAYS),
            )
            .order_by("-date")
            .first()
        )


class ExchangeRate(models.Model):
    """Rupiah for one unit of a currency on a day: Bank Indonesia's or the office's own."""

    class Source(models.TextChoices):
        BI_TRANSACTION = "bi_kurs_transaksi", _("Bank Indonesia: kurs transaksi (tengah)")
        JISDOR = "jisdor", _("Bank Indonesia: JISDOR")
        OFFICE = "office", _("ditetapkan Disperindag")

    currency = models.CharField(
        _("mata uang"), max_length=3, choices=currency_choices, validators=[validate_currency]
    )
    date = models.DateField(_("tanggal"))
    rate_to_idr = models.DecimalField(
        _("kurs ke rupiah"),
        max_digits=16,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("Rupiah untuk 1 satuan mata uang pada tanggal itu."),
    )
    source = models.CharField(_("sumber"), max_length=20, choices=Source.choices)
    notes = models.CharField(_("catatan"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = ExchangeRateQuerySet.as_manager()

    class Meta:
        verbose_name = _("kurs")
        verbose_name_plural = _("tabel kurs")
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_one_per_day"),
            models.CheckConstraint(condition=Q(rate_to_idr__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self):
        return f"{self.currency} {self.date:%d/%m/%Y}: {self.rate_to_idr}"

    def clean(self):
        if self.currency == "IDR":
            raise ValidationError({"currency": _("Rupiah tidak memerlukan kurs.")})


# --- Deals ------------------------------------------------------------------


class PartyAnswer(models.TextChoices):
    """A party's answer to "is this deal right?"; blank while unanswered."""

    CONFIRMED = "confirmed", _("dikonfirmasi")
    DISPUTED = "disputed", _("dipersoalkan")


class DealQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(business__owner=user)

    def confirmed(self):
        return self.filter(status=Deal.Status.CONFIRMED)

    def confirmed_by_both_parties(self):
        return self.filter(BOTH_PARTIES_Q)

    def by_party_answers(self, state):
        """Filter by the parties' answers: both, one, none or disputed (the admin filter)."""
        if state == "both":
            return self.filter(BOTH_PARTIES_Q)
        if state == "disputed":
            return self.filter(DISPUTED_Q)
        confirmed = PartyAnswer.CONFIRMED
        if state == "one":
            one = Q(buyer_answer=confirmed) ^ Q(ikm_answer=confirmed)
            return self.filter(one).exclude(DISPUTED_Q)
        if state == "none":
            return (
                self.exclude(buyer_answer=confirmed)
                .exclude(ikm_answer=confirmed)
                .exclude(DISPUTED_Q)
            )
        return self

    def update(self, **kwargs):
        """QuerySet.update(), which sends no signal, also tells the dashboard's rollup
        which slices it changed (missions/rollup.py)."""
        from missions import rollup

        rollup.deals_updating(self, kwargs)
        return super().update(**kwargs)

    def refresh_realised(self):
        """Store on these potential deals the sums of their staff-confirmed realisations.

        The reports read the stored sums: a correlated subquery per potential deal, repeated
        in every money column, made the dashboard take minutes at regency scale."""
        realisations = (
            Deal.objects.filter(
                realises=OuterRef("pk"), kind=Deal.Kind.REALISED, status=Deal.Status.CONFIRMED
            )
            .order_by()
            .values("realises")
        )
        money = models.DecimalField(max_digits=20, decimal_places=2)

        def total(field):
            sums = realisations.annotate(total=Sum(field)).values("total")
            return Coalesce(Subquery(sums, output_field=money), Value(Decimal(0)))

        return self.filter(kind=Deal.Kind.POTENTIAL).update(
            realised_idr=total("value_idr"), realised_usd=total("value_usd")
        )


class Deal(models.Model):
    """A transaction reported from a mission: on the spot, potential, or realised later."""

    class Kind(models.TextChoices):
        ON_THE_SPOT = "spot", _("transaksi langsung")
        POTENTIAL = "potential", _("potensi transaksi")
        REALISED = "realised", _("realisasi")

    class Stage(models.TextChoices):
        NEGOTIATION = "negotiation", _("negosiasi")
        LOI = "loi", _("LoI")
        MOU = "mou", _("MoU")

    class Status(models.TextChoices):
        REPORTED = "reported", _("dilaporkan pemilik")
        CONFIRMED = "confirmed", _("dikonfirmasi petugas")

    ACTUAL = (Kind.ON_THE_SPOT, Kind.REALISED)

    mission = models.ForeignKey(
        TradeMission, on_delete=models.PROTECT, related_name="deals", verbose_name=_("misi")
    )
    business = models.ForeignKey(
        Business,
        on_delete=models.PROTECT,
        related_name="mission_deals",
        verbose_name=_("IKM penjual"),
    )
    buyer = models.ForeignKey(
        Buyer,
        on_delete=models.PROTECT,
        related_name="deals",
        verbose_name=_("pembeli"),
        null=True,
        blank=True,
    )
    buyer_name = models.CharField(
        _("nama pembeli (jika belum terdaftar)"), max_length=200, blank=True
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        related_name="deals",
        verbose_name=_("dari pertemuan"),
        null=True,
        blank=True,
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        related_name="mission_deals",
        verbose_name=_("produk"),
        null=True,
        blank=True,
    )
    commodity = models.ForeignKey(
        Commodity,
        on_delete=models.PROTECT,
        related_name="mission_deals",
        verbose_name=_("komoditas"),
    )
    kind = models.CharField(_("jenis transaksi"), max_length=10, choices=Kind.choices)
    stage = models.CharField(
        _("tahap potensi"),
        max_length=12,
        choices=Stage.choices,
        blank=True,
        help_text=_("Hanya untuk potensi transaksi: negosiasi, LoI, atau MoU."),
    )
    realises = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="realisations",
        verbose_name=_("merealisasikan potensi"),
        null=True,
        blank=True,
        help_text=_("Untuk realisasi: potensi transaksi yang direalisasikan."),
    )
    quantity = models.DecimalField(
        _("jumlah"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("satuan"), max_length=30, blank=True)
    amount = models.DecimalField(
        _("nilai"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(
        _("mata uang"),
        max_length=3,
        default="IDR",
        choices=currency_choices,
        validators=[validate_currency],
    )
    rate_to_idr = models.DecimalField(
        _("kurs ke rupiah"),
        max_digits=16,
        decimal_places=6,
        blank=True,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_(
            "Rupiah untuk 1 satuan mata uang transaksi. Kosongkan untuk memakai tabel kurs "
            "pada tanggal transaksi; rupiah tidak memerlukan kurs."
        ),
    )
    usd_rate = models.DecimalField(
        _("kurs US$ ke rupiah"),
        max_digits=16,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("Rupiah untuk 1 US$. Kosongkan untuk memakai tabel kurs."),
    )
    rate_date = models.DateField(
        _("tanggal kurs"), blank=True, help_text=_("Kosong: tanggal transaksi.")
    )
    rate_source = models.CharField(
        _("sumber kurs"), max_length=100, blank=True, default="Kurs JISDOR Bank Indonesia"
    )
    value_idr = models.DecimalField(
        _("nilai (Rp)"), max_digits=20, decimal_places=2, editable=False, default=0
    )
    value_usd = models.DecimalField(
        _("nilai (US$)"),
        max_digits=18,
        decimal_places=2,
        editable=False,
        null=True,
        default=0,
        help_text=_("Kosong bila transaksi rupiah tanpa kurs US$ di tabel kurs."),
    )
    # Kept by the realisations' save() and, on delete, missions/signals.py
    # (DealQuerySet.refresh_realised).
    realised_idr = models.DecimalField(
        _("terealisasi (Rp)"), max_digits=20, decimal_places=2, editable=False, default=0
    )
    realised_usd = models.DecimalField(
        _("terealisasi (US$)"), max_digits=20, decimal_places=2, editable=False, default=0
    )
    destination_country = CountryField(_("negara tujuan"), default="ID")
    date = models.DateField(_("tanggal transaksi"))
    notes = models.TextField(_("catatan"), blank=True)
    document = PrivateDocumentField(
        _("dokumen pendukung"),
        upload_to="deals/%Y/%m/",
        storage=private_storage,
        blank=True,
        help_text=_("Kontrak, LoI, MoU, atau faktur. Tidak pernah dapat diunduh publik."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REPORTED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dilaporkan oleh"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikonfirmasi oleh"),
    )
    confirmed_at = models.DateTimeField(_("dikonfirmasi pada"), null=True, blank=True)
    # The parties' own answers, asked by e-mail link (missions.services.ask_parties):
    # a second dimension beside the office's `status`.
    buyer_answer = models.CharField(
        _("jawaban pembeli"), max_length=10, choices=PartyAnswer.choices, blank=True, editable=False
    )
    buyer_answered_at = models.DateTimeField(
        _("pembeli menjawab pada"), null=True, blank=True, editable=False
    )
    buyer_comment = models.TextField(_("komentar pembeli"), blank=True, editable=False)
    ikm_answer = models.CharField(
        _("jawaban IKM"), max_length=10, choices=PartyAnswer.choices, blank=True, editable=False
    )
    ikm_answered_at = models.DateTimeField(
        _("IKM menjawab pada"), null=True, blank=True, editable=False
    )
    ikm_comment = models.TextField(_("komentar IKM"), blank=True, editable=False)
    follow_up = models.ForeignKey(
        "FollowUp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="realisations",
        verbose_name=_("dari tindak lanjut"),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    history = HistoricalRecords()
    objects = DealQuerySet.as_manager()

    # Changing one of these asks both parties again: their answer was about the old facts.
    FACTS = ("kind", "business", "buyer", "buyer_name", "commodity", "amount", "currency", "date")

    class Meta:
        verbose_name = _("transaksi")
        verbose_name_plural = _("transaksi")
        ordering = ["-date", "-pk"]
        # The admin lists 200,000 deals newest first: read off the index, not sorted.
        indexes = [models.Index(fields=["date", "id"], name="deal_date_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="realised") | Q(realises__isnull=True),
                name="deal_only_realisations_link_a_potential",
            ),
            # Money is never negative and rates never zero, whatever path wrote the row.
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(value_idr__gte=0) & Q(value_usd__gte=0),
                name="deal_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(rate_to_idr__gt=0) & (Q(usd_rate__isnull=True) | Q(usd_rate__gt=0)),
                name="deal_rates_positive",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="deal_quantity_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.business} → {self.buyer or self.buyer_name}: {self.amount} {self.currency}"

    def save(self, *args, **kwargs):
        # Derived columns, stored so that totals add rupiah and dollars, never raw amounts.
        if self.currency == "IDR":
            self.rate_to_idr = Decimal(1)
        elif self.currency == "USD":
            self.usd_rate = self.rate_to_idr
        if self.rate_date is None:
            self.rate_date = self.date
        if self.amount is not None and self.rate_to_idr:
            self.value_idr, self.value_usd = self.convert(
                self.amount, self.rate_to_idr, self.usd_rate
            )
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "value_idr", "value_usd"}
        from missions import rollup

        before = old = None
        if self.pk is not None:
            old = (
                Deal.objects.filter(pk=self.pk)
                .values_list("realises_id", "status", "mission_id", "date")
                .first()
            )
            before = old[0] if old else None
        super().save(*args, **kwargs)
        # The dashboard's rollup: the slices the deal counted in before and counts in now.
        rollup.deal_changed(self, old[1:] if old else None, kwargs.get("update_fields"))
        # The potential deals this realisation counts (or counted) for keep their sums.
        if self.realises_id or before:
            Deal.objects.filter(pk__in={self.realises_id, before} - {None}).refresh_realised()

    def fill_rates(self):
        """Rates staff left empty, from the rate table on the deal's date.

        Rupiah is 1. A rate typed by staff wins. Returns {field: message} for a rate the
        table lacks; a rupiah deal without a US$ rate keeps no dollar value.
        """
        errors = {}
        if self.currency:
            self.currency = self.currency.strip().upper()
        day = self.rate_date or self.date
        if day is None or not self.currency:
            return errors
        if self.currency == "IDR":
            self.rate_to_idr = Decimal(1)
        elif not self.rate_to_idr:
            row = ExchangeRate.objects.on(self.currency, day)
            if row is None:
                errors["rate_to_idr"] = _(
                    "Tabel kurs belum memuat kurs %(currency)s untuk %(date)s: "
                    "isi kurs atau tambahkan kurs itu ke tabel kurs."
                ) % {"currency": self.currency, "date": day.strftime("%d/%m/%Y")}
            else:
                self.rate_to_idr, self.rate_date = row.rate_to_idr, row.date
                self.rate_source = str(row.get_source_display())
        if self.currency == "USD":
            self.usd_rate = self.rate_to_idr
        elif not self.usd_rate:
            row = ExchangeRate.objects.on("USD", day)
            if row is not None:
                self.usd_rate = row.rate_to_idr
            elif self.currency != "IDR":
                errors["usd_rate"] = _(
                    "Tabel kurs belum memuat kurs USD untuk %(date)s: isi kurs US$ atau "
                    "tambahkan kurs itu ke tabel kurs."
                ) % {"date": day.strftime("%d/%m/%Y")}
        if self.rate_date is None:
            self.rate_date = self.date
        return errors

    def clean(self):
        errors = self.fill_rates()
        if self.kind == self.Kind.REALISED:
            if not self.realises_id:
                errors["realises"] = _(
                    "Realisasi harus menunjuk potensi transaksi yang direalisasikan."
                )
            else:
                potential = self.realises
                if potential.kind != self.Kind.POTENTIAL:
                    errors["realises"] = _("Yang direalisasikan harus berupa potensi transaksi.")
                elif potential.business_id != self.business_id:
                    errors["realises"] = _("Potensi transaksi itu milik IKM lain.")
        elif self.realises_id:
            errors["realises"] = _("Hanya realisasi yang menunjuk potensi transaksi.")
        if self.kind != self.Kind.POTENTIAL and self.stage:
            errors["stage"] = _("Tahap hanya diisi untuk potensi transaksi.")
        if self.product_id and self.business_id and self.product.business_id != self.business_id:
            errors["product"] = _("Produk itu bukan milik IKM penjual.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def convert(amount, rate_to_idr, usd_rate):
        """(rupiah, US dollars), each rounded half up to the cent; no dollars without a rate."""
        idr_exact = Decimal(amount) * Decimal(rate_to_idr)
        value_idr = idr_exact.quantize(CENT, rounding=ROUND_HALF_UP)
        if not usd_rate:
            return value_idr, None
        value_usd = (idr_exact / Decimal(usd_rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        return value_idr, value_usd

    @property
    def buyer_label(self):
        return self.buyer.company if self.buyer_id else self.buyer_name

    @property
    def buyer_email(self):
        return self.buyer.email if self.buyer_id else ""

    @property
    def party_state(self):
        """both, one, none or disputed: the admin's column and filter."""
        answers = (self.buyer_answer, self.ikm_answer)
        if PartyAnswer.DISPUTED in answers:
            return "disputed"
        return {2: "both", 1: "one", 0: "none"}[answers.count(PartyAnswer.CONFIRMED)]


BOTH_PARTIES_Q = Q(buyer_answer=PartyAnswer.CONFIRMED, ikm_answer=PartyAnswer.CONFIRMED)
DISPUTED_Q = Q(buyer_answer=PartyAnswer.DISPUTED) | Q(ikm_answer=PartyAnswer.DISPUTED)
PARTY_STATES = {
    "both": _("dikonfirmasi kedua pihak"),
    "one": _("dikonfirmasi satu pihak"),
    "none": _("belum dikonfirmasi para pihak"),
    "disputed": _("dipersoalkan"),
}


# --- Links sent by e-mail ---------------------------------------------------


class SignedLinkMixin:
    """A row reached by an e-mailed link: signed, single-use, expiring.

    The token signs the row's id and a random nonce kept on the row; a token that was
    altered, a row that was answered, replaced or has expired all give `None`.
    """

    SALT = ""

    @property
    def token(self):
        return signing.dumps([self.pk, self.nonce], salt=self.SALT)

    @classmethod
    def from_token(cls, token, *, now=None):
        now = now or timezone.now()
        try:
            pk, nonce = signing.loads(token, salt=cls.SALT)
        except (signing.BadSignature, TypeError, ValueError):
            return None
        row = cls.token_queryset().filter(pk=pk).first()
        if row is None or not secrets.compare_digest(str(row.nonce), str(nonce)):
            return None
        if not row.is_usable(now):
            return None
        return row

    @classmethod
    def token_queryset(cls):
        """Where a token's row is read from: a subclass may join what its page shows."""
        return cls.objects.all()

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.answered_at is None and self.superseded_at is None and now < self.expires_at


def new_nonce():
    return secrets.token_urlsafe(12)


class PartyConfirmation(SignedLinkMixin, models.Model):
    """One e-mailed request to a deal's party to confirm it, and its answer."""

    SALT = "missions.PartyConfirmation"

    class Side(models.TextChoices):
        BUYER = "buyer", _("pembeli")
        IKM = "ikm", _("IKM")

    deal = models.ForeignKey(
        Deal,
        on_delete=models.CASCADE,
        related_name="party_confirmations",
        verbose_name=_("transaksi"),
    )
    side = models.CharField(_("pihak"), max_length=5, choices=Side.choices)
    email = models.EmailField(_("dikirim ke"))
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES)
    nonce = models.CharField(max_length=24, default=new_nonce, editable=False)
    sent_at = models.DateTimeField(_("dikirim pada"), default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    answer = models.CharField(_("jawaban"), max_length=10, choices=PartyAnswer.choices, blank=True)
    comment = models.TextField(_("komentar"), blank=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    superseded_at = models.DateTimeField(
        _("diganti pada"),
        null=True,
        blank=True,
        help_text=_("Tautan baru dikirim atau data transaksi berubah: tautan ini tidak berlaku."),
    )

    # No nonce: it is the secret of the signed link.
    history = HistoricalRecords(excluded_fields=["nonce"])

    class Meta:
        verbose_name = _("konfirmasi para pihak")
        verbose_name_plural = _("konfirmasi para pihak")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["deal", "side"], name="party_confirmation_deal")]

    def __str__(self):
        return f"{self.get_side_display()} · {self.deal_id}"


class FollowUp(SignedLinkMixin, models.Model):
    """ "Has this become a sale?": asked of the IKM owner 3, 6 and 12 months after a mission."""

    SALT = "missions.FollowUp"
    MONTHS = (3, 6, 12)

    class Answer(models.TextChoices):
        REALISED = "realised", _("sudah terealisasi")
        IN_PROGRESS = "in_progress", _("masih berjalan")
        WILL_NOT_HAPPEN = "cancelled", _("tidak akan terjadi")

    deal = models.ForeignKey(
        Deal,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("potensi transaksi"),
        limit_choices_to={"kind": Deal.Kind.POTENTIAL},
    )
    months = models.PositiveSmallIntegerField(_("bulan setelah misi"))
    due_date = models.DateField(_("jatuh tempo"))
    email = models.EmailField(_("dikirim ke"))
    nonce = models.CharField(max_length=24, default=new_nonce, editable=False)
    sent_at = models.DateTimeField(_("dikirim pada"), default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    answer = models.CharField(_("jawaban"), max_length=12, choices=Answer.choices, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("diganti pada"), null=True, blank=True)

    # No nonce: it is the secret of the signed link.
    history = HistoricalRecords(excluded_fields=["nonce"])

    class Meta:
        verbose_name = _("tindak lanjut potensi")
        verbose_name_plural = _("tindak lanjut potensi")
        ordering = ["deal", "months"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "months"], name="follow_up_once_per_stage")
        ]

    def __str__(self):
        return _("%(months)s bulan: %(deal)s") % {"months": self.months, "deal": self.deal}

    @property
    def state(self):
        if self.answer:
            return self.get_answer_display()
        if timezone.now() >= self.expires_at:
            return _("tidak dijawab")
        return _("menunggu jawaban")


class DigestSent(models.Model):
    """A weekly follow-up digest already sent to one address (so hourly runs send it once)."""

    week = models.DateField(_("minggu (Senin)"))
    email = models.EmailField(_("dikirim ke"))
    sent_at = models.DateTimeField(_("dikirim pada"), default=timezone.now)

    class Meta:
        verbose_name = _("ringkasan mingguan terkirim")
        verbose_name_plural = _("ringkasan mingguan terkirim")
        constraints = [models.UniqueConstraint(fields=["week", "email"], name="digest_once_a_week")]

    def __str__(self):
        return f"{self.week:%d/%m/%Y} → {self.email}"


# --- Invited buyers and their meeting requests -------------------------------


class MissionBuyerQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


def invitation_expiry(mission):
    """A buyer's link works until 90 days after the mission: long enough to rate meetings."""
    end = datetime.datetime.combine(mission.end_date, datetime.time(23, 59))
    return timezone.make_aware(end) + datetime.timedelta(days=90)


class MissionBuyer(SignedLinkMixin, models.Model):
    """A buyer invited to a mission, who opens it through a personal signed link."""

    SALT = "missions.MissionBuyer"

    mission = models.ForeignKey(
        TradeMission, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("misi")
    )
    buyer = models.ForeignKey(
        Buyer, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("pembeli")
    )
    nonce = models.CharField(max_length=24, default=new_nonce, editable=False)
    invited_at = models.DateTimeField(_("diundang pada"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        _("tautan berlaku sampai"),
        blank=True,
        help_text=_("Kosong: 90 hari setelah misi selesai."),
    )
    revoked_at = models.DateTimeField(
        _("tautan dicabut pada"),
        null=True,
        blank=True,
        help_text=_("Diisi: tautan pribadi pembeli tidak berlaku lagi."),
    )
    free_slots = models.JSONField(_("waktu luang"), default=list, blank=True, editable=False)
    link_sent_at = models.DateTimeField(
        _("tautan dikirim pada"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords(excluded_fields=["nonce"])
    objects = MissionBuyerQuerySet.as_manager()

    class Meta:
        verbose_name = _("pembeli undangan")
        verbose_name_plural = _("pembeli undangan")
        ordering = ["mission", "buyer__company"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "buyer"], name="mission_buyer_once")
        ]

    def __str__(self):
        return f"{self.buyer} @ {self.mission}"

    def save(self, *args, **kwargs):
        if self.expires_at is None and self.mission_id:
            self.expires_at = invitation_expiry(self.mission)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("missions:buyer_link", args=[self.token])

    @classmethod
    def token_queryset(cls):
        return cls.objects.select_related("mission", "buyer")

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at is not None and now < self.expires_at

    def free_slot_labels(self):
        labels = dict(self.mission.free_slot_choices())
        return [labels[key] for key in self.free_slots if key in labels]


class MeetingRequestQuerySet(models.QuerySet):
    def owned_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(participation__business__owner=user)

    def counting(self):
        """The requests that count towards a buyer's limit: all but the declined."""
        return self.exclude(status=MeetingRequest.Status.DECLINED)


class MeetingRequest(models.Model):
    """A buyer asks to meet one IKM of the mission; its owner accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu jawaban IKM")
        ACCEPTED = "accepted", _("diterima IKM")
        DECLINED = "declined", _("ditolak IKM")

    invitation = models.ForeignKey(
        MissionBuyer,
        on_delete=models.CASCADE,
        related_name="requests",
        verbose_name=_("pembeli undangan"),
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="meeting_requests",
        verbose_name=_("IKM yang diminta"),
    )
    message = models.TextField(_("pesan pembeli"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    owner_comment = models.TextField(_("komentar IKM"), blank=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dijawab oleh"),
    )
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("pertemuan terjadwal"),
    )
    created_at = models.DateTimeField(_("diminta pada"), default=timezone.now)

    history = HistoricalRecords()
    objects = MeetingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("permintaan pertemuan")
        verbose_name_plural = _("permintaan pertemuan")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "participation"], name="meeting_request_once_per_ikm"
            )
        ]

    def __str__(self):
        return f"{self.invitation.buyer.company} \u2192 {self.participation.business.name}"


# --- The dashboard's figures, summed ahead ---------------------------------------------
#
# missions/rollup.py keeps these rows; docs/figures.md says how.

ROLLUP_COUNTS = ("n", "n_disputed", "n_over")
ROLLUP_MONEY = tuple(
    f"{name}_{currency}{part}"
    for name in ("spot", "potential", "realised", "actual", "open", "over", "realised_of_potential")
    for currency in ("idr", "usd")
    for part in ("", "_both")
)


class DealRollup(models.Model):
    """reports.deal_sums() over the staff-confirmed deals of published (not draft) missions
    of one scope and year, for one group of one grouping ("grain"). A null commodity or
    size class means "all of them": the dashboard reads the rows matching its filters and
    adds a few hundred of them instead of 200,000 deals."""

    class Grain(models.TextChoices):
        TOTAL = "total", "total"  # by commodity and size class only
        QUARTER = "quarter", "quarter"
        COUNTRY = "country", "country"
        KECAMATAN = "kecamatan", "kecamatan"

    scope = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    grain = models.CharField(max_length=10, choices=Grain.choices)
    commodity = models.ForeignKey(
        Commodity, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # Null: every class; "" is a business without recorded sales (belum diketahui).
    size_class = models.CharField(max_length=10, null=True)  # noqa: DJ001
    quarter = models.PositiveSmallIntegerField(null=True)
    country = models.CharField(max_length=2, blank=True)
    kecamatan = models.ForeignKey(
        "ikm_registry.Kecamatan",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    # Which of the commodity (1) and the size class (2) the row is for one of: the
    # dashboard reads one variant per grain, through the index.
    variant = models.PositiveSmallIntegerField(default=0)
    n = models.PositiveIntegerField(default=0)
    n_disputed = models.PositiveIntegerField(default=0)
    n_over = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["scope", "year"], name="dealrollup_slice"),
            models.Index(fields=["variant", "grain", "commodity"], name="dealrollup_variant"),
        ]

    def __str__(self):
        return f"{self.scope} {self.year} {self.grain}"


for _name in ROLLUP_MONEY:
    DealRollup.add_to_class(
        _name, models.DecimalField(max_digits=22, decimal_places=2, default=Decimal("0.00"))
    )


class DealRollupDirty(models.Model):
    """A write the rollup does not show yet: written in the writer's transaction, so it is
    there exactly when the write is; the rebuild after the commit (or the next dashboard,
    if that did not run) sums the slices it names again and deletes it.

    `mission` and `business` are plain ids: the row must outlive a deleted mission."""

    mission_id = models.BigIntegerField(null=True)
    business_id = models.BigIntegerField(null=True)
    scope = models.CharField(max_length=20, blank=True)  # a scope the mission had before
    year = models.PositiveSmallIntegerField(null=True)  # null: every year
    everything = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.mission_id} {self.business_id} {self.scope} {self.year}"


class DealExporter(models.Model):
    """Staff-confirmed actual deals abroad, counted per business in the rollup's slices
    (missions/rollup.py), draft missions' deals too (flagged): the dashboard's exporters
    and first-time exporters (reports._exporters) from 34,000 narrow rows instead of
    every deal abroad joined to its mission."""

    scope = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    commodity = models.ForeignKey(
        Commodity, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    size_class = models.CharField(max_length=10, blank=True)
    business = models.ForeignKey(
        Business, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    draft = models.BooleanField(default=False)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["scope", "year"], name="dealexporter_slice")]

    def __str__(self):
        return f"{self.scope} {self.year} {self.business_id}"
