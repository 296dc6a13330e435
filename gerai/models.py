"""Gerai Tangerang Gemilang: the venue, its spaces, bookings, events and booths."""

import functools
import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ikm_registry.models import Business, Desa, Product

WIB = timezone.get_default_timezone()


def localized(obj, field):
    """`obj.<field>_en` under English when it is filled in, else the Indonesian text."""
    if (get_language() or "id").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


class MeasuredImageField(models.ImageField):
    """An ImageField that measures its image when a file is assigned, never on load.

    Django's own also measures on every load while the size columns are empty, opening
    the file each time; a poster stored before the columns existed, or whose file is
    gone, would cost a read (or an error) on every page that loads the event.
    """

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        if force:
            super().update_dimension_fields(instance, force, *args, **kwargs)


class Venue(models.Model):
    """The building and its grounds: Gerai Tangerang Gemilang."""

    name = models.CharField(_("nama"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    address = models.CharField(_("alamat jalan"), max_length=255)
    desa = models.ForeignKey(
        Desa,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("desa/kelurahan"),
    )
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Kosongkan jika belum diukur; tautan peta memakai alamat."),
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    area_hectares = models.DecimalField(
        _("luas lahan (ha)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("deskripsi (bahasa Indonesia)"), blank=True)
    description_en = models.TextField(_("deskripsi (bahasa Inggris)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gedung")
        verbose_name_plural = _("gedung")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def full_address(self):
        parts = [self.address]
        if self.desa_id:
            parts.append(f"Desa {self.desa.name}, Kec. {self.desa.kecamatan.name}")
        parts.append("Kabupaten Tangerang, Banten")
        if self.postal_code:
            parts.append(self.postal_code)
        return ", ".join(parts)

    def map_url(self):
        """An OpenStreetMap link: the point when measured, else a search for the address."""
        from urllib.parse import urlencode

        if self.latitude is not None and self.longitude is not None:
            lat, lon = self.latitude, self.longitude
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
        query = f"{self.address}, Cikupa, Kabupaten Tangerang"
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


# Each floor its own msgid, so English can count floors the British way.
FLOOR_NAMES = {
    1: _("lantai 1"),
    2: _("lantai 2"),
    3: _("lantai 3"),
    4: _("lantai 4"),
}


class Space(models.Model):
    class Kind(models.TextChoices):
        HALL = "aula", _("aula")
        STAGE = "panggung", _("panggung pertunjukan")
        SHOWROOM = "ruang_pamer", _("ruang pamer")
        OUTDOOR = "halaman", _("halaman/area luar")
        MEETING = "ruang_rapat", _("ruang rapat/pelatihan")
        CAFE = "kafe", _("kafe")
        OTHER = "lainnya", _("lainnya")

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="spaces", verbose_name=_("gedung")
    )
    name = models.CharField(_("nama (bahasa Indonesia)"), max_length=120)
    name_en = models.CharField(_("nama (bahasa Inggris)"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("jenis ruang"), max_length=12, choices=Kind.choices)
    floor = models.SmallIntegerField(
        _("lantai"), default=1, help_text=_("0 untuk halaman atau area luar gedung.")
    )
    capacity = models.PositiveIntegerField(
        _("kapasitas (orang)"), null=True, blank=True, help_text=_("Jumlah orang yang muat.")
    )
    booth_capacity = models.PositiveSmallIntegerField(
        _("kapasitas stan"), default=0, help_text=_("Berapa stan bazar muat di ruang ini.")
    )
    description = models.TextField(_("deskripsi (bahasa Indonesia)"), blank=True)
    description_en = models.TextField(_("deskripsi (bahasa Inggris)"), blank=True)
    is_active = models.BooleanField(_("dapat dipesan"), default=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ruang")
        verbose_name_plural = _("ruang")
        ordering = ["position", "floor", "name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return localized(self, "name")

    @property
    def floor_label(self):
        """'lantai 2' in Indonesian, where lantai 1 is at street level; in English the
        British way the spaces' English names use ('first floor' is lantai 2)."""
        if self.floor <= 0:
            return _("area luar")
        if self.floor in FLOOR_NAMES:
            return FLOOR_NAMES[self.floor]
        return _("lantai %(n)s") % {"n": self.floor}


class SpacePhoto(models.Model):
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="photos", verbose_name=_("ruang")
    )
    image = MeasuredImageField(
        _("foto"), upload_to="gerai/spaces/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(
        _("keterangan foto"), max_length=200, help_text=_("Untuk pembaca layar.")
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("foto ruang")
        verbose_name_plural = _("foto ruang")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt_text

    @property
    def display_alt(self):
        """The staff's words (Indonesian) on Indonesian pages, the space's name on English."""
        if (get_language() or "id").startswith("en"):
            return self.space.display_name
        return self.alt_text


class EventKind(models.TextChoices):
    BAZAAR = "bazar", _("bazar")
    CULINARY = "festival_kuliner", _("festival kuliner")
    EXHIBITION = "pameran", _("pameran")
    PERFORMANCE = "pertunjukan", _("pertunjukan")
    WORKSHOP = "pelatihan", _("pelatihan/workshop")
    OTHER = "lainnya", _("lainnya")


class EventSeries(models.Model):
    """A recurring event, e.g. the bazaar on the second Saturday of every month, 09:00-21:00.

    `services.generate_series_events` creates the dated events for the coming months;
    `SeriesException` rows (a date skipped or moved) survive every regeneration.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")
        SATURDAY = 5, _("Sabtu")
        SUNDAY = 6, _("Minggu")

    class Ordinal(models.IntegerChoices):
        FIRST = 1, _("pertama")
        SECOND = 2, _("kedua")
        THIRD = 3, _("ketiga")
        FOURTH = 4, _("keempat")
        LAST = -1, _("terakhir")

    title = models.CharField(_("judul (bahasa Indonesia)"), max_length=150)
    title_en = models.CharField(_("judul (bahasa Inggris)"), max_length=150, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Awalan slug acara-acaranya.")
    )
    description = models.TextField(_("deskripsi (bahasa Indonesia)"), blank=True)
    description_en = models.TextField(_("deskripsi (bahasa Inggris)"), blank=True)
    kind = models.CharField(_("jenis acara"), max_length=20, choices=EventKind.choices)
    organiser = models.CharField(
        _("penyelenggara"), max_length=150, default="Disperindag Kabupaten Tangerang"
    )
    is_free = models.BooleanField(_("masuk gratis"), default=True)
    spaces = models.ManyToManyField(
        Space, blank=True, related_name="series", verbose_name=_("ruang yang dipakai")
    )
    ordinal = models.SmallIntegerField(_("minggu ke-"), choices=Ordinal.choices)
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    start_time = models.TimeField(_("jam mulai (WIB)"))
    end_time = models.TimeField(_("jam selesai (WIB)"))
    setup_minutes = models.PositiveIntegerField(
        _("waktu persiapan (menit)"), default=120, help_text=_("Ruang dipesan sejak sebelum acara.")
    )
    teardown_minutes = models.PositiveIntegerField(
        _("waktu bongkar (menit)"), default=60, help_text=_("Ruang dipesan sampai sesudah acara.")
    )
    starts_on = models.DateField(_("berlaku mulai"))
    ends_on = models.DateField(_("berlaku sampai"), null=True, blank=True)
    months_ahead = models.PositiveSmallIntegerField(
        _("dibuat untuk berapa bulan ke depan"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    booths = models.PositiveSmallIntegerField(_("jumlah stan"), default=0)
    applications_open_days = models.PositiveSmallIntegerField(
        _("pendaftaran stan dibuka (hari sebelum acara)"), default=45
    )
    applications_close_days = models.PositiveSmallIntegerField(
        _("pendaftaran stan ditutup (hari sebelum acara)"), default=7
    )
    publish = models.BooleanField(
        _("terbitkan acara yang dibuat"),
        default=True,
        help_text=_("Jika tidak dicentang, acara dibuat sebagai draf."),
    )

    history = HistoricalRecords(m2m_fields=["spaces"])

    class Meta:
        verbose_name = _("seri acara")
        verbose_name_plural = _("seri acara")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("Jam selesai harus sesudah jam mulai.")})
        if self.applications_close_days > self.applications_open_days:
            raise ValidationError(
                {
                    "applications_close_days": _(
                        "Pendaftaran harus ditutup sesudah dibuka (angka hari lebih kecil)."
                    )
                }
            )

    def occurrence_on(self, year, month):
        """The date of this series in a month, or None (e.g. no fifth week)."""
        if self.ordinal == self.Ordinal.LAST:
            next_month = date(year + month // 12, month % 12 + 1, 1)
            day = next_month - timedelta(days=1)
            while day.weekday() != self.weekday:
                day -= timedelta(days=1)
            return day
        first = date(year, month, 1)
        offset = (self.weekday - first.weekday()) % 7
        day = first + timedelta(days=offset + 7 * (self.ordinal - 1))
        return day if day.month == month else None

    def occurrences(self, *, today=None):
        """Dates from today (or `starts_on`) for `months_ahead` months."""
        today = today or timezone.localdate()
        first = max(today, self.starts_on)
        year, month = first.year, first.month
        dates = []
        for _i in range(self.months_ahead):
            day = self.occurrence_on(year, month)
            if day and day >= first and (self.ends_on is None or day <= self.ends_on):
                dates.append(day)
            year, month = year + month // 12, month % 12 + 1
        return dates

    def times_on(self, day):
        start = datetime.combine(day, self.start_time, tzinfo=WIB)
        end = datetime.combine(day, self.end_time, tzinfo=WIB)
        return start, end


class SeriesException(models.Model):
    """One date of a series that does not follow the rule: skipped, or moved."""

    class Action(models.TextChoices):
        SKIP = "skip", _("dilewati")
        MOVE = "move", _("dipindah")

    series = models.ForeignKey(
        EventSeries, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("seri")
    )
    original_date = models.DateField(_("tanggal menurut aturan"))
    action = models.CharField(_("tindakan"), max_length=4, choices=Action.choices)
    new_start = models.DateTimeField(_("mulai baru"), null=True, blank=True)
    new_end = models.DateTimeField(_("selesai baru"), null=True, blank=True)
    reason = models.CharField(
        _("alasan (publik)"), max_length=255, blank=True, help_text=_("Ditampilkan kepada publik.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengecualian seri")
        verbose_name_plural = _("pengecualian seri")
        ordering = ["original_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_date"], name="series_exception_one_per_date"
            )
        ]

    def __str__(self):
        return f"{self.series} {self.original_date:%Y-%m-%d} ({self.get_action_display()})"

    def clean(self):
        if self.action == self.Action.MOVE:
            if not (self.new_start and self.new_end):
                raise ValidationError(
                    _("Tanggal yang dipindah perlu waktu mulai dan selesai baru.")
                )
            if self.new_end <= self.new_start:
                raise ValidationError({"new_end": _("Waktu selesai harus sesudah waktu mulai.")})


class EventQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: everything but drafts (cancelled and postponed stay)."""
        return self.exclude(status=Event.Status.DRAFT)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now())

    def in_month(self, year, month):
        """Events overlapping a calendar month in WIB."""
        start = datetime(year, month, 1, tzinfo=WIB)
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=WIB)
        return self.filter(start__lt=end, end__gt=start)

    def accepting_booths(self, now=None):
        now = now or timezone.now()
        return self.filter(
            status=Event.Status.PUBLISHED,
            booths__gt=0,
            applications_open_at__lte=now,
            applications_close_at__gt=now,
        )


# Event's display-size poster, made from the poster (Event.store_poster_renditions).
POSTER_RENDITION_FIELDS = (
    "poster_avif",
    "poster_display",
    "poster_display_width",
    "poster_display_height",
)
# from_db without the poster column loaded (deferred): its change cannot be told.
_UNKNOWN = object()


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draf")
        PUBLISHED = "published", _("terbit")
        CANCELLED = "cancelled", _("dibatalkan")
        POSTPONED = "postponed", _("ditunda")

    # Changing any of these must raise SEQUENCE so calendar clients pick the change up.
    CALENDAR_FIELDS = (
        "kind",
        "title",
        "title_en",
        "description",
        "description_en",
        "start",
        "end",
        "status",
        "status_reason",
    )

    uid = models.UUIDField(_("UID kalender"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("judul (bahasa Indonesia)"), max_length=150)
    title_en = models.CharField(_("judul (bahasa Inggris)"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("deskripsi (bahasa Indonesia)"), blank=True)
    description_en = models.TextField(_("deskripsi (bahasa Inggris)"), blank=True)
    kind = models.CharField(_("jenis acara"), max_length=20, choices=EventKind.choices)
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    spaces = models.ManyToManyField(
        Space, blank=True, related_name="events", verbose_name=_("ruang yang dipakai")
    )
    poster = MeasuredImageField(
        _("poster"),
        upload_to="gerai/posters/",
        blank=True,
        width_field="poster_width",
        height_field="poster_height",
    )
    # Kept with the poster so its <img> gets width and height without opening the file.
    poster_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The poster at display size (ikm_registry.images.process_poster), made when the poster
    # changes (save()); empty for a poster that could not be read, whose page then shows
    # the file as uploaded. Derived from the poster, so not in the history.
    poster_avif = models.FileField(
        _("poster ukuran tampilan (AVIF)"),
        upload_to="gerai/posters/display/",
        max_length=255,
        blank=True,
        editable=False,
    )
    poster_display = models.FileField(
        _("poster ukuran tampilan (JPEG)"),
        upload_to="gerai/posters/display/",
        max_length=255,
        blank=True,
        editable=False,
    )
    poster_display_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_display_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    poster_alt = models.CharField(
        _("keterangan poster"), max_length=200, blank=True, help_text=_("Untuk pembaca layar.")
    )
    organiser = models.CharField(
        _("penyelenggara"), max_length=150, default="Disperindag Kabupaten Tangerang"
    )
    is_free = models.BooleanField(_("masuk gratis"), default=True)
    ticket_price = models.DecimalField(
        _("harga tiket (Rp)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Hanya untuk acara berbayar."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    status_reason = models.CharField(
        _("alasan (publik)"),
        max_length=255,
        blank=True,
        help_text=_("Alasan pembatalan atau penundaan, ditampilkan kepada publik."),
    )
    booths = models.PositiveSmallIntegerField(
        _("jumlah stan"), default=0, help_text=_("0 jika acara ini tanpa stan IKM.")
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("batas waktu tawaran stan (jam)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(336)],
        help_text=_(
            "Stan yang kosong ditawarkan kepada yang pertama di daftar tunggu; "
            "tawaran gugur jika tidak dijawab dalam sekian jam."
        ),
    )
    applications_open_at = models.DateTimeField(_("pendaftaran stan dibuka"), null=True, blank=True)
    applications_close_at = models.DateTimeField(
        _("pendaftaran stan ditutup"), null=True, blank=True
    )
    series = models.ForeignKey(
        EventSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("seri"),
    )
    series_date = models.DateField(
        _("tanggal dalam seri"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Tanggal menurut aturan seri, juga jika acara dipindah."),
    )
    sequence = models.PositiveIntegerField(
        _("nomor revisi kalender"),
        default=0,
        editable=False,
        help_text=_("SEQUENCE iCalendar: naik setiap kali waktu, judul, atau status berubah."),
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui pada"), auto_now=True)

    objects = EventQuerySet.as_manager()

    # `sequence` is raised with an F() expression in save(); history could not store it.
    # The poster's renditions are stored with update() after the save (save()).
    history = HistoricalRecords(
        excluded_fields=["sequence", *POSTER_RENDITION_FIELDS], m2m_fields=["spaces"]
    )

    class Meta:
        verbose_name = _("acara")
        verbose_name_plural = _("acara")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["status", "start"]), models.Index(fields=["end"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="event_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "series_date"],
                condition=models.Q(series__isnull=False),
                name="event_one_per_series_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # An invariant of the data, not business flow: whatever path changes what a
        # calendar shows (admin, services, shell), SEQUENCE rises with it (RFC 5545 3.8.7.4).
        snapshot = getattr(self, "_calendar_snapshot", None)
        if self.pk and snapshot and any(self.__dict__.get(f, v) != v for f, v in snapshot.items()):
            self.sequence = models.F("sequence") + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence"}
        poster_changed = self._poster_changed(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        if isinstance(self.sequence, models.expressions.Combinable):
            self.refresh_from_db(fields=["sequence"])
        self._calendar_snapshot = self._calendar_values()
        if poster_changed:
            # After the save: the poster is then in storage, whichever way it came.
            self.store_poster_renditions()
        if "poster" in self.__dict__:
            self._poster_name = self.poster.name or ""

    def get_absolute_url(self):
        return reverse("gerai:event_detail", kwargs={"slug": self.slug})

    def _poster_changed(self, update_fields):
        if "poster" not in self.__dict__:  # deferred, so not assigned
            return False
        if update_fields is not None and "poster" not in update_fields:
            return False
        before = getattr(self, "_poster_name", "")  # a new instance has had none
        return before is not _UNKNOWN and (self.poster.name or "") != before

    def store_poster_renditions(self):
        """Make the poster's display size (AVIF and JPEG) and store it, replacing the
        one made before; without a readable poster, clear it. One UPDATE, no history
        row (the renditions follow from the poster, which history keeps)."""
        from ikm_registry.images import process_poster

        old = [(f.storage, f.name) for f in (self.poster_avif, self.poster_display) if f]
        images = None
        if self.poster:
            try:
                with self.poster.storage.open(self.poster.name, "rb") as file:
                    images = process_poster(file, stem=self.slug[:60] or "poster")
            except (ValidationError, OSError):
                images = None  # unreadable or too large: the page shows it as uploaded
        if images is None:
            self.poster_avif = self.poster_display = ""
            self.poster_display_width = self.poster_display_height = None
        else:
            self.poster_avif.save(images.avif.name, images.avif, save=False)
            self.poster_display.save(images.jpeg.name, images.jpeg, save=False)
            self.poster_display_width, self.poster_display_height = images.width, images.height
        Event.objects.filter(pk=self.pk).update(
            poster_avif=self.poster_avif.name or "",
            poster_display=self.poster_display.name or "",
            poster_display_width=self.poster_display_width,
            poster_display_height=self.poster_display_height,
        )
        kept = {self.poster_avif.name, self.poster_display.name}
        stale = [(storage, name) for storage, name in old if name not in kept]
        if stale:
            # Only once the new names are committed: a rollback keeps the old ones in use.
            transaction.on_commit(lambda: [storage.delete(name) for storage, name in stale])

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance._calendar_snapshot = instance._calendar_values()
        poster = instance.__dict__.get("poster", _UNKNOWN)
        instance._poster_name = poster if poster is _UNKNOWN else poster or ""
        return instance

    def _calendar_values(self):
        # Loaded fields only: reading a deferred field here would cost a query.
        return {f: self.__dict__[f] for f in self.CALENDAR_FIELDS if f in self.__dict__}

    def bump_sequence(self):
        """For changes outside the row itself (the spaces used, i.e. the LOCATION)."""
        Event.objects.filter(pk=self.pk).update(
            sequence=models.F("sequence") + 1, updated_at=timezone.now()
        )
        self.refresh_from_db(fields=["sequence", "updated_at"])

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("Waktu selesai harus sesudah waktu mulai.")
        if not self.is_free and self.ticket_price is None:
            errors["ticket_price"] = _("Isi harga tiket untuk acara berbayar.")
        if self.status in (self.Status.CANCELLED, self.Status.POSTPONED) and not self.status_reason:
            errors["status_reason"] = _("Beri alasan yang dapat dibaca publik.")
        if self.booths and not (self.applications_open_at and self.applications_close_at):
            errors["applications_close_at"] = _(
                "Acara dengan stan perlu waktu buka dan tutup pendaftaran."
            )
        if (
            self.applications_open_at
            and self.applications_close_at
            and self.applications_close_at <= self.applications_open_at
        ):
            errors["applications_close_at"] = _("Pendaftaran harus ditutup sesudah dibuka.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self):
        return localized(self, "title")

    @property
    def display_description(self):
        return localized(self, "description")

    @property
    def display_poster_alt(self):
        """The poster's alt text: the staff's words (Indonesian) on Indonesian pages, the
        title in the page's language on English ones."""
        if (get_language() or "id").startswith("en"):
            return self.display_title
        return self.poster_alt or self.title

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_postponed(self):
        return self.status == self.Status.POSTPONED

    @property
    def is_past(self):
        return self.end < timezone.now()

    def applications_open(self, now=None):
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.booths > 0
            and self.applications_open_at is not None
            and self.applications_close_at is not None
            and self.applications_open_at <= now < self.applications_close_at
        )

    def when_text(self):
        """'Sabtu, 12 Desember 2026, 09.00-21.00 WIB' in the active language."""
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        language = get_language()
        day, begins = _day_text(language, start.date()), _time_text(language, start.time())
        ends = _time_text(language, end.time())
        if start.date() == end.date():
            return f"{day}, {begins}\N{EN DASH}{ends} WIB"
        return f"{day}, {begins} \N{EN DASH} {_day_text(language, end.date())}, {ends} WIB"

    def days(self):
        """Each local date the event touches."""
        first = timezone.localtime(self.start).date()
        last = timezone.localtime(self.end - timedelta(microseconds=1)).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# Event.when_text's parts, formatted once per language and value: four date_format calls
# per event were a fifth of a calendar month's CPU (about 60 events). `language` is the
# active one (date_format reads it); the key holds it so each language has its own text.
@functools.lru_cache(maxsize=2048)
def _day_text(language, day):
    return date_format(day, "l, j F Y")


# A naive local time: TIME_FORMAT ("H.i", "P") has no time-zone character, and the text
# says "WIB" itself.
@functools.lru_cache(maxsize=2048)
def _time_text(language, moment):
    return date_format(moment, "TIME_FORMAT")


def day_text(day):
    """'Sabtu, 12 Desember 2026' in the active language, formatted once per day."""
    return _day_text(get_language(), day)


@receiver(setting_changed)
def _forget_when_texts(**kwargs):
    """A test's override_settings may change the formats."""
    _day_text.cache_clear()
    _time_text.cache_clear()


class SpaceBookingQuerySet(models.QuerySet):
    def overlapping(self, space, start, end):
        """Bookings of `space` whose [start, end) meets [start, end)."""
        return self.filter(space=space, start__lt=end, end__gt=start)


class SpaceBooking(models.Model):
    """A space held for a time range, setup and teardown included.

    Two bookings of one space never overlap: checked in `clean()` under a lock on the
    space's row (every path), and on PostgreSQL also by an exclusion constraint over
    TSTZRANGE(start, "end") (migration 0002), so a raw insert cannot slip through.
    """

    space = models.ForeignKey(
        Space, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("ruang")
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("acara"),
    )
    purpose = models.CharField(
        _("keperluan"), max_length=200, help_text=_("mis. rapat koperasi, persiapan bazar")
    )
    start = models.DateTimeField(_("mulai (termasuk persiapan)"))
    end = models.DateTimeField(_("selesai (termasuk bongkar)"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dipesan oleh"),
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    objects = SpaceBookingQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pemesanan ruang")
        verbose_name_plural = _("pemesanan ruang")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["space", "start"]),
            models.Index(fields=["start"], name="booking_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="booking_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.space}: {self.purpose}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Waktu selesai harus sesudah waktu mulai.")})
        if self.space_id and self.start and self.end:
            self.check_no_overlap()

    def check_no_overlap(self):
        """Refuse a clash, naming it. Locks the space's row while it looks.

        Inside an outer transaction (the admin's, `services.book_space`) the lock is held
        until that transaction commits, so a second writer waits and then sees this row.
        """
        with transaction.atomic():
            Space.objects.select_for_update().filter(pk=self.space_id).first()
            clash = (
                SpaceBooking.objects.overlapping(self.space_id, self.start, self.end)
                .exclude(pk=self.pk)
                .select_related("space")
                .first()
            )
        if clash:
            raise ValidationError(clash_message(clash), code="overlap")


def clash_message(clash):
    start, end = timezone.localtime(clash.start), timezone.localtime(clash.end)
    return _("%(space)s sudah dipesan untuk “%(purpose)s” pada %(start)s sampai %(end)s WIB.") % {
        "space": clash.space,
        "purpose": clash.purpose,
        "start": date_format(start, "j F Y H.i"),
        "end": date_format(end, "j F Y H.i"),
    }


class BoothApplicationQuerySet(models.QuerySet):
    def with_open_offer(self):
        """Annotate `open_offer_id` (the offer waiting for an answer), in the same query."""
        return self.annotate(
            open_offer_id=models.Subquery(
                BoothOffer.objects.open().filter(application=models.OuterRef("pk")).values("pk")[:1]
            )
        )

    def owned_by(self, user):
        """The one way an owner reaches an application: through their own business."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(business__in=Business.objects.owned_by(user))

    def accepted(self):
        return self.filter(status=BoothApplication.Status.ACCEPTED)

    def holding_booths(self):
        """Accepted ones and those with an open offer: together never more than the booths."""
        return self.filter(
            status__in=[BoothApplication.Status.ACCEPTED, BoothApplication.Status.OFFERED]
        )

    def exhibitors(self):
        """Accepted applications the public event page names: verified, unarchived IKM."""
        return self.accepted().filter(business__in=Business.objects.verified())

    def waiting(self):
        return self.filter(status=BoothApplication.Status.WAITING).order_by(
            "waitlisted_at", "applied_at", "pk"
        )

    def active(self):
        return self.exclude(status__in=BoothApplication.FINAL)

    def to_tell_about_event(self):
        """Who hears when the event is cancelled, postponed or moved."""
        return self.filter(
            status__in=[
                BoothApplication.Status.ACCEPTED,
                BoothApplication.Status.OFFERED,
                BoothApplication.Status.WAITING,
            ]
        )


class BoothApplication(models.Model):
    """An IKM owner's application for a booth. State changes go through gerai.services."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("diajukan")
        ACCEPTED = "accepted", _("diterima")
        WAITING = "waiting", _("daftar tunggu")
        REJECTED = "rejected", _("ditolak")
        WITHDRAWN = "withdrawn", _("ditarik")
        OFFERED = "offered", _("ditawari stan")
        LAPSED = "lapsed", _("tawaran gugur")

    # Which status may follow which (services check this). Declining an offer is a
    # withdrawal; an offer not answered in time lapses.
    TRANSITIONS = {
        Status.APPLIED: {Status.ACCEPTED, Status.WAITING, Status.REJECTED, Status.WITHDRAWN},
        Status.WAITING: {Status.OFFERED, Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN},
        # Back to WAITING when the event is cancelled or postponed while the offer is open.
        Status.OFFERED: {
            Status.ACCEPTED,
            Status.LAPSED,
            Status.REJECTED,
            Status.WITHDRAWN,
            Status.WAITING,
        },
        Status.ACCEPTED: {Status.REJECTED, Status.WITHDRAWN},
        Status.REJECTED: set(),
        Status.WITHDRAWN: set(),
        Status.LAPSED: set(),
    }
    FINAL = (Status.REJECTED, Status.WITHDRAWN, Status.LAPSED)

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="applications", verbose_name=_("acara")
    )
    business = models.ForeignKey(
        Business,
        on_delete=models.CASCADE,
        related_name="booth_applications",
        verbose_name=_("usaha"),
    )
    products = models.ManyToManyField(
        Product, blank=True, related_name="booth_applications", verbose_name=_("produk yang dijual")
    )
    note = models.TextField(_("catatan pemohon"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    booth_number = models.PositiveSmallIntegerField(_("nomor stan"), null=True, blank=True)
    staff_note = models.TextField(
        _("pesan petugas"), blank=True, help_text=_("Dikirim kepada pemohon bersama keputusan.")
    )
    applied_at = models.DateTimeField(_("diajukan pada"), auto_now_add=True)
    waitlisted_at = models.DateTimeField(_("masuk daftar tunggu pada"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )

    objects = BoothApplicationQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=["products"])

    class Meta:
        verbose_name = _("pendaftaran stan")
        verbose_name_plural = _("pendaftaran stan")
        ordering = ["event__start", "applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "business"], name="booth_application_one_per_business"
            ),
            models.UniqueConstraint(
                fields=["event", "booth_number"],
                condition=models.Q(booth_number__isnull=False),
                name="booth_number_unique_per_event",
            ),
            models.CheckConstraint(
                condition=models.Q(status="accepted", booth_number__isnull=False)
                | (~models.Q(status="accepted") & models.Q(booth_number__isnull=True)),
                name="booth_number_iff_accepted",
            ),
        ]

    def __str__(self):
        return f"{self.business} @ {self.event}"

    def can_become(self, status):
        return status in self.TRANSITIONS[self.status]

    @property
    def open_offer_url(self):
        """The answer page of the open offer (needs `with_open_offer()`), or None."""
        offer_pk = getattr(self, "open_offer_id", None)
        if offer_pk is None:
            return None
        return reverse("gerai:offer", kwargs={"token": BoothOffer.token_for(offer_pk)})

    @property
    def can_withdraw(self):
        return self.can_become(self.Status.WITHDRAWN) and not self.event.is_past


class BoothOfferQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=BoothOffer.State.OPEN)

    def lapsed_by(self, now=None):
        """Open offers whose deadline has passed: `expire_booth_offers` moves them on."""
        return self.open().filter(expires_at__lte=now or timezone.now())


class BoothOffer(models.Model):
    """A freed booth offered to the first on the waiting list, until a deadline.

    While open it holds a booth (the application is OFFERED), so accepted plus offered
    never exceeds the event's booths. Changes go through gerai.services, under a lock
    on the event's row.
    """

    SIGNING_SALT = "gerai.BoothOffer"

    class State(models.TextChoices):
        OPEN = "open", _("menunggu jawaban")
        ACCEPTED = "accepted", _("diambil")
        DECLINED = "declined", _("ditolak pemohon")
        LAPSED = "lapsed", _("gugur")
        CANCELLED = "cancelled", _("dibatalkan")

    application = models.ForeignKey(
        BoothApplication,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("pendaftaran stan"),
    )
    state = models.CharField(_("keadaan"), max_length=10, choices=State.choices, default=State.OPEN)
    offered_at = models.DateTimeField(_("ditawarkan pada"), default=timezone.now)
    expires_at = models.DateTimeField(_("batas jawaban"))
    answered_at = models.DateTimeField(_("dijawab/ditutup pada"), null=True, blank=True)

    history = HistoricalRecords()

    objects = BoothOfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("tawaran stan")
        verbose_name_plural = _("tawaran stan")
        ordering = ["-offered_at", "-pk"]
        indexes = [models.Index(fields=["state", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state="open"),
                name="booth_offer_one_open_per_application",
            )
        ]

    def __str__(self):
        return f"{self.application} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("gerai:offer", kwargs={"token": self.token})

    @property
    def token(self):
        return self.token_for(self.pk)

    @classmethod
    def token_for(cls, pk):
        # The same link every time it is made (no timestamp): the deadline lives in the row.
        return signing.Signer(salt=cls.SIGNING_SALT).sign(str(pk))

    @classmethod
    def from_token(cls, token):
        """The offer a signed link names, or None for a forged or mangled one."""
        try:
            pk = int(signing.Signer(salt=cls.SIGNING_SALT).unsign(token))
        except (signing.BadSignature, ValueError):
            return None
        return (
            cls.objects.filter(pk=pk)
            .select_related("application__event", "application__business")
            .first()
        )

    def is_answerable(self, now=None):
        return self.state == self.State.OPEN and self.expires_at > (now or timezone.now())


class ShowroomItemQuerySet(models.QuerySet):
    def on_display(self, day=None):
        day = day or timezone.localdate()
        return self.filter(displayed_from__lte=day).filter(
            models.Q(displayed_until__isnull=True) | models.Q(displayed_until__gte=day)
        )


class ShowroomItem(models.Model):
    """A product on display in a showroom, from one date to another (or until removed)."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="showroom_items", verbose_name=_("produk")
    )
    space = models.ForeignKey(
        Space,
        on_delete=models.PROTECT,
        related_name="showroom_items",
        limit_choices_to={"kind": Space.Kind.SHOWROOM},
        verbose_name=_("ruang pamer"),
    )
    shelf = models.CharField(_("rak/lokasi"), max_length=50, blank=True)
    displayed_from = models.DateField(_("dipajang sejak"), default=timezone.localdate)
    displayed_until = models.DateField(
        _("dipajang sampai"), null=True, blank=True, help_text=_("Kosongkan jika masih dipajang.")
    )

    objects = ShowroomItemQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("produk di ruang pamer")
        verbose_name_plural = _("produk di ruang pamer")
        ordering = ["space__position", "shelf", "pk"]

    def __str__(self):
        return f"{self.product} ({self.space})"

    def clean(self):
        if self.displayed_until and self.displayed_until < self.displayed_from:
            raise ValidationError({"displayed_until": _("Tanggal akhir sebelum tanggal mulai.")})


def month_bounds(year, month):
    return (
        datetime.combine(date(year, month, 1), time(), tzinfo=WIB),
        datetime.combine(date(year + month // 12, month % 12 + 1, 1), time(), tzinfo=WIB),
    )
