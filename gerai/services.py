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
    Event,
    EventSeries,
    SeriesException,
    Space,
    SpaceBooking,
    clash_message,
)
from tangerang_ikm.mail import send_templated_mail

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
    """A cancelled event frees its spaces (it stays in the feeds as CANCELLED)."""
    return event.bookings.all().delete()[0]


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


def _notify(application, template, **extra):
    owner = application.business.owner
    to = (
        [owner.email]
        if owner
        else ([application.business.email] if application.business.email else [])
    )
    if not to:
        return
    send_templated_mail(
        to=to,
        template=f"gerai/email/{template}",
        context={"application": application, "event": application.event, **extra},
        language=owner.language if owner else None,
    )


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
    transaction.on_commit(lambda: _notify(application, "received"))
    return application


def _free_booth_number(event):
    taken = set(
        BoothApplication.objects.filter(event=event, booth_number__isnull=False).values_list(
            "booth_number", flat=True
        )
    )
    return next(n for n in range(1, event.booths + 1) if n not in taken)


def accept_application(*, application, by=None, booth_number=None, notify=True):
    """Accept with a booth number, unless every booth is taken (ValidationError)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=application.event_id)
        application = BoothApplication.objects.select_for_update().get(pk=application.pk)
        _transition(application, Status.ACCEPTED)
        accepted = BoothApplication.objects.filter(event=event).accepted().count()
        if accepted >= event.booths:
            raise ValidationError(
                _("Semua %(n)s stan untuk %(event)s sudah terisi. Masukkan ke daftar tunggu.")
                % {"n": event.booths, "event": event.title},
                code="full",
            )
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
    if notify:
        transaction.on_commit(lambda: _notify(application, "accepted"))
    return application


def waitlist_application(*, application, by=None):
    with transaction.atomic():
        application = BoothApplication.objects.select_for_update().get(pk=application.pk)
        _transition(application, Status.WAITING)
        application.status = Status.WAITING
        application.waitlisted_at = timezone.now()
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save()
    transaction.on_commit(lambda: _notify(application, "waiting"))
    return application


def _release(application, status, by):
    """Set a final status; if a booth frees up, offer it to the first on the waiting list."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=application.event_id)
        application = BoothApplication.objects.select_for_update().get(pk=application.pk)
        _transition(application, status)
        freed = application.booth_number
        application.status = status
        application.booth_number = None
        application.decided_at = timezone.now()
        application.decided_by = by
        application.save()
        promoted = None
        if freed is not None and not event.is_past:
            first = BoothApplication.objects.filter(event=event).waiting().first()
            if first is not None:
                promoted = accept_application(
                    application=first, by=by, booth_number=freed, notify=False
                )
    if status == Status.REJECTED:
        transaction.on_commit(lambda: _notify(application, "rejected"))
    if promoted is not None:
        transaction.on_commit(lambda: _notify(promoted, "offered"))
    return application, promoted


def reject_application(*, application, by=None):
    return _release(application, Status.REJECTED, by)[0]


def withdraw_application(*, application, by=None):
    """The owner withdraws; returns (application, the waiting one promoted or None)."""
    return _release(application, Status.WITHDRAWN, by)
