"""Writes that touch several rows: bookings, series generation and booth allocation.

Each function is keyword-only and runs in one transaction. Booth decisions lock the
event's row (select_for_update), so two staff accepting at once cannot exceed the
number of booths; bookings lock the space's row the same way.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gerai.models import (
    BoothApplication,
    BoothOffer,
    Event,
    EventSeries,
    SeriesException,
    Space,
    SpaceBooking,
    clash_message,
)
from gerai.notifications import tell_applicant

Status = BoothApplication.Status


# --- Space bookings ---------------------------------------------------------


def book_space(*, space, start, end, purpose, event=None, booked_by=None, note=""):
    """Book a space, or raise ValidationError naming the booking it would clash with."""
    try:
        with transaction.atomic():
            Space.objects.select_for_update().get(pk=space.pk)
            booking = SpaceBooking(
                space=space,
                start=start,
                end=end,
                purpose=purpose,
                event=event,
                booked_by=booked_by,
                note=note,
            )
            booking.full_clean()
            booking.save()
    except IntegrityError as exc:
        # Only reachable on PostgreSQL when a writer outside this code raced us.
        clash = SpaceBooking.objects.overlapping(space, start, end).select_related("space").first()
        if clash:
            raise ValidationError(clash_message(clash), code="overlap") from exc
        raise
    return booking


def book_event_spaces(*, event, setup=timedelta(0), teardown=timedelta(0), booked_by=None):
    """Book every space of an event, from `setup` before it to `teardown` after it.

    All or nothing: one clash and no space is booked.
    """
    with transaction.atomic():
        event.bookings.all().delete()
        bookings = [
            book_space(
                space=space,
                start=event.start - setup,
                end=event.end + teardown,
                purpose=event.title,
                event=event,
                booked_by=booked_by,
            )
            for space in event.spaces.order_by("pk")
        ]
    return bookings


def release_event_spaces(*, event):
    """A cancelled or postponed event frees its spaces (it stays in the feeds, so marked)."""
    return event.bookings.all().delete()[0]


def _shifted(booking, *, old_start, old_end, start, end):
    """A booking's new range when its event moves: setup and teardown keep their length."""
    return booking.start + (start - old_start), booking.end + (end - old_end)


def booking_clashes(*, event, start, end):
    """[(booking, clash)] for each booking of `event` that could not move to [start, end).

    Locks the spaces' rows, so inside the admin's transaction nobody books them between
    this look and `move_event_bookings`.
    """
    bookings = list(event.bookings.select_related("space").order_by("start", "pk"))
    if not bookings:
        return []
    list(Space.objects.select_for_update().filter(pk__in={b.space_id for b in bookings}))
    own = [b.pk for b in bookings]
    clashes = []
    for booking in bookings:
        new_start, new_end = _shifted(
            booking, old_start=event.start, old_end=event.end, start=start, end=end
        )
        clash = (
            SpaceBooking.objects.overlapping(booking.space_id, new_start, new_end)
            .exclude(pk__in=own)
            .select_related("space")
            .first()
        )
        if clash is not None:
            clashes.append((booking, clash))
    return clashes


def move_event_bookings(*, event, old_start, old_end, release=()):
    """Move an event's bookings with it; a booking that would clash is released only
    when staff confirmed it (its pk in `release`), else ValidationError names the clash.

    Returns (moved, released). Bookings move in one statement per booking after the
    clashing ones are gone; on PostgreSQL the exclusion constraint still guards them.
    """
    release = {getattr(b, "pk", b) for b in release}
    moved = released = 0
    with transaction.atomic():
        bookings = list(event.bookings.select_related("space").order_by("start", "pk"))
        list(Space.objects.select_for_update().filter(pk__in={b.space_id for b in bookings}))
        own = [b.pk for b in bookings]
        plans = []
        for booking in bookings:
            new_start, new_end = _shifted(
                booking, old_start=old_start, old_end=old_end, start=event.start, end=event.end
            )
            clash = (
                SpaceBooking.objects.overlapping(booking.space_id, new_start, new_end)
                .exclude(pk__in=own)
                .select_related("space")
                .first()
            )
            if clash is not None:
                if booking.pk not in release:
                    raise ValidationError(clash_message(clash), code="overlap")
                booking.delete()
                released += 1
            else:
                plans.append((booking, new_start, new_end))
        # Two bookings of one event never share a space, so moving them one by one
        # cannot make them clash with each other.
        for booking, new_start, new_end in plans:
            booking.start, booking.end = new_start, new_end
            booking.save(update_fields=["start", "end"])
            moved += 1
    return moved, released


def _withdraw_open_offers(event):
    """A cancelled or postponed event takes back its open offers: the applicants return
    to their place on the waiting list (the booths are offered again if it is re-published)."""
    now = timezone.now()
    offers = list(
        BoothOffer.objects.select_for_update(of=("self",))
        .open()
        .filter(application__event=event)
        .select_related("application")
    )
    for offer in offers:
        offer.state = BoothOffer.State.CANCELLED
        offer.answered_at = now
        offer.save(update_fields=["state", "answered_at"])
        offer.application.status = Status.WAITING
        offer.application.save(update_fields=["status"])
    return len(offers)


def _tell_applicants(event, kind):
    """After commit, tell the accepted, offered and waiting applicants; returns how many."""
    applicants = list(
        BoothApplication.objects.filter(event=event)
        .to_tell_about_event()
        .select_related("business__owner", "event")
    )
    for application in applicants:
        transaction.on_commit(
            lambda a=application: tell_applicant(a, kind, with_ics=kind == "event_moved")
        )
    return len(applicants)


def change_event(*, event, old_status, old_start, old_end, old_booths, release=()):
    """After staff saved an event: follow its status, times and quota through.

    Cancelled or postponed: its spaces are released and its booth applicants told.
    Moved: its bookings move with it (clashes released only as confirmed in `release`)
    and applicants get the new dates with the .ics. More booths: the waiting list gets
    offers. Returns a dict of what happened, for the admin's message.
    """
    done = {"released": 0, "moved": 0, "told": 0, "offers": 0}
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        kind = None
        if event.status != old_status and event.status in (
            Event.Status.CANCELLED,
            Event.Status.POSTPONED,
        ):
            done["released"] = release_event_spaces(event=event)
            _withdraw_open_offers(event)
            kind = (
                "event_cancelled" if event.status == Event.Status.CANCELLED else "event_postponed"
            )
        elif (event.start, event.end) != (old_start, old_end) and event.status in (
            Event.Status.PUBLISHED,
            Event.Status.POSTPONED,
        ):
            done["moved"], done["released"] = move_event_bookings(
                event=event, old_start=old_start, old_end=old_end, release=release
            )
            if event.status == Event.Status.PUBLISHED:
                kind = "event_moved"
        if kind is not None:
            done["told"] = _tell_applicants(event, kind)
        if event.booths > (old_booths or 0) or (
            event.status == Event.Status.PUBLISHED and old_status != Event.Status.PUBLISHED
        ):
            # More booths, or published again after a postponement: offer what is free.
            done["offers"] = len(_offer_free_booths(event))
    return done


# --- Event series -----------------------------------------------------------


def _series_event_values(series, day, exception):
    if exception and exception.action == SeriesException.Action.MOVE:
        start, end = exception.new_start, exception.new_end
    else:
        start, end = series.times_on(day)
    values = {
        "title": series.title,
        "title_en": series.title_en,
        "description": series.description,
        "description_en": series.description_en,
        "kind": series.kind,
        "organiser": series.organiser,
        "is_free": series.is_free,
        "booths": series.booths,
        "start": start,
        "end": end,
        "applications_open_at": start - timedelta(days=series.applications_open_days)
        if series.booths
        else None,
        "applications_close_at": start - timedelta(days=series.applications_close_days)
        if series.booths
        else None,
    }
    return values


def generate_series_events(*, series, today=None, booked_by=None):
    """Create or update the dated events of a series for its coming months.

    Exceptions are applied every time, so regenerating never undoes them: a skipped
    date gets no event (an already published one is cancelled, with the exception's
    reason, and stays in the feeds); a moved date keeps its new times. Events of
    past dates are left alone. Returns (created, updated, cancelled) counts.
    """
    created = updated = cancelled = 0
    with transaction.atomic():
        series = EventSeries.objects.select_for_update().get(pk=series.pk)
        exceptions = {e.original_date: e for e in series.exceptions.all()}
        existing = {e.series_date: e for e in series.events.all()}
        spaces = list(series.spaces.all())
        dates = series.occurrences(today=today)
        # Moved dates whose rule date is before the window still belong to the series.
        for day in dates:
            exception = exceptions.get(day)
            event = existing.get(day)
            if exception and exception.action == SeriesException.Action.SKIP:
                if event is None:
                    continue
                if event.status == Event.Status.DRAFT:
                    event.delete()
                elif event.status != Event.Status.CANCELLED:
                    event.status = Event.Status.CANCELLED
                    event.status_reason = exception.reason or _("Tanggal ini ditiadakan.")
                    event.save()
                    release_event_spaces(event=event)
                    _tell_applicants(event, "event_cancelled")
                    cancelled += 1
                continue
            values = _series_event_values(series, day, exception)
            if event is None:
                event = Event(
                    series=series,
                    series_date=day,
                    slug=f"{series.slug}-{day:%Y-%m-%d}",
                    status=Event.Status.PUBLISHED if series.publish else Event.Status.DRAFT,
                    **values,
                )
                event.full_clean()
                event.save()
                event.spaces.set(spaces)
                created += 1
            else:
                if event.status == Event.Status.CANCELLED:
                    continue  # cancelled by hand: regeneration never revives it
                changed = [k for k, v in values.items() if getattr(event, k) != v]
                if changed:
                    for key in changed:
                        setattr(event, key, values[key])
                    event.save()
                    updated += 1
                    if {"start", "end"} & set(changed) and event.status == Event.Status.PUBLISHED:
                        _tell_applicants(event, "event_moved")
                if {s.pk for s in event.spaces.all()} != {s.pk for s in spaces}:
                    event.spaces.set(spaces)
                    event.bump_sequence()
                    updated += 0 if changed else 1
            if event.status != Event.Status.DRAFT:
                book_event_spaces(
                    event=event,
                    setup=timedelta(minutes=series.setup_minutes),
                    teardown=timedelta(minutes=series.teardown_minutes),
                    booked_by=booked_by,
                )
    return created, updated, cancelled


# --- Booth applications -----------------------------------------------------


def _notify(application, kind, **extra):
    transaction.on_commit(lambda: tell_applicant(application, kind, **extra))


def _transition(application, status):
    if not application.can_become(status):
        raise ValidationError(
            _("Pendaftaran berstatus “%(old)s” tidak dapat menjadi “%(new)s”.")
            % {"old": application.get_status_display(), "new": Status(status).label}
        )


def apply_for_booth(*, event, business, products=(), note=""):
    """An owner applies with their business. The caller has checked ownership."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.applications_open():
            raise ValidationError(_("Pendaftaran stan untuk acara ini tidak sedang dibuka."))
        if BoothApplication.objects.filter(event=event, business=business).exists():
            raise ValidationError(
                _("%(business)s sudah mendaftar untuk acara ini.") % {"business": business.name}
            )
        foreign = [p for p in products if p.business_id != business.pk]
        if foreign:
            raise ValidationError(_("Pilih hanya produk usaha Anda sendiri."))
        application = BoothApplication.objects.create(event=event, business=business, note=note)
        application.products.set(products)
        _notify(application, "received")
    return application


def _free_booth_number(event):
    taken = set(
        BoothApplication.objects.filter(event=event, booth_number__isnull=False).values_list(
            "booth_number", flat=True
        )
    )
    return next(n for n in range(1, event.booths + 1) if n not in taken)


def _offer_free_booths(event, now=None):
    """Offer each booth nobody holds to the next on the waiting list, in order.

    The caller holds the lock on the event's row. Accepted plus offered stays within
    the booths; nothing is offered for an event that is not published or is over.
    """
    now = now or timezone.now()
    if event.status != Event.Status.PUBLISHED or event.end <= now:
        return []
    applications = BoothApplication.objects.filter(event=event)
    free = event.booths - applications.holding_booths().count()
    if free <= 0:
        return []
    offers = []
    for application in applications.waiting().select_related("business__owner", "event")[:free]:
        application.status = Status.OFFERED
        application.save(update_fields=["status"])
        offer = BoothOffer.objects.create(
            application=application,
            offered_at=now,
            expires_at=now + timedelta(hours=event.offer_hours),
        )
        _notify(application, "offered", offer=offer)
        offers.append(offer)
    return offers


def offer_free_booths(*, event, now=None):
    """Staff raised the quota (or a booth freed elsewhere): offer what is free."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        return _offer_free_booths(event, now=now)


def accept_application(*, application, by=None, booth_number=None, notify=True):
    """Accept with a booth number, unless every booth is held (ValidationError)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=application.event_id)
        application = BoothApplication.objects.select_for_update().get(pk=application.pk)
        _transition(application, Status.ACCEPTED)
        if application.status == Status.OFFERED:
            raise ValidationError(
                _("Stan ini sedang ditawarkan; pemohon mengambilnya lewat tautan tawaran.")
            )
        held = BoothApplication.objects.filter(event=event).holding_booths().count()
        if held >= event.booths:
            raise ValidationError(
                _("Semua %(n)s stan untuk %(event)s sudah terisi. Masukkan ke daftar tunggu.")
                % {"n": event.booths, "event": event.display_title},
                code="full",
            )
        _take_booth(application, event, booth_number=booth_number, by=by)
        if notify:
            _notify(application, "accepted")
    return application


def _take_booth(application, event, *, booth_number=None, by=None):
    if booth_number is None:
        booth_number = _free_booth_number(event)
    elif (
        not 1 <= booth_number <= event.booths
        or BoothApplication.objects.filter(event=event, booth_number=booth_number).exists()
    ):
        raise ValidationError(_("Nomor stan %(n)s tidak tersedia.") % {"n": booth_number})
    application.status = Status.ACCEPTED
    application.booth_number = booth_number
    application.decided_at = timezone.now()
    application.decided_by = by
    application.save()


def waitlist_application(*, application, by=None):
    with transaction.atomic():
        application = BoothApplication.objects.select_for_update().get(pk=application.pk)
        _transition(application, Status.WAITING)
        application.status = Status.WAITING
        application.waitlisted_at = timezone.now()
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save()
        _notify(application, "waiting")
    return application


def _close_offer(application, state, now):
    """Close the open offer of an application, if any; returns it."""
    offer = BoothOffer.objects.select_for_update().open().filter(application=application).first()
    if offer is not None:
        offer.state = state
        offer.answered_at = now
        offer.save(update_fields=["state", "answered_at"])
    return offer


def _release(application, status, by):
    """Set a final status; a booth it held is offered to the next on the waiting list."""
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=application.event_id)
        application = BoothApplication.objects.select_for_update().get(pk=application.pk)
        _transition(application, status)
        if application.status == Status.OFFERED:
            _close_offer(
                application,
                BoothOffer.State.DECLINED
                if status == Status.WITHDRAWN
                else BoothOffer.State.CANCELLED,
                now,
            )
        application.status = status
        application.booth_number = None
        application.decided_at = now
        application.decided_by = by
        application.save()
        _notify(application, "rejected" if status == Status.REJECTED else "withdrawn")
        offers = _offer_free_booths(event, now=now)
    return application, offers


def reject_application(*, application, by=None):
    return _release(application, Status.REJECTED, by)[0]


def withdraw_application(*, application, by=None):
    """The owner withdraws; returns (application, the offers made for what it freed)."""
    return _release(application, Status.WITHDRAWN, by)


# --- Booth offers -------------------------------------------------------------


def accept_offer(*, offer, now=None):
    """The applicant takes the offered booth through the signed link."""
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=offer.application.event_id)
        offer = BoothOffer.objects.select_for_update().get(pk=offer.pk)
        application = BoothApplication.objects.select_for_update().get(pk=offer.application_id)
        if not offer.is_answerable(now) or application.status != Status.OFFERED:
            raise ValidationError(
                _("Tawaran ini sudah tidak berlaku (%(state)s).")
                % {
                    "state": offer.get_state_display()
                    if offer.state != BoothOffer.State.OPEN
                    else BoothOffer.State.LAPSED.label
                },
                code="closed",
            )
        if event.status != Event.Status.PUBLISHED:
            raise ValidationError(_("Acara ini tidak lagi dibuka untuk stan."), code="closed")
        _take_booth(application, event)
        offer.state = BoothOffer.State.ACCEPTED
        offer.answered_at = now
        offer.save(update_fields=["state", "answered_at"])
        _notify(application, "accepted")
    return application


def decline_offer(*, offer, now=None):
    """The applicant turns the booth down: they leave the list, the next one is offered."""
    if not offer.is_answerable(now):
        raise ValidationError(_("Tawaran ini sudah tidak berlaku."), code="closed")
    application, _offers = _release(offer.application, Status.WITHDRAWN, None)
    return application


def expire_booth_offers(*, now=None):
    """Lapse every open offer past its deadline and offer its booth to the next.

    Safe to run often and beside the web workers: each offer is re-read under the lock
    on its event's row, so one just accepted is left alone. Returns the number lapsed.
    """
    now = now or timezone.now()
    lapsed = 0
    due = BoothOffer.objects.lapsed_by(now).values_list("pk", "application__event_id")
    for offer_pk, event_pk in list(due):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_pk)
            offer = (
                BoothOffer.objects.select_for_update(of=("self",))
                .lapsed_by(now)
                .filter(pk=offer_pk)
                .select_related("application__business__owner", "application__event")
                .first()
            )
            if offer is None:
                continue  # answered meanwhile
            offer.state = BoothOffer.State.LAPSED
            offer.answered_at = now
            offer.save(update_fields=["state", "answered_at"])
            application = offer.application
            application.status = Status.LAPSED
            application.decided_at = now
            application.save(update_fields=["status", "decided_at"])
            _notify(application, "lapsed")
            _offer_free_booths(event, now=now)
            lapsed += 1
    return lapsed
