"""The venue manager's workplace: spaces, events, series, bookings and booth allocation."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from gerai import services
from gerai.models import (
    BoothApplication,
    BoothOffer,
    Event,
    EventSeries,
    SeriesException,
    ShowroomItem,
    Space,
    SpaceBooking,
    SpacePhoto,
    Venue,
    clash_message,
)
from tangerang_ikm.admin_lists import (
    LargeTablePaginator,
    ListRowsMixin,
    SharedLookupsInline,
    recent_filter,
)


class SpaceInline(SharedLookupsInline, admin.TabularInline):
    model = Space
    extra = 0
    fields = ["name", "slug", "kind", "floor", "capacity", "booth_capacity", "is_active"]


@admin.register(Venue)
class VenueAdmin(SimpleHistoryAdmin):
    list_display = ["name", "address", "area_hectares"]
    list_select_related = ["desa"]
    raw_id_fields = ["desa"]
    inlines = [SpaceInline]


class SpacePhotoInline(SharedLookupsInline, admin.TabularInline):
    model = SpacePhoto
    extra = 1


@admin.register(Space)
class SpaceAdmin(SimpleHistoryAdmin):
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
class SpaceBookingAdmin(ListRowsMixin, SimpleHistoryAdmin):
    form = SpaceBookingForm
    list_display = ["space", "purpose", "start", "end", "event"]
    list_filter = ["space"]
    list_select_related = ["space", "event"]
    # By start, then the key ascending along the index on start (not Django's "-pk").
    ordering = ["start", "pk"]
    list_per_page = 50  # as the deals and businesses: Django's 100 rows were half the CPU
    paginator = LargeTablePaginator
    show_full_result_count = False
    # No "show counts" link: the counts of every filter's choices over the whole table
    # (one COUNT(...) FILTER per choice) took seconds a click at regency scale.
    show_facets = admin.ShowFacets.NEVER
    # Its years from the first and the last booking: change_list.html, admin_dates.py.
    date_hierarchy = "start"
    search_fields = ["purpose", "event__title"]
    raw_id_fields = ["event"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.booked_by = request.user
        super().save_model(request, obj, form, change)


class EventAdminForm(forms.ModelForm):
    release_bookings = forms.ModelMultipleChoiceField(
        label=_("lepas pemesanan yang bentrok"),
        queryset=SpaceBooking.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Saat acara dipindah, pemesanan ruangnya ikut pindah. Centang pemesanan yang "
            "bentrok dengan pemesanan lain pada waktu baru untuk melepasnya."
        ),
    )

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["release_bookings"].queryset = self.instance.bookings.select_related(
                "space"
            )

    def clean(self):
        # Before _post_clean, self.instance still holds the saved (old) times.
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        event = self.instance
        booths = cleaned.get("booths")
        if event.pk and booths is not None and booths < (event.booths or 0):
            held = event.applications.holding_booths().count()
            if booths < held:
                self.add_error(
                    "booths",
                    _(
                        "%(n)s stan sudah diterima atau sedang ditawarkan; tolak atau "
                        "tunggu jawaban dulu sebelum mengurangi jumlah stan."
                    )
                    % {"n": held},
                )
        if (
            event.pk
            and start
            and end
            and end > start
            and (start, end) != (event.start, event.end)
            and cleaned.get("status") == Event.Status.PUBLISHED
        ):
            confirmed = set(cleaned.get("release_bookings") or ())
            for booking, clash in services.booking_clashes(event=event, start=start, end=end):
                if booking not in confirmed:
                    self.add_error(
                        "release_bookings",
                        _("%(clash)s Centang “%(booking)s” untuk melepas pemesanan ini.")
                        % {"clash": clash_message(clash), "booking": booking},
                    )
        return cleaned


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    form = EventAdminForm
    list_display = [
        "title",
        "kind",
        "start",
        "status",
        "booths",
        "accepted_count",
        "offered_count",
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
        (_("Waktu dan tempat"), {"fields": ["start", "end", "spaces", "release_bookings"]}),
        (
            _("Isi"),
            {"fields": ["description", "description_en", "poster", "poster_alt", "organiser"]},
        ),
        (_("Tiket"), {"fields": ["is_free", "ticket_price"]}),
        (
            _("Stan IKM"),
            {
                "fields": [
                    "booths",
                    "offer_hours",
                    "applications_open_at",
                    "applications_close_at",
                ]
            },
        ),
        (
            _("Kalender"),
            {"fields": ["series", "series_date", "sequence", "uid", "created_at", "updated_at"]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            return fieldsets
        # A new event has no bookings to release.
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "release_bookings"]})
            for name, opts in fieldsets
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_accepted=Count("applications", filter=Q(applications__status="accepted")),
                n_offered=Count("applications", filter=Q(applications__status="offered")),
                n_waiting=Count("applications", filter=Q(applications__status="waiting")),
            )
        )

    @admin.display(description=_("diterima"), ordering="n_accepted")
    def accepted_count(self, obj):
        return obj.n_accepted

    @admin.display(description=_("ditawari"), ordering="n_offered")
    def offered_count(self, obj):
        return obj.n_offered

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
        if not change:
            return
        # Cancelling, postponing, moving and raising the quota go on to the bookings,
        # the applicants' e-mail and the waiting list (services.change_event).
        done = services.change_event(
            event=obj,
            old_status=form.initial.get("status"),
            old_start=form.initial.get("start"),
            old_end=form.initial.get("end"),
            old_booths=form.initial.get("booths"),
            release=form.cleaned_data.get("release_bookings") or (),
        )
        if done["released"] or done["moved"]:
            self.message_user(
                request,
                _("Pemesanan ruang: %(m)s dipindah, %(r)s dilepas.")
                % {"m": done["moved"], "r": done["released"]},
                messages.INFO,
            )
        if done["told"]:
            self.message_user(
                request,
                _("%(n)s pemohon stan diberi tahu lewat e-mail.") % {"n": done["told"]},
                messages.INFO,
            )
        if done["offers"]:
            self.message_user(
                request,
                _("%(n)s stan kosong ditawarkan kepada daftar tunggu.") % {"n": done["offers"]},
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
class EventSeriesAdmin(SimpleHistoryAdmin):
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


class BoothOfferInline(admin.TabularInline):
    model = BoothOffer
    extra = 0
    can_delete = False
    fields = ["state", "offered_at", "expires_at", "answered_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BoothOffer)
class BoothOfferAdmin(SimpleHistoryAdmin):
    """Every offer and its state. Offers change only through the services (the link,
    `expire_booth_offers`), which lock the event and keep the booths within the quota."""

    list_display = ["business", "event", "state", "offered_at", "expires_at", "answered_at"]
    list_filter = ["state", ("application__event", recent_filter("-start"))]
    list_select_related = ["application__business", "application__event"]
    search_fields = ["application__business__name", "application__event__title"]
    date_hierarchy = "offered_at"
    show_full_result_count = False
    readonly_fields = ["application", "state", "offered_at", "expires_at", "answered_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("usaha"), ordering="application__business__name")
    def business(self, obj):
        return obj.application.business

    @admin.display(description=_("acara"), ordering="application__event__start")
    def event(self, obj):
        return obj.application.event


@admin.register(BoothApplication)
class BoothApplicationAdmin(SimpleHistoryAdmin):
    inlines = [BoothOfferInline]
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
class ShowroomItemAdmin(SimpleHistoryAdmin):
    list_display = ["product", "business", "space", "shelf", "displayed_from", "displayed_until"]
    list_filter = ["space"]
    list_select_related = ["product__business", "space"]
    raw_id_fields = ["product"]
    search_fields = ["product__name", "product__business__name"]

    @admin.display(description=_("usaha"), ordering="product__business__name")
    def business(self, obj):
        return obj.product.business
