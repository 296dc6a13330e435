"""Demo data for the venue; called by `manage.py seed_demo`.

The venue and its spaces come from migration 0003. This adds a monthly bazaar series
(second Saturday, 09:00-21:00) with one skipped date, a culinary festival, a cancelled
exhibition, a past workshop, and booth applications from the demo owners' businesses.
"""

import io
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from gerai import services
from gerai.models import (
    WIB,
    BoothApplication,
    Event,
    EventKind,
    EventSeries,
    SeriesException,
    ShowroomItem,
    Space,
)
from ikm_registry.models import Business, Desa, Product

DEMO_BUSINESSES = [
    # Fictional names and NIBs (13 digits starting 9999 so they never match a real one).
    ("Anyaman Rotan Talaga (demo)", "anyaman-rotan-talaga-demo", "9999000000101"),
    ("Gula Semut Cikupa (demo)", "gula-semut-cikupa-demo", "9999000000102"),
]


def _poster(title, colour):
    """A simple generated poster (no network, no stock photo)."""
    import textwrap

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (800, 1000), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 760, 960), outline="white", width=8)
    font = ImageFont.load_default(size=64)
    draw.multiline_text((90, 360), textwrap.fill(title, 18), fill="white", font=font, spacing=20)
    small = ImageFont.load_default(size=32)
    draw.text((90, 860), "Gerai Tangerang Gemilang", fill="white", font=small)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="poster.png")


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=WIB)


def _business_for(owner, index):
    business = Business.objects.filter(owner=owner).first()
    if business is not None:
        return business
    desa = Desa.objects.filter(code="36.03.18.2004").first()
    if desa is None:
        return None
    name, slug, nib = DEMO_BUSINESSES[index % len(DEMO_BUSINESSES)]
    business = Business.objects.filter(nib=nib).first()
    if business is None:
        business = Business(
            nib=nib,
            owner=owner,
            name=name,
            slug=slug,
            owner_name=owner.full_name or owner.email,
            address="Jl. Raya Serang Km 18",
            desa=desa,
        )
        # The state ikm_registry.services.verify leaves, without its e-mail.
        business.mark_verified(at=timezone.now())
        business.save(workflow=True)
    return business


def _event(slug, **values):
    spaces = values.pop("spaces", [])
    poster_colour = values.pop("poster_colour", None)
    event = Event.objects.filter(slug=slug).first()
    if event is not None:
        return event, False
    event = Event(slug=slug, **values)
    if poster_colour:
        event.poster.save(f"{slug}.png", _poster(values["title"], poster_colour), save=False)
    event.full_clean()
    event.save()
    event.spaces.set(spaces)
    return event, True


def seed(*, owners, stdout):
    """Idempotent: running it twice changes nothing."""
    today = timezone.localdate()
    grounds = Space.objects.get(slug="halaman-depan")
    stage = Space.objects.get(slug="panggung-utama")
    hall = Space.objects.get(slug="aula")
    showroom = Space.objects.get(slug="ruang-pamer-1")
    training = Space.objects.get(slug="ruang-pelatihan-3")

    series, created = EventSeries.objects.get_or_create(
        slug="bazar-bulanan",
        defaults={
            "title": "Bazar Gemilang Bulanan",
            "title_en": "Gemilang Monthly Bazaar",
            "description": (
                "Bazar produk IKM Kabupaten Tangerang setiap Sabtu kedua: kerajinan rotan, "
                "kacang mede, gula jawa kristal, batik, dan jajanan khas."
            ),
            "description_en": (
                "A market of Kabupaten Tangerang's small industries every second Saturday: "
                "rattan craft, cashews, palm sugar, batik and local snacks."
            ),
            "kind": EventKind.BAZAAR,
            "ordinal": EventSeries.Ordinal.SECOND,
            "weekday": EventSeries.Weekday.SATURDAY,
            "start_time": time(9),
            "end_time": time(21),
            "starts_on": today.replace(day=1),
            "months_ahead": 6,
            "booths": 24,
            "applications_open_days": 60,
            "applications_close_days": 3,
        },
    )
    if created:
        series.spaces.set([grounds, stage])
        # One date skipped for a national holiday weekend: kept across regeneration.
        year, month = (today.year + (today.month + 2 - 1) // 12, (today.month + 2 - 1) % 12 + 1)
        skipped = series.occurrence_on(year, month)
        if skipped:
            SeriesException.objects.create(
                series=series,
                original_date=skipped,
                action=SeriesException.Action.SKIP,
                reason="Ditiadakan karena gedung dipakai untuk acara Pemkab.",
            )
        services.generate_series_events(series=series)

    first_saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 21)
    festival, created_festival = _event(
        "festival-kuliner-benteng",
        title="Festival Kuliner Benteng",
        title_en="Benteng Culinary Festival",
        description=(
            "Tiga hari kuliner khas Tangerang: laksa, dodol, kerupuk, dan kopi lokal, "
            "dengan panggung musik setiap malam."
        ),
        description_en="Three days of Tangerang food, with music on stage every evening.",
        kind=EventKind.CULINARY,
        start=_at(first_saturday - timedelta(days=1), 16),
        end=_at(first_saturday + timedelta(days=1), 22),
        status=Event.Status.PUBLISHED,
        booths=30,
        applications_open_at=timezone.now() - timedelta(days=7),
        applications_close_at=_at(first_saturday - timedelta(days=5), 23, 59),
        spaces=[grounds, stage],
        poster_colour="#9a3412",
        is_free=True,
    )
    if created_festival:
        try:
            services.book_event_spaces(
                event=festival, setup=timedelta(hours=6), teardown=timedelta(hours=3)
            )
        except ValidationError as exc:  # demo data must not stop on a clash
            stdout.write(f"  gerai: festival not booked: {exc}")

    _event(
        "pameran-batik-dan-wastra",
        title="Pameran Batik dan Wastra Tangerang",
        title_en="Tangerang Batik and Textile Exhibition",
        description="Pameran batik motif Tangerang dan kain tenun dari IKM binaan.",
        kind=EventKind.EXHIBITION,
        start=_at(today + timedelta(days=40), 10),
        end=_at(today + timedelta(days=42), 17),
        status=Event.Status.CANCELLED,
        status_reason="Dibatalkan karena renovasi atap aula; akan dijadwalkan ulang.",
        is_free=False,
        ticket_price=10000,
        spaces=[hall],
    )
    _event(
        "pelatihan-kemasan-produk",
        title="Pelatihan Desain Kemasan untuk IKM Pangan",
        title_en="Packaging Design Workshop for Food IKM",
        description="Pelatihan satu hari bersama desainer kemasan dan petugas PIRT.",
        kind=EventKind.WORKSHOP,
        start=_at(today - timedelta(days=20), 9),
        end=_at(today - timedelta(days=20), 15),
        status=Event.Status.PUBLISHED,
        spaces=[training],
    )

    # Booth applications for the festival, only where the owners have a business.
    for index, owner in enumerate(owners):
        business = _business_for(owner, index)
        if business is None:
            continue
        application, created_app = BoothApplication.objects.get_or_create(
            event=festival, business=business, defaults={"note": "Perlu satu colokan listrik."}
        )
        if created_app:
            products = list(Product.objects.filter(business=business)[:3])
            application.products.set(products)
            if index == 0:
                services.accept_application(application=application)
            for product in products[:1]:
                ShowroomItem.objects.get_or_create(
                    product=product, space=showroom, defaults={"shelf": f"Rak {index + 1}"}
                )
    stdout.write(f"  gerai: {Event.objects.count()} events, series “{series.title}”")
