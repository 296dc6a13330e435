"""The venue manager's workplace: spaces, events, series, bookings and booth allocation."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gerai import services
from gerai.models import (
    BoothApplication,
    Event,
    EventSeries,
    SeriesException,
    ShowroomItem,
    Space,
    SpaceBooking,
    SpacePhoto,
    Venue,
)
from tangerang_ikm.admin_lists import (
    LargeTablePaginator,
    SharedLookupsInline,
    recent_filter,
)


class SpaceInline(SharedLookupsInline, admin.TabularInline):
    model = Space
    extra = 0
    fields = ["name", "slug", "kind", "floor", "capacity", "booth_capacity", "is_active"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "area_hectares"]
    list_select_related = ["desa"]
    raw_id_fields = ["desa"]
    inlines = [SpaceInline]


class SpacePhotoInline(SharedLookupsInline, admin.TabularInline):
    model = SpacePhoto
    extra = 1


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "floor", "capacity", "booth_capacity", "is_active", "venue"]
    list_filter = ["kind", "floor", "is_active"]
    list_select_related = ["venue"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpacePhotoInline]


class SpaceBookingForm(forms.ModelForm):
    class Meta:
        model = SpaceBooking
        fields = ["space", "event", "purpose", "start", "end", "note"]

    # The admin's change view runs in one transaction, so the row lock that
    # SpaceBooking.clean() takes on the space lasts until this booking is saved.


@admin.register(SpaceBooking)
class SpaceBookingAdmin(admin.ModelAdmin):
    form = SpaceBookingForm
    list_display = ["space", "purpose", "start", "end", "event"]
    list_filter = ["space"]
    list_select_related = ["space", "event"]
    paginator = LargeTablePaginator
    show_full_result_count = False
    date_hierarchy = "start"
    search_fields = ["purpose", "event__title"]
    raw_id_fields = ["event"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.booked_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "start",
        "status",
        "booths",
        "accepted_count",
        "waiting_count",
        "sequence",
    ]
    list_filter = ["status", "kind", "series"]
    list_select_related = ["series"]
    show_full_result_count = False
    search_fields = ["title", "title_en", "slug"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["spaces"]
    readonly_fields = ["sequence", "uid", "series_date", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "title_en", "slug", "kind", "status", "status_reason"]}),
        (_("Waktu dan tempat"), {"fields": ["start", "end", "spaces"]}),
        (
            _("Isi"),
            {"fields": ["description", "description_en", "poster", "poster_alt", "organiser"]},
        ),
        (_("Tiket"), {"fields": ["is_free", "ticket_price"]}),
        (_("Stan IKM"), {"fields": ["booths", "applications_open_at", "applications_close_at"]}),
        (
            _("Kalender"),
            {"fields": ["series", "series_date", "sequence", "uid", "created_at", "updated_at"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_accepted=Count("applications", filter=Q(applications__status="accepted")),
                n_waiting=Count("applications", filter=Q(applications__status="waiting")),
            )
        )

    @admin.display(description=_("diterima"), ordering="n_accepted")
    def accepted_count(self, obj):
        return obj.n_accepted

    @admin.display(description=_("daftar tunggu"), ordering="n_waiting")
    def waiting_count(self, obj):
        return obj.n_waiting

    actions = ["book_spaces"]

    @admin.action(
        description=_("Pesan ruangnya (persiapan 2 jam, bongkar 1 jam)"), permissions=["change"]
    )
    def book_spaces(self, request, queryset):
        for event in queryset.exclude(status__in=[Event.Status.DRAFT, Event.Status.CANCELLED]):
            try:
                bookings = services.book_event_spaces(
                    event=event,
                    setup=timedelta(hours=2),
                    teardown=timedelta(hours=1),
                    booked_by=request.user,
                )
            except ValidationError as exc:
                self.message_user(request, f"{event}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(event)s: %(n)s ruang dipesan.") % {"event": event, "n": len(bookings)},
                    messages.SUCCESS,
                )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data and obj.is_cancelled:
            released = services.release_event_spaces(event=obj)
            if released:
                self.message_user(
                    request,
                    _("Acara dibatalkan: %(n)s pemesanan ruangnya dilepas.") % {"n": released},
                    messages.INFO,
                )

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.spaces.values_list("pk", flat=True)) if change else None
        super().save_related(request, form, formsets, change)
        if change and before != set(form.instance.spaces.values_list("pk", flat=True)):
            form.instance.bump_sequence()  # the LOCATION changed


class SeriesExceptionInline(SharedLookupsInline, admin.TabularInline):
    model = SeriesException
    extra = 0


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "ordinal", "weekday", "start_time", "end_time", "starts_on"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["spaces"]
    inlines = [SeriesExceptionInline]
    actions = ["generate_events"]

    @admin.action(
        description=_("Buat/perbarui acara untuk bulan-bulan mendatang"), permissions=["change"]
    )
    def generate_events(self, request, queryset):
        for series in queryset:
            try:
                created, updated, cancelled = services.generate_series_events(
                    series=series, booked_by=request.user
                )
            except ValidationError as exc:
                self.message_user(request, f"{series}: {' '.join(exc.messages)}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("%(series)s: %(c)s dibuat, %(u)s diperbarui, %(x)s dibatalkan.")
                % {"series": series, "c": created, "u": updated, "x": cancelled},
                messages.SUCCESS,
            )


@admin.register(BoothApplication)
class BoothApplicationAdmin(admin.ModelAdmin):
    list_display = ["business", "event", "status", "booth_number", "applied_at", "waitlisted_at"]
    list_filter = ["status", ("event", recent_filter("-start"))]
    list_select_related = ["business", "event"]
    show_full_result_count = False
    search_fields = ["business__name", "event__title"]
    raw_id_fields = ["event", "business"]
    filter_horizontal = ["products"]
    # Status and booth numbers change only through the actions, which lock the event
    # and keep the accepted count within its booths.
    readonly_fields = [
        "status",
        "booth_number",
        "applied_at",
        "waitlisted_at",
        "decided_at",
        "decided_by",
    ]
    actions = ["accept", "waitlist", "reject"]

    def _run(self, request, queryset, func, done_message):
        done = 0
        for application in queryset.select_related("event", "business"):
            try:
                func(application=application, by=request.user)
            except ValidationError as exc:
                self.message_user(
                    request, f"{application.business}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Terima dan beri nomor stan"), permissions=["change"])
    def accept(self, request, queryset):
        self._run(
            request,
            queryset.order_by("applied_at", "pk"),
            services.accept_application,
            lambda n: ngettext("%d pendaftaran diterima.", "%d pendaftaran diterima.", n) % n,
        )

    @admin.action(description=_("Masukkan ke daftar tunggu"), permissions=["change"])
    def waitlist(self, request, queryset):
        self._run(
            request,
            queryset.order_by("applied_at", "pk"),
            services.waitlist_application,
            lambda n: (
                ngettext(
                    "%d pendaftaran masuk daftar tunggu.", "%d pendaftaran masuk daftar tunggu.", n
                )
                % n
            ),
        )

    @admin.action(description=_("Tolak"), permissions=["change"])
    def reject(self, request, queryset):
        self._run(
            request,
            queryset,
            services.reject_application,
            lambda n: ngettext("%d pendaftaran ditolak.", "%d pendaftaran ditolak.", n) % n,
        )


@admin.register(ShowroomItem)
class ShowroomItemAdmin(admin.ModelAdmin):
    list_display = ["product", "business", "space", "shelf", "displayed_from", "displayed_until"]
    list_filter = ["space"]
    list_select_related = ["product__business", "space"]
    raw_id_fields = ["product"]
    search_fields = ["product__name", "product__business__name"]

    @admin.display(description=_("usaha"), ordering="product__business__name")
    def business(self, obj):
        return obj.product.business
