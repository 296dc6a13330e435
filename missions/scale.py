"""Bulk data for seed_scale: trade missions, buyers, participants, meetings and deals.

Called by `manage.py seed_scale` after the registry's businesses exist. Missions are
spread over the years one after another (no two overlap), so that meetings inside each
mission can be laid out in a slot x table grid that satisfies the database's no-overlap
constraints for businesses, buyers and tables without checking row by row.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ikm_registry.models import Business, Commodity, Product
from missions import rollup
from missions.models import Buyer, Deal, Meeting, Participation, ProgramTarget, TradeMission

WIB = datetime.timezone(datetime.timedelta(hours=7))
USD_IDR = Decimal("16250")
CENT = Decimal("0.01")

# (scope, city, country ISO code, currency, rate to IDR)
DESTINATIONS = [
    (TradeMission.Scope.JABODETABEK, "Jakarta Pusat", "ID", "IDR", Decimal(1)),
    (TradeMission.Scope.JABODETABEK, "Bekasi", "ID", "IDR", Decimal(1)),
    (TradeMission.Scope.JABODETABEK, "Depok", "ID", "IDR", Decimal(1)),
    (TradeMission.Scope.NATIONAL, "Samarinda", "ID", "IDR", Decimal(1)),
    (TradeMission.Scope.NATIONAL, "Makassar", "ID", "IDR", Decimal(1)),
    (TradeMission.Scope.NATIONAL, "Denpasar", "ID", "IDR", Decimal(1)),
    (TradeMission.Scope.NATIONAL, "Medan", "ID", "IDR", Decimal(1)),
    (TradeMission.Scope.INTERNATIONAL, "Kuala Lumpur", "MY", "MYR", Decimal("3450")),
    (TradeMission.Scope.INTERNATIONAL, "Singapura", "SG", "SGD", Decimal("12100")),
    (TradeMission.Scope.INTERNATIONAL, "Busan", "KR", "KRW", Decimal("11.75")),
    (TradeMission.Scope.INTERNATIONAL, "Osaka", "JP", "JPY", Decimal("108.40")),
    (TradeMission.Scope.INTERNATIONAL, "Jeddah", "SA", "SAR", Decimal("4330")),
    (TradeMission.Scope.INTERNATIONAL, "Rotterdam", "NL", "EUR", Decimal("17600")),
    (TradeMission.Scope.INTERNATIONAL, "Dubai", "AE", "USD", USD_IDR),
]
BUYER_WORDS = [
    "Nusantara",
    "Global",
    "Pacific",
    "Harmoni",
    "Sinar",
    "Oriental",
    "Green",
    "Natural",
    "Prima",
    "Golden",
    "Borneo",
    "Andalas",
]
BUYER_SUFFIX = ["Trading", "Foods", "Living", "Import", "Retail", "Distribusi", "Niaga"]
MISSION_DAYS = 3  # each mission lasts at most this many days
MISSION_GAP = 7  # a new mission starts every week
SLOT = datetime.timedelta(minutes=30)
SLOTS_PER_DAY = 16  # 09.00-17.00
TABLES = 8


def seed(*, businesses, missions, buyers, deals, batch, progress, **kwargs):
    """Insert missions, buyers and deals; `businesses` are the ids seed_scale created.
    The dashboard's rollup is summed once at the end (bulk_create saves no deal)."""
    if not missions or not businesses:
        return
    with rollup.summed_at_the_end():
        _seed(
            businesses=businesses,
            missions=missions,
            buyers=buyers,
            deals=deals,
            batch=batch,
            progress=progress,
            **kwargs,
        )


def _seed(*, businesses, missions, buyers, deals, batch, progress, participants=30, meetings=120):
    rng = random.Random(20261202)
    # The new rows by id range: an IN list of a million ids is more than a query takes.
    new = (min(businesses), max(businesses))
    verified = list(
        Business.objects.filter(pk__range=new, status=Business.Status.VERIFIED).values_list(
            "pk", flat=True
        )
    )
    commodities = list(Commodity.objects.values_list("pk", flat=True))
    products = dict(
        Product.objects.filter(business__pk__range=new, business__status=Business.Status.VERIFIED)
        .order_by("business_id", "pk")
        .values_list("business_id", "pk")
    )
    first_day = timezone.localdate() - datetime.timedelta(days=MISSION_GAP * missions * 3 // 4)
    count = TradeMission.objects.count()

    # Missions: past ones completed or reported, the newest still open or in selection.
    bar = progress("missions", missions)
    rows = []
    for i in range(missions):
        scope, city, country, _cur, _rate = DESTINATIONS[i % len(DESTINATIONS)]
        start = first_day + datetime.timedelta(days=i * MISSION_GAP)
        end = start + datetime.timedelta(days=rng.randrange(MISSION_DAYS))
        if end < timezone.localdate():
            status = rng.choice([TradeMission.Status.COMPLETED, TradeMission.Status.REPORTED])
        else:
            status = rng.choice([TradeMission.Status.OPEN, TradeMission.Status.SELECTION])
        opens = datetime.datetime.combine(start - datetime.timedelta(days=60), datetime.time(8))
        rows.append(
            TradeMission(
                title=f"Misi Dagang {city} {start.year} #{count + i + 1}",
                slug=f"misi-{count + i + 1}-{city.lower().replace(' ', '-')}-{start.year}",
                kind=rng.choice(list(TradeMission.Kind.values)),
                scope=scope,
                city=city,
                country=country,
                partner="ITPC" if country != "ID" else "Dinas Perdagangan setempat",
                start_date=start,
                end_date=end,
                registration_opens=opens.replace(tzinfo=WIB),
                registration_closes=(opens + datetime.timedelta(days=45)).replace(tzinfo=WIB),
                quota=participants + 10,
                budget_source=TradeMission.BudgetSource.APBD,
                budget_amount=Decimal(rng.randrange(50, 900)) * 1_000_000,
                status=status,
            )
        )
    with transaction.atomic():
        mission_objs = TradeMission.objects.bulk_create(rows, batch_size=batch)
        TradeMission.commodities.through.objects.bulk_create(
            [
                TradeMission.commodities.through(trademission_id=m.pk, commodity_id=c)
                for m in mission_objs
                for c in rng.sample(commodities, min(2, len(commodities)))
            ],
            batch_size=batch,
        )
    bar(missions)

    # Buyers, from every destination.
    bar = progress("buyers", buyers)
    buyer_ids = []
    for offset in range(0, buyers, batch):
        rows = []
        for i in range(offset, min(offset + batch, buyers)):
            _scope, city, country, _cur, _rate = DESTINATIONS[i % len(DESTINATIONS)]
            company = f"{rng.choice(BUYER_WORDS)} {rng.choice(BUYER_SUFFIX)} {i + 1}"
            buyer = Buyer(
                company=company,
                country=country,
                city=city,
                kind=rng.choice(list(Buyer.Kind.values)),
                contact_person=f"Kontak {i + 1}",
                email=f"buyer{i + 1}@example.com",
            )
            buyer.normalized_name = company.lower()  # bulk_create skips save()
            rows.append(buyer)
        with transaction.atomic():
            buyer_ids += [b.pk for b in Buyer.objects.bulk_create(rows, batch_size=batch)]
        bar(len(rows))
    # Buyers by destination country, so that a mission meets buyers of its country.
    by_destination = {}
    for i, pk in enumerate(buyer_ids):
        by_destination.setdefault(i % len(DESTINATIONS), []).append(pk)

    # Participants, meetings and deals, one mission at a time.
    today = timezone.localdate()
    per_mission = max(deals // max(sum(m.end_date < today for m in mission_objs), 1), 1)
    bar = progress("mission data", missions)
    for m_index, mission in enumerate(mission_objs):
        destination = DESTINATIONS[m_index % len(DESTINATIONS)]
        chosen = rng.sample(verified, min(participants, len(verified)))
        past = mission.end_date < today
        statuses = (
            [Participation.Status.ATTENDED] * 8 + [Participation.Status.NO_SHOW]
            if past
            else [Participation.Status.APPLIED, Participation.Status.ACCEPTED]
        )
        with transaction.atomic():
            parts = Participation.objects.bulk_create(
                [
                    Participation(
                        mission=mission,
                        business_id=b,
                        status=rng.choice(statuses),
                        booth_number=str(k + 1),
                    )
                    for k, b in enumerate(chosen)
                ]
            )
            if past and len(parts) >= TABLES and len(buyer_ids) >= TABLES:
                local_buyers = by_destination.get(m_index % len(DESTINATIONS), [])
                if len(local_buyers) < TABLES:  # too few to fill a slot: anyone will do
                    local_buyers = buyer_ids
                meeting_objs = _meetings(rng, mission, parts, local_buyers, meetings, batch)
                _deals(
                    rng,
                    mission,
                    meeting_objs,
                    destination,
                    commodities,
                    products,
                    per_mission,
                    batch,
                )
        bar(1)
    for year in {m.start_date.year for m in mission_objs}:
        ProgramTarget.objects.get_or_create(year=year, defaults={"target_ikm": 200})


def _meetings(rng, mission, parts, buyers, count, batch):
    """A slot x table grid: within one slot every table has another business and buyer."""
    days = (mission.end_date - mission.start_date).days + 1
    rows = []
    for n in range(min(count, days * SLOTS_PER_DAY * TABLES)):
        slot, table = divmod(n, TABLES)
        day, slot_of_day = divmod(slot, SLOTS_PER_DAY)
        start = (
            datetime.datetime.combine(
                mission.start_date + datetime.timedelta(days=day), datetime.time(9), tzinfo=WIB
            )
            + slot_of_day * SLOT
        )
        part = parts[n % len(parts)]
        rows.append(
            Meeting(
                mission=mission,
                participation=part,
                business_id=part.business_id,
                buyer_id=buyers[n % len(buyers)],
                start=start,
                end=start + SLOT,
                table=str(table + 1),
                outcome=rng.choice(list(Meeting.Outcome.values)),
            )
        )
    return Meeting.objects.bulk_create(rows, batch_size=batch)


def _deals(rng, mission, meetings, destination, commodities, products, count, batch):
    """Spot, potential and realised deals from the mission's meetings, in its currency."""
    _scope, _city, country, currency, rate = destination
    days = (mission.end_date - mission.start_date).days + 1
    unit = Decimal(1_000_000) if currency == "IDR" else (Decimal(100_000) / rate).quantize(CENT)
    potentials, realised, others = {}, [], []
    for n in range(count):
        meeting = meetings[n % len(meetings)]
        kind = rng.choices(
            [Deal.Kind.ON_THE_SPOT, Deal.Kind.POTENTIAL, Deal.Kind.REALISED], weights=[3, 5, 2]
        )[0]
        realises = None
        if kind == Deal.Kind.REALISED:
            realises = potentials.get(meeting.business_id)
            if realises is None:
                kind = Deal.Kind.POTENTIAL
        amount = rng.randrange(5, 5_000) * unit
        value_idr, value_usd = Deal.convert(amount, rate, USD_IDR)
        later = rng.randrange(30, 300) if kind == Deal.Kind.REALISED else rng.randrange(days)
        deal = Deal(
            mission=mission,
            business_id=meeting.business_id,
            buyer_id=meeting.buyer_id,
            meeting=meeting,
            product_id=products.get(meeting.business_id),
            commodity_id=rng.choice(commodities),
            kind=kind,
            stage=Deal.Stage.LOI if kind == Deal.Kind.POTENTIAL else "",
            realises=realises,
            amount=amount,
            currency=currency,
            rate_to_idr=rate,
            usd_rate=USD_IDR,
            rate_date=mission.start_date,
            value_idr=value_idr,
            value_usd=value_usd,
            destination_country=country,
            date=mission.start_date + datetime.timedelta(days=later),
            status=Deal.Status.CONFIRMED if rng.random() < 0.9 else Deal.Status.REPORTED,
        )
        if kind == Deal.Kind.POTENTIAL:
            potentials[meeting.business_id] = deal
        (realised if kind == Deal.Kind.REALISED else others).append(deal)
    # Potential deals first: a realisation points at a saved row.
    Deal.objects.bulk_create(others, batch_size=batch)
    for deal in realised:
        deal.realises_id = deal.realises.pk
    Deal.objects.bulk_create(realised, batch_size=batch)
    # bulk_create skips save(): the potential deals store what was realised against them
    Deal.objects.filter(pk__in=[deal.pk for deal in others]).refresh_realised()
