"""Demo data for trade missions; called by `manage.py seed_demo`.

Three missions with results (a Jabodetabek exhibition, a national mission, an
international business matching reported in US dollars) and one open for
registration. All names, companies and NIBs are fictional (NIBs start with 99).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from ikm_registry.models import Business, Commodity, Desa, Product
from missions import services
from missions.models import (
    Buyer,
    Deal,
    ExchangeRate,
    Meeting,
    MeetingRequest,
    MissionBuyer,
    Participation,
    Rating,
    TradeMission,
)

DEMO_BUSINESSES = [
    ("Rotan Sejahtera Cikupa", "9900000000001", "kerajinan-rotan", "Keranjang Rotan Anyam"),
    ("Mede Gurih Balaraja", "9900000000002", "kacang-mede", "Kacang Mede Panggang 250 g"),
    ("Gula Semut Pasir Jaya", "9900000000003", "gula-semut", "Gula Semut Organik 500 g"),
]

BUYERS = [
    ("Busan Natural Foods Co., Ltd.", "KR", "Busan", Buyer.Kind.IMPORTER, "Kim Min-jun"),
    ("Hanil Home & Living", "KR", "Seoul", Buyer.Kind.RETAILER, "Lee Seo-yeon"),
    ("Gyeongnam Trading Corp.", "KR", "Changwon", Buyer.Kind.DISTRIBUTOR, "Park Ji-ho"),
    ("PT Borneo Niaga Sentosa", "ID", "Samarinda", Buyer.Kind.DISTRIBUTOR, "Rina Marlina"),
    ("CV Oleh-Oleh Mahakam", "ID", "Balikpapan", Buyer.Kind.RETAILER, "Agus Setiawan"),
    (
        "PT Dekorindo Interior Jakarta",
        "ID",
        "Jakarta Selatan",
        Buyer.Kind.WHOLESALER,
        "Dewi Lestari",
    ),
    ("Hotel Nusantara Grand Kemayoran", "ID", "Jakarta Pusat", Buyer.Kind.HORECA, "Yusuf Hidayat"),
]

USD_RATE = Decimal("16250.00")  # fictional JISDOR-like rate for the demo
KRW_RATE = Decimal("11.75")


def _businesses(owners, stdout):
    businesses = list(Business.objects.verified().order_by("pk")[:5])
    if len(businesses) >= 3:
        return businesses
    desa = Desa.objects.get(code="36.03.18.2004")
    for i, (name, nib, commodity_slug, product_name) in enumerate(DEMO_BUSINESSES):
        commodity = Commodity.objects.get(slug=commodity_slug)
        business = Business.objects.filter(nib=nib).first()
        if business is None:
            business = Business(
                nib=nib,
                name=name,
                slug=f"demo-{nib}",
                owner=owners[i % len(owners)] if owners else None,
                owner_name=["Siti Rahmawati", "Budi Santoso", "Nur Aini"][i],
                address=f"Jl. Raya Serang Km {18 + i}",
                desa=desa,
            )
            # The state ikm_registry.services.verify leaves, without its e-mail.
            business.mark_verified(at=timezone.now())
            business.save(workflow=True)
            business.commodities.add(commodity)
            Product.objects.create(
                business=business,
                name=product_name,
                slug=f"demo-{nib}-1",
                category=commodity,
                unit="pcs" if commodity_slug == "kerajinan-rotan" else "kg",
            )
            stdout.write(f"  demo IKM {name}")
    return list(Business.objects.verified().order_by("pk")[:5])


def _mission(slug, **fields):
    commodities = fields.pop("commodities", [])
    mission, created = TradeMission.objects.get_or_create(slug=slug, defaults=fields)
    if created:
        mission.commodities.set(Commodity.objects.filter(slug__in=commodities))
    return mission, created


def _participate(mission, businesses, statuses):
    rows = []
    for business, status in zip(businesses, statuses, strict=False):
        p, _created = Participation.objects.get_or_create(
            mission=mission,
            business=business,
            defaults={"status": status, "booth_number": f"B{business.pk:02d}"},
        )
        if _created:
            p.products.set(business.products.all()[:2])
        rows.append(p)
    return rows


def _buyers():
    out = {}
    for company, country, city, kind, contact in BUYERS:
        buyer = Buyer.objects.filter(company=company, country=country).first()
        if buyer is None:
            buyer = Buyer(
                company=company,
                country=country,
                city=city,
                kind=kind,
                contact_person=contact,
                email=f"buyer{len(out) + 1}@example.com",
            )
            buyer.save()
        out[company] = buyer
    return out


def _deal(mission, business, buyer, kind, amount, currency, day, dest, **extra):
    rate = {"IDR": Decimal(1), "USD": USD_RATE, "KRW": KRW_RATE}[currency]
    # The rate table shows the rates the demo deals use (staff fill it from BI's JISDOR).
    for code, value in {currency: rate, "USD": USD_RATE}.items():
        if code != "IDR":
            ExchangeRate.objects.get_or_create(
                currency=code,
                date=day,
                defaults={
                    "rate_to_idr": value,
                    "source": ExchangeRate.Source.OFFICE,
                    "notes": "Kurs demo (fiktif)",
                },
            )
    return services.record_deal(
        recorded_by=None,
        confirmed=extra.pop("confirmed", True),
        mission=mission,
        business=business,
        buyer=buyer,
        commodity=business.commodities.first() or Commodity.objects.get(slug="lainnya"),
        product=business.products.first(),
        kind=kind,
        amount=Decimal(amount),
        currency=currency,
        rate_to_idr=rate,
        usd_rate=USD_RATE,
        rate_date=day,
        rate_source="Kurs demo (fiktif)",
        destination_country=dest,
        date=day,
        **extra,
    )


def _busan_requests(busan, parts, buyers, meetings):
    """The Korean buyers were invited: what they asked for, what the IKM answered, and
    how both sides rated two of the meetings afterwards."""
    invitations = [MissionBuyer.objects.create(mission=busan, buyer=b) for b in buyers]
    slots = [key for key, _label in busan.free_slot_choices()[:2]]
    for invitation in invitations:
        invitation.free_slots = slots
        invitation.save(update_fields=["free_slots"])
    answered = busan.start_date - datetime.timedelta(days=10)
    answered_at = timezone.make_aware(datetime.datetime.combine(answered, datetime.time(10)))
    rows = [
        (invitations[0], parts[0], meetings[0], "Kami bawa contoh keranjang rotan."),
        (invitations[1], parts[1], meetings[4], "Siap presentasi harga FOB."),
    ]
    for invitation, participation, meeting, comment in rows:
        MeetingRequest.objects.create(
            invitation=invitation,
            participation=participation,
            message="Interested in your products for our stores.",
            status=MeetingRequest.Status.ACCEPTED,
            owner_comment=comment,
            answered_at=answered_at,
            meeting=meeting,
        )
    MeetingRequest.objects.create(
        invitation=invitations[2],
        participation=parts[2],
        message="Looking for palm sugar.",
        status=MeetingRequest.Status.DECLINED,
        owner_comment="Kapasitas produksi belum cukup untuk ekspor.",
        answered_at=answered_at,
    )
    rated = answered_at + datetime.timedelta(days=12)
    for meeting, next_step in ((meetings[0], "Pesanan ulang kuartal depan"), (meetings[4], "MoU")):
        meeting.ikm_rating = meeting.buyer_rating = Rating.USEFUL
        meeting.ikm_next_step = meeting.buyer_next_step = next_step
        meeting.ikm_rated_at = meeting.buyer_rated_at = rated
        meeting.save()


def seed(*, owners, stdout):
    """Idempotent: running it twice changes nothing."""
    businesses = _businesses(owners, stdout)
    buyers = _buyers()
    today = timezone.localdate()
    year = today.year
    tz = timezone.get_current_timezone()

    def at(day, hour, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)

    S, K = Participation.Status, Deal.Kind
    day1 = datetime.date(year, 3, 12)
    expo, created = _mission(
        "pameran-ikm-jakarta-" + str(year),
        title=f"Pameran Kriya dan Pangan IKM Tangerang di Jakarta {year}",
        title_en=f"Tangerang SME Craft and Food Exhibition in Jakarta {year}",
        kind=TradeMission.Kind.EXHIBITION,
        scope=TradeMission.Scope.JABODETABEK,
        city="Jakarta Pusat",
        country="ID",
        partner="Dinas PPKUKM DKI Jakarta",
        venue="JCC Senayan, Hall B",
        start_date=day1,
        end_date=day1 + datetime.timedelta(days=4),
        registration_opens=at(day1 - datetime.timedelta(days=60), 8),
        registration_closes=at(day1 - datetime.timedelta(days=21), 16),
        quota=10,
        budget_source=TradeMission.BudgetSource.APBD,
        budget_amount=Decimal("185000000"),
        description="Stan bersama Kabupaten Tangerang: kerajinan rotan, kacang mede, gula semut.",
        status=TradeMission.Status.REPORTED,
        commodities=["kerajinan-rotan", "kacang-mede", "gula-semut"],
    )
    if created:
        parts = _participate(expo, businesses, [S.ATTENDED, S.ATTENDED, S.WITHDRAWN])
        dekor = buyers["PT Dekorindo Interior Jakarta"]
        hotel = buyers["Hotel Nusantara Grand Kemayoran"]
        _deal(
            expo,
            parts[0].business,
            dekor,
            K.ON_THE_SPOT,
            "42500000",
            "IDR",
            day1,
            "ID",
            quantity=Decimal(170),
            unit="pcs",
        )
        _deal(expo, parts[1].business, hotel, K.ON_THE_SPOT, "8750000", "IDR", day1, "ID")
        stdout.write(f"  mission {expo.title}")

    day2 = datetime.date(year, 6, 3)
    kaltim, created = _mission(
        "misi-dagang-kaltim-" + str(year),
        title=f"Misi Dagang Kabupaten Tangerang \u2013 Kalimantan Timur {year}",
        title_en=f"Tangerang Regency Trade Mission \u2013 East Kalimantan {year}",
        kind=TradeMission.Kind.TRADE_MISSION,
        scope=TradeMission.Scope.NATIONAL,
        city="Samarinda",
        country="ID",
        time_zone="Asia/Makassar",
        partner="Disperindagkop Provinsi Kalimantan Timur",
        venue="Hotel Mercure Samarinda",
        start_date=day2,
        end_date=day2 + datetime.timedelta(days=1),
        registration_opens=at(day2 - datetime.timedelta(days=45), 8),
        registration_closes=at(day2 - datetime.timedelta(days=14), 16),
        quota=6,
        budget_source=TradeMission.BudgetSource.APBD_PROV,
        budget_amount=Decimal("240000000"),
        description=(
            "Temu dagang antardaerah dengan distributor dan toko oleh-oleh Kalimantan Timur."
        ),
        status=TradeMission.Status.COMPLETED,
        commodities=["kacang-mede", "gula-semut"],
    )
    if created:
        parts = _participate(kaltim, businesses, [S.ATTENDED, S.ATTENDED, S.ATTENDED])
        borneo = buyers["PT Borneo Niaga Sentosa"]
        mahakam = buyers["CV Oleh-Oleh Mahakam"]
        for i, (p, buyer) in enumerate(
            [(parts[1], borneo), (parts[2], mahakam), (parts[2], borneo)]
        ):
            services.schedule_meeting(
                mission=kaltim,
                participation=p,
                buyer=buyer,
                start=at(day2, 10 + i),
                end=at(day2, 10 + i, 45),
                table=str(i + 1),
            )
        _deal(kaltim, parts[1].business, borneo, K.ON_THE_SPOT, "36000000", "IDR", day2, "ID")
        potential = _deal(
            kaltim,
            parts[2].business,
            mahakam,
            K.POTENTIAL,
            "120000000",
            "IDR",
            day2,
            "ID",
            stage=Deal.Stage.MOU,
        )
        _deal(
            kaltim,
            parts[2].business,
            mahakam,
            K.REALISED,
            "45000000",
            "IDR",
            day2 + datetime.timedelta(days=40),
            "ID",
            realises=potential,
        )
        stdout.write(f"  mission {kaltim.title}")

    day3 = datetime.date(year, 9, 22)
    busan, created = _mission(
        "business-matching-itpc-busan-" + str(year),
        title=f"Business Matching ITPC Busan {year}",
        title_en=f"ITPC Busan Business Matching {year}",
        kind=TradeMission.Kind.BUSINESS_MATCHING,
        scope=TradeMission.Scope.INTERNATIONAL,
        city="Busan",
        country="KR",
        time_zone="Asia/Seoul",
        meeting_request_limit=3,
        partner="ITPC Busan, Kementerian Perdagangan",
        venue="BEXCO, Busan",
        start_date=day3,
        end_date=day3 + datetime.timedelta(days=2),
        registration_opens=at(day3 - datetime.timedelta(days=90), 8),
        registration_closes=at(day3 - datetime.timedelta(days=45), 16),
        quota=5,
        budget_source=TradeMission.BudgetSource.APBN,
        budget_amount=Decimal("650000000"),
        description="Sesi business matching satu lawan satu dengan importir dan peritel Korea.",
        status=TradeMission.Status.REPORTED,
        commodities=["kerajinan-rotan", "kacang-mede", "gula-semut"],
    )
    if created:
        parts = _participate(busan, businesses, [S.ATTENDED, S.ATTENDED, S.NO_SHOW])
        kr = [buyers[b[0]] for b in BUYERS[:3]]
        meetings = []
        slot = 0
        for p in parts[:2]:
            for buyer in kr:
                start = at(day3, 9, 0) + datetime.timedelta(minutes=30 * slot)
                meetings.append(
                    services.schedule_meeting(
                        mission=busan,
                        participation=p,
                        buyer=buyer,
                        start=start,
                        end=start + datetime.timedelta(minutes=25),
                        table=str(slot % 3 + 1),
                    )
                )
                slot += 1
        outcomes = [
            Meeting.Outcome.DEAL,
            Meeting.Outcome.SAMPLE,
            Meeting.Outcome.NO_INTEREST,
            Meeting.Outcome.NEGOTIATION,
            Meeting.Outcome.DEAL,
            Meeting.Outcome.FOLLOW_UP,
        ]
        for meeting, outcome in zip(meetings, outcomes, strict=True):
            meeting.outcome = outcome
            meeting.save(update_fields=["outcome"])
        _busan_requests(busan, parts, kr, meetings)
        _deal(
            busan,
            parts[0].business,
            kr[0],
            K.ON_THE_SPOT,
            "18400",
            "USD",
            day3,
            "KR",
            meeting=meetings[0],
            quantity=Decimal(800),
            unit="pcs",
        )
        mou = _deal(
            busan,
            parts[1].business,
            kr[1],
            K.POTENTIAL,
            "96000",
            "USD",
            day3,
            "KR",
            meeting=meetings[4],
            stage=Deal.Stage.MOU,
        )
        _deal(
            busan,
            parts[1].business,
            kr[1],
            K.REALISED,
            "31500",
            "USD",
            day3 + datetime.timedelta(days=50),
            "KR",
            realises=mou,
        )
        _deal(
            busan,
            parts[1].business,
            kr[2],
            K.POTENTIAL,
            "52000000",
            "KRW",
            day3,
            "KR",
            meeting=meetings[3],
            stage=Deal.Stage.LOI,
        )
        _deal(
            busan,
            parts[0].business,
            kr[2],
            K.ON_THE_SPOT,
            "2400",
            "USD",
            day3,
            "KR",
            confirmed=False,
        )
        stdout.write(f"  mission {busan.title}")

    day4 = today + datetime.timedelta(days=75)
    upcoming, created = _mission(
        f"temu-bisnis-singapura-{day4.year}",
        title=f"Temu Bisnis Produk Pangan IKM \u2013 Singapura {day4.year}",
        title_en=f"SME Processed Food Business Meeting \u2013 Singapore {day4.year}",
        kind=TradeMission.Kind.BUSINESS_MATCHING,
        scope=TradeMission.Scope.INTERNATIONAL,
        city="Singapura",
        country="SG",
        time_zone="Asia/Singapore",
        partner="KBRI Singapura",
        venue="Wisma Indonesia",
        start_date=day4,
        end_date=day4 + datetime.timedelta(days=1),
        registration_opens=at(today - datetime.timedelta(days=7), 8),
        registration_closes=at(today + datetime.timedelta(days=30), 16),
        quota=8,
        budget_source=TradeMission.BudgetSource.APBD,
        description="Terbuka untuk IKM pangan olahan yang siap ekspor.",
        status=TradeMission.Status.OPEN,
        commodities=["kacang-mede", "gula-semut"],
    )
    if created:
        stdout.write(f"  mission {upcoming.title} (pendaftaran dibuka)")
