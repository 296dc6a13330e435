"""Bulk data for seed_scale: events, space bookings and booth applications at the Gerai.

Bookings are laid out on a grid of three sessions a day per space (morning, afternoon,
evening), one booking per cell, so that no two bookings of a space overlap and the
database's exclusion constraint holds without checking row by row. Every tenth booking
belongs to an event; the rest are meetings, trainings and rehearsals.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from gerai.models import WIB, BoothApplication, Event, EventKind, Space, SpaceBooking
from ikm_registry.models import Business

SESSIONS = [(8, 12), (13, 17), (18, 22)]  # WIB hours of the three sessions of a day
BOOTHS = 40
PURPOSES = [
    "Rapat koperasi IKM",
    "Pelatihan pengemasan produk",
    "Latihan pertunjukan",
    "Temu pembeli",
    "Pameran kecil",
    "Rapat Disperindag",
]
TITLES = {
    EventKind.BAZAAR: "Bazar IKM Gemilang",
    EventKind.CULINARY: "Festival Kuliner Tangerang",
    EventKind.EXHIBITION: "Pameran Produk Unggulan",
    EventKind.PERFORMANCE: "Panggung Seni Gerai",
    EventKind.WORKSHOP: "Pelatihan Ekspor IKM",
}
TITLES_EN = {
    EventKind.BAZAAR: "Gemilang SME Bazaar",
    EventKind.CULINARY: "Tangerang Culinary Festival",
    EventKind.EXHIBITION: "Flagship Products Exhibition",
    EventKind.PERFORMANCE: "Gerai Performing Arts Stage",
    EventKind.WORKSHOP: "SME Export Workshop",
}


def seed(*, businesses, events, bookings, batch, progress, applications_per_bazaar=10):
    """Insert bookings (`events` of them for events) and booth applications."""
    spaces = list(Space.objects.filter(is_active=True).order_by("position", "pk"))
    if not spaces or not bookings:
        return
    rng = random.Random(20261203)
    bookings = max(bookings, events)
    every = max(bookings // max(events, 1), 1)  # every n-th booking is an event's
    cells_per_day = len(spaces) * len(SESSIONS)
    # About two thirds of the bookings lie in the past, a third ahead.
    first_day = timezone.localdate() - datetime.timedelta(days=bookings * 2 // 3 // cells_per_day)
    taken = _taken_cells(spaces)
    count = Event.objects.count()
    kinds = list(TITLES)
    statuses = [Event.Status.PUBLISHED] * 18 + [Event.Status.DRAFT, Event.Status.CANCELLED]
    now = timezone.now()

    bar = progress("bookings", bookings)
    bazaars, made = [], 0
    cells = (cell for cell in _cells(first_day, spaces) if cell not in taken)
    for offset in range(0, bookings, batch):
        event_rows, booking_rows = [], []
        for k in range(offset, min(offset + batch, bookings)):
            space, date, session = next(cells)
            begin, finish = SESSIONS[session]
            start = datetime.datetime.combine(date, datetime.time(begin), tzinfo=WIB)
            end = datetime.datetime.combine(date, datetime.time(finish), tzinfo=WIB)
            event = None
            if k % every == 0 and made < events:
                made += 1
                n = count + made
                kind = kinds[n % len(kinds)]
                event = Event(
                    title=f"{TITLES[kind]} {date:%d/%m/%Y} #{n}",
                    title_en=f"{TITLES_EN[kind]} {date:%d/%m/%Y} #{n}",
                    slug=f"acara-{n}-{date:%Y%m%d}",
                    description=f"{TITLES[kind]} di {space.name}, Gerai Tangerang Gemilang.",
                    description_en=f"{TITLES_EN[kind]} at the Gerai Tangerang Gemilang.",
                    kind=kind,
                    start=start + datetime.timedelta(hours=1),
                    end=end - datetime.timedelta(minutes=30),
                    status=rng.choice(statuses),
                    booths=BOOTHS if kind == EventKind.BAZAAR else 0,
                    applications_open_at=start - datetime.timedelta(days=45)
                    if kind == EventKind.BAZAAR
                    else None,
                    applications_close_at=start - datetime.timedelta(days=7)
                    if kind == EventKind.BAZAAR
                    else None,
                )
                event_rows.append((event, space))
            booking_rows.append(
                SpaceBooking(
                    space=space,
                    event=event,
                    purpose=event.title if event else rng.choice(PURPOSES),
                    start=start,
                    end=end,
                )
            )
        with transaction.atomic():
            Event.objects.bulk_create([e for e, _s in event_rows], batch_size=batch)
            Event.spaces.through.objects.bulk_create(
                [Event.spaces.through(event_id=e.pk, space_id=s.pk) for e, s in event_rows],
                batch_size=batch,
            )
            for booking in booking_rows:
                if booking.event is not None:
                    booking.event_id = booking.event.pk
            SpaceBooking.objects.bulk_create(booking_rows, batch_size=batch)
        bazaars += [e for e, _s in event_rows if e.booths and e.start < now]
        bar(len(booking_rows))

    # Booth applications for past bazaars: most accepted with a booth number.
    verified = list(
        Business.objects.filter(
            pk__range=(min(businesses), max(businesses)), status=Business.Status.VERIFIED
        ).values_list("pk", flat=True)
    )
    if not verified or not applications_per_bazaar:
        return
    bar = progress("booths", len(bazaars) * applications_per_bazaar)
    for offset in range(0, len(bazaars), max(batch // applications_per_bazaar, 1)):
        rows = []
        for event in bazaars[offset : offset + max(batch // applications_per_bazaar, 1)]:
            chosen = rng.sample(verified, min(applications_per_bazaar, len(verified)))
            for number, business_id in enumerate(chosen, start=1):
                accepted = rng.random() < 0.8
                rows.append(
                    BoothApplication(
                        event=event,
                        business_id=business_id,
                        status=BoothApplication.Status.ACCEPTED
                        if accepted
                        else BoothApplication.Status.REJECTED,
                        booth_number=number if accepted else None,
                        decided_at=event.start - datetime.timedelta(days=10),
                    )
                )
        with transaction.atomic():
            BoothApplication.objects.bulk_create(rows, batch_size=batch)
        bar(len(rows))


def _cells(first_day, spaces):
    """(space, date, session) from `first_day` on, day by day, session by session."""
    day = first_day
    while True:
        for session in range(len(SESSIONS)):
            for space in spaces:
                yield space, day, session
        day += datetime.timedelta(days=1)


def _taken_cells(spaces):
    """The grid cells that existing bookings (demo data, an earlier run) overlap."""
    taken = set()
    by_pk = {s.pk: s for s in spaces}
    for space_id, start, end in SpaceBooking.objects.values_list("space_id", "start", "end"):
        start, end = timezone.localtime(start, WIB), timezone.localtime(end, WIB)
        day = start.date()
        while day <= end.date():
            for session, (begin, finish) in enumerate(SESSIONS):
                cell_start = datetime.datetime.combine(day, datetime.time(begin), tzinfo=WIB)
                cell_end = datetime.datetime.combine(day, datetime.time(finish), tzinfo=WIB)
                if start < cell_end and cell_start < end and space_id in by_pk:
                    taken.add((by_pk[space_id], day, session))
            day += datetime.timedelta(days=1)
    return taken
