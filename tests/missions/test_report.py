"""A mission report built by hand: every total on the page, in the XLSX and on paper."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from openpyxl import load_workbook

from ikm_registry.models import Commodity, ContactLog
from missions import reports, services
from missions.models import Deal, Meeting, Participation, TradeMission
from tangerang_ikm.templatetags.portal import money, rupiah
from tests.factories import BusinessFactory
from tests.missions.conftest import at, make_buyer, make_deal, make_mission, make_participation
from tests.queries import assert_fixed_queries, count_queries

S, K = Participation.Status, Deal.Kind
D = Decimal


def usd(v):
    with translation.override("id"):
        return money(D(v), "USD")


def country(code):
    with translation.override("id"):
        return str(countries.name(code))


class TableParser(HTMLParser):
    """{h2 text: [[cell texts] for each row, footer included]} for every report table."""

    def __init__(self):
        super().__init__()
        self.tables, self.heading, self.in_h2 = {}, "", False
        self.row, self.cell = None, None

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.in_h2, self.heading = True, ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "h2":
            self.in_h2 = False
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables.setdefault(self.heading, []).append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.in_h2:
            self.heading += data
        elif self.cell is not None:
            self.cell += data


def parse(html):
    parser = TableParser()
    parser.feed(html)
    return parser.tables


GULA = "Gula Jawa Kristal / Gula Semut"


def confirm_by_both(deal):
    """Both parties answer "right" through the links they were e-mailed (the real path)."""
    rows = services.ask_parties(deal=deal)
    assert {r.side for r in rows} == {"buyer", "ikm"}
    for row in rows:
        services.answer_party(confirmation=row, answer="confirmed")


@pytest.fixture
def scenario(db, owner, other_owner, coordinator):
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    mede = Commodity.objects.get(slug="kacang-mede")
    gula = Commodity.objects.get(slug="gula-semut")
    start = datetime.date(2026, 6, 10)
    mission = make_mission(
        title="Temu Bisnis Uji",
        slug="temu-bisnis-uji",
        status=TradeMission.Status.REPORTED,
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
    )
    a = BusinessFactory(owner=owner, name="Alpha Rotan", capital=D("300000000"))
    # PP 7/2021: kecil by capital (Rp1,5 M), menengah by annual sales (Rp40 M).
    b = BusinessFactory(
        owner=other_owner,
        name="Beta Mede",
        capital=D("1500000000"),
        annual_sales=D("40000000000"),
    )
    pa = make_participation(mission, a, S.ATTENDED)
    pb = make_participation(mission, b, S.ATTENDED)
    make_participation(mission, BusinessFactory(name="Gamma Mundur"), S.WITHDRAWN)
    make_participation(mission, BusinessFactory(name="Delta Absen"), S.NO_SHOW)
    b1 = make_buyer(
        "Korea Importer",
        "KR",
        kind="importer",
        contact_person="Kim Rahasia",
        email="kim.rahasia@buyer.example",
        phone="+821099998888",
    )
    b2 = make_buyer("Korea Retail", "KR", kind="retailer")
    b3 = make_buyer("Japan Distribution", "JP", kind="distributor")
    b4 = make_buyer("Toko Jakarta", "ID", kind="retailer")
    day = mission.start_date
    m1 = services.schedule_meeting(
        mission=mission, participation=pa, buyer=b1, start=at(day, 9), end=at(day, 9, 30), table="1"
    )
    m1.outcome = Meeting.Outcome.DEAL
    m1.save()
    m2 = services.schedule_meeting(
        mission=mission,
        participation=pa,
        buyer=b2,
        start=at(day, 10),
        end=at(day, 10, 30),
        table="1",
    )
    m2.outcome = Meeting.Outcome.SAMPLE
    m2.save()
    m3 = services.schedule_meeting(
        mission=mission, participation=pb, buyer=b3, start=at(day, 9), end=at(day, 9, 30), table="2"
    )
    m3.outcome = Meeting.Outcome.NEGOTIATION
    m3.save()
    services.schedule_meeting(
        mission=mission,
        participation=pb,
        buyer=b1,
        start=at(day, 10),
        end=at(day, 10, 30),
        table="2",
    )
    spot_usd = make_deal(
        mission,
        a,
        amount="1000",
        currency="USD",
        rate="16000",
        commodity=rotan,
        destination="KR",
        buyer=b1,
        meeting=m1,
    )
    # The buyer says the US$ deal is not right: it still counts (staff confirmed it), but
    # never as confirmed by both parties.
    row = services.ask_parties(deal=spot_usd)[0]
    services.answer_party(confirmation=row, answer="disputed", comment="Only US$800 was ordered")
    potential = make_deal(
        mission,
        a,
        amount="2000",
        currency="EUR",
        rate="17500",
        usd_rate="16000",
        kind=K.POTENTIAL,
        commodity=rotan,
        destination="DE",
    )
    # Two realisations of one potential, together above it: an over-realisation.
    make_deal(
        mission,
        a,
        amount="800",
        currency="EUR",
        rate="17600",
        usd_rate="16100",
        kind=K.REALISED,
        realises=potential,
        commodity=rotan,
        destination="DE",
    )
    make_deal(
        mission,
        a,
        amount="1500",
        currency="EUR",
        rate="17800",
        usd_rate="16200",
        kind=K.REALISED,
        realises=potential,
        commodity=rotan,
        destination="DE",
        date=datetime.date(2026, 6, 25),
    )
    spot_idr = make_deal(
        mission,
        b,
        amount="5000000",
        currency="IDR",
        usd_rate="16000",
        commodity=mede,
        destination="ID",
        buyer=b4,
    )
    confirm_by_both(spot_idr)
    make_deal(
        mission,
        b,
        amount="1000000",
        currency="JPY",
        rate="106.5",
        usd_rate="16000",
        kind=K.POTENTIAL,
        commodity=mede,
        destination="JP",
        buyer=b3,
        meeting=m3,
    )
    krw = make_deal(
        mission,
        b,
        amount="52000000",
        currency="KRW",
        rate="11.2",
        usd_rate="16000",
        kind=K.POTENTIAL,
        commodity=gula,
        destination="KR",
        buyer=b2,
    )
    confirm_by_both(krw)
    # A partial realisation in July of the June potential: the June cohort's, not July's.
    make_deal(
        mission,
        b,
        amount="20000000",
        currency="KRW",
        rate="11.5",
        usd_rate="16100",
        kind=K.REALISED,
        realises=krw,
        commodity=gula,
        destination="KR",
        date=datetime.date(2026, 7, 20),
    )
    make_deal(
        mission,
        b,
        amount="500",
        currency="USD",
        rate="16000",
        commodity=mede,
        destination="KR",
        status=Deal.Status.REPORTED,
    )
    return mission


# Worked out by hand (every rupiah value = amount x the deal's own rate; every dollar value =
# rupiah / the deal's US$ rate, rounded half up to the cent):
# spot      USD 1,000 x 16,000          =  16,000,000.00   US$1,000.00   (buyer disputes)
#           IDR 5,000,000               =   5,000,000.00   US$312.50     (both parties confirm)
# potential EUR 2,000 x 17,500          =  35,000,000.00   US$2,187.50
#           JPY 1,000,000 x 106.5       = 106,500,000.00   US$6,656.25
#           KRW 52,000,000 x 11.2       = 582,400,000.00   US$36,400.00  (both parties confirm)
# realised  EUR 800 x 17,600            =  14,080,000.00   US$874.53     (874.534…) of the EUR
#           EUR 1,500 x 17,800          =  26,700,000.00   US$1,648.15   (1,648.148…) of the EUR
#           KRW 20,000,000 x 11.5       = 230,000,000.00   US$14,285.71  (14,285.714…) of the KRW
# open      EUR: 35,000,000 - 40,780,000 < 0 → 0 (over-realised by 5,780,000 / US$335.18)
#           JPY: 106,500,000 / US$6,656.25 (nothing realised)
#           KRW: 582,400,000 - 230,000,000 = 352,400,000; US$36,400.00 - 14,285.71 = 22,114.29
#           → 458,900,000.00 / US$28,770.54, of which the KRW one is confirmed by both parties
# actual    21,000,000 + 270,780,000 = 291,780,000.00; US$1,312.50 + 16,808.39 = 18,120.89
# rate      (40,780,000 + 0 + 230,000,000) / 723,900,000 = 37.405…% → 37.4 %
EXPECTED = {
    "IKM peserta (diterima/hadir)": 2,
    "IKM hadir": 2,
    "Pembeli": 4,
    "Pertemuan bisnis": 4,
    "Transaksi terkonfirmasi": 8,
    "Nilai transaksi (Rp)": D("291780000.00"),
    "Nilai transaksi (Rp): dikonfirmasi kedua pihak": D("5000000.00"),
    "Nilai transaksi (Rp): belum dikonfirmasi para pihak": D("286780000.00"),
    "Nilai transaksi (US$)": D("18120.89"),
    "Nilai transaksi (US$): dikonfirmasi kedua pihak": D("312.50"),
    "Nilai transaksi (US$): belum dikonfirmasi para pihak": D("17808.39"),
    "Potensi belum terealisasi (Rp)": D("458900000.00"),
    "Potensi belum terealisasi (Rp): dikonfirmasi kedua pihak": D("352400000.00"),
    "Potensi belum terealisasi (Rp): belum dikonfirmasi para pihak": D("106500000.00"),
    "Potensi belum terealisasi (US$)": D("28770.54"),
    "Potensi belum terealisasi (US$): dikonfirmasi kedua pihak": D("22114.29"),
    "Potensi belum terealisasi (US$): belum dikonfirmasi para pihak": D("6656.25"),
    "Realisasi melebihi potensi (Rp)": D("5780000.00"),
    "Potensi dengan realisasi melebihi nilainya": 1,
    "Konversi pertemuan ke transaksi (%)": D("50.0"),  # m1 and m3 of 4
    "Realisasi potensi (%)": D("37.4"),
    "Transaksi menunggu konfirmasi": 1,
    "Transaksi dipersoalkan para pihak": 1,
}
FORMATTED = {
    "Nilai transaksi (Rp)": "Rp291.780.000",
    "Nilai transaksi (Rp): dikonfirmasi kedua pihak": "Rp5.000.000",
    "Nilai transaksi (Rp): belum dikonfirmasi para pihak": "Rp286.780.000",
    "Nilai transaksi (US$)": "US$18.120,89",
    "Potensi belum terealisasi (Rp)": "Rp458.900.000",
    "Potensi belum terealisasi (Rp): dikonfirmasi kedua pihak": "Rp352.400.000",
    "Potensi belum terealisasi (US$)": "US$28.770,54",
    "Realisasi melebihi potensi (Rp)": "Rp5.780.000",
    "Konversi pertemuan ke transaksi (%)": "50,0%",
    "Realisasi potensi (%)": "37,4%",
    "Pembeli": "4",
    "Transaksi terkonfirmasi": "8",
    "Transaksi dipersoalkan para pihak": "1",
}


def money_row(values, both):
    """Formatted cells as the tables show them: each value, then its part confirmed by both
    parties; Rp and US$ alternate pair by pair."""
    cells = []
    for i, (value, part) in enumerate(zip(values, both, strict=True)):
        fmt = (lambda v: rupiah(D(v))) if i % 2 == 0 else usd
        cells += [fmt(value), fmt(part)]
    return cells


NOTHING_BOTH = ["0"] * 6


def expected_tables():
    def kind(idr, usd_, idr_both, usd_both):
        d_idr, d_usd = D(idr), D(usd_)
        return [
            rupiah(d_idr),
            usd(usd_),
            rupiah(D(idr_both)),
            rupiah(d_idr - D(idr_both)),
            usd(usd_both),
            usd(d_usd - D(usd_both)),
        ]

    return {
        "Transaksi menurut jenis": [
            [
                "Jenis",
                "Rp",
                "US$",
                "Rp dikonfirmasi kedua pihak",
                "Rp belum dikonfirmasi para pihak",
                "US$ dikonfirmasi kedua pihak",
                "US$ belum dikonfirmasi para pihak",
            ],
            ["transaksi langsung", *kind("21000000", "1312.50", "5000000", "312.50")],
            ["potensi transaksi", *kind("723900000", "45243.75", "582400000", "36400")],
            ["realisasi", *kind("270780000", "16808.39", "0", "0")],
            [
                "Nilai transaksi (langsung + realisasi)",
                *kind("291780000", "18120.89", "5000000", "312.50"),
            ],
            ["Potensi belum terealisasi", *kind("458900000", "28770.54", "352400000", "22114.29")],
            ["Realisasi melebihi potensi", *kind("5780000", "335.18", "0", "0")],
            [
                "Total tanpa hitung ganda",
                *kind("750680000", "46891.43", "357400000", "22426.79"),
            ],
        ],
        "Transaksi per negara tujuan": {
            # Only the KRW potential (KR) and the rupiah spot deal (ID) are confirmed by both
            # parties; the KRW realisation and the disputed US$ spot deal are not.
            country("KR"): [
                "3",
                *money_row(
                    ["246000000", "15285.71", "352400000", "22114.29", "598400000", "37400"],
                    ["0", "0", "352400000", "22114.29", "352400000", "22114.29"],
                ),
            ],
            country("DE"): [
                "3",
                *money_row(["40780000", "2522.68", "0", "0", "40780000", "2522.68"], NOTHING_BOTH),
            ],
            country("JP"): [
                "1",
                *money_row(
                    ["0", "0", "106500000", "6656.25", "106500000", "6656.25"], NOTHING_BOTH
                ),
            ],
            country("ID"): [
                "1",
                *money_row(
                    ["5000000", "312.50", "0", "0", "5000000", "312.50"],
                    ["5000000", "312.50", "0", "0", "5000000", "312.50"],
                ),
            ],
            "Jumlah": [
                "8",
                *money_row(
                    ["291780000", "18120.89", "458900000", "28770.54", "750680000", "46891.43"],
                    ["5000000", "312.50", "352400000", "22114.29", "357400000", "22426.79"],
                ),
            ],
        },
        "Transaksi per IKM": {
            "Alpha Rotan": [
                "4",
                *money_row(["56780000", "3522.68", "0", "0", "56780000", "3522.68"], NOTHING_BOTH),
            ],
            "Beta Mede": [
                "4",
                *money_row(
                    ["235000000", "14598.21", "458900000", "28770.54", "693900000", "43368.75"],
                    ["5000000", "312.50", "352400000", "22114.29", "357400000", "22426.79"],
                ),
            ],
        },
        "Status peserta dan kehadiran": {
            "diterima": ["0"],
            "hadir": ["2"],
            "tidak hadir": ["1"],
            "mengundurkan diri": ["1"],
            "Jumlah": ["4"],
        },
        "Pembeli menurut negara dan jenis": {
            (country("JP"), "distributor"): ["1"],
            (country("KR"), "importir"): ["1"],
            (country("KR"), "peritel"): ["1"],
            (country("ID"), "peritel"): ["1"],
        },
        "Pertemuan bisnis dan hasilnya": {
            "transaksi": ["1"],
            "minta sampel": ["1"],
            "negosiasi": ["1"],
            "belum dicatat": ["1"],
            "tidak berminat": ["0"],
            "Jumlah": ["4"],
        },
    }


def check_html(body):
    for label, text in FORMATTED.items():
        assert f"<dt>{label}</dt><dd>{text}</dd>" in body, label
    tables = parse(body)
    expected = expected_tables()
    assert tables["Transaksi menurut jenis"] == expected["Transaksi menurut jenis"]
    assert tables["Transaksi per IKM"][0] == [
        "IKM",
        "Jumlah transaksi",
        "Transaksi (Rp)",
        "Transaksi (Rp): dikonfirmasi kedua pihak",
        "Transaksi (US$)",
        "Transaksi (US$): dikonfirmasi kedua pihak",
        "Potensi belum terealisasi (Rp)",
        "Potensi belum terealisasi (Rp): dikonfirmasi kedua pihak",
        "Potensi belum terealisasi (US$)",
        "Potensi belum terealisasi (US$): dikonfirmasi kedua pihak",
        "Total (Rp)",
        "Total (Rp): dikonfirmasi kedua pihak",
        "Total (US$)",
        "Total (US$): dikonfirmasi kedua pihak",
    ]
    # The page (and the paper) says what the part columns are and what the rest is.
    assert "Selisih keduanya belum dikonfirmasi para pihak." in body
    for title in (
        "Transaksi per negara tujuan",
        "Transaksi per IKM",
        "Status peserta dan kehadiran",
        "Pertemuan bisnis dan hasilnya",
    ):
        rows = {r[0]: r[1:] for r in tables[title][1:]}
        for key, cells in expected[title].items():
            assert rows[key] == cells, (title, key, rows[key])
    rows = {(r[0], r[1]): r[2:] for r in tables["Pembeli menurut negara dan jenis"][1:]}
    for key, cells in expected["Pembeli menurut negara dan jenis"].items():
        assert rows[key] == cells
    # Withdrawn participant listed with its status; not counted as taking part.
    assert ["Gamma Mundur", "Cikupa", "mengundurkan diri", ""] in tables["Peserta misi"]
    assert "Kim Rahasia" not in body and "kim.rahasia@buyer.example" not in body


def test_report_page_shows_the_hand_worked_totals(client, coordinator, scenario):
    client.force_login(coordinator)
    body = client.get(reverse("missions:report", args=[scenario.slug])).content.decode()
    check_html(body)


def test_print_version_shows_the_same_totals_with_the_regency_header(client, leadership, scenario):
    client.force_login(leadership)
    body = client.get(reverse("missions:report_print", args=[scenario.slug])).content.decode()
    check_html(body)
    assert "PEMERINTAH KABUPATEN TANGERANG" in body
    assert "css/missions.css" in body


def test_xlsx_has_the_same_totals_one_sheet_per_table(client, leadership, scenario):
    client.force_login(leadership)
    response = client.get(reverse("missions:report_xlsx", args=[scenario.slug]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == [
        "Ringkasan",
        "Peserta",
        "Kehadiran",
        "Pembeli",
        "Pertemuan",
        "Konversi",
        "Jenis transaksi",
        "Per komoditas",
        "Per negara tujuan",
        "Per IKM",
    ]
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(min_row=5, values_only=True)}
    for label, value in EXPECTED.items():
        assert D(str(summary[label])) == value, label
    kinds = {
        r[0]: [D(str(v)) for v in r[1:]]
        for r in wb["Jenis transaksi"].iter_rows(min_row=3, values_only=True)
    }
    assert kinds["transaksi langsung"][:2] == [D("21000000"), D("1312.50")]
    assert kinds["potensi transaksi"][:2] == [D("723900000"), D("45243.75")]
    assert kinds["realisasi"][:2] == [D("270780000"), D("16808.39")]
    assert kinds["Potensi belum terealisasi"] == [
        D("458900000"),
        D("28770.54"),
        D("352400000"),
        D("106500000"),
        D("22114.29"),
        D("6656.25"),
    ]
    assert kinds["Realisasi melebihi potensi"][:2] == [D("5780000"), D("335.18")]
    assert kinds["Total tanpa hitung ganda"][:2] == [D("750680000"), D("46891.43")]
    by_ikm = {
        r[0]: [D(str(v)) for v in r[1:]]
        for r in wb["Per IKM"].iter_rows(min_row=3, values_only=True)
    }
    assert by_ikm["Beta Mede"] == [
        D(4),
        D("235000000"),
        D("5000000"),  # of which confirmed by both parties: the rupiah spot deal
        D("14598.21"),
        D("312.50"),
        D("458900000"),
        D("352400000"),  # the open part of the KRW potential both parties confirmed
        D("28770.54"),
        D("22114.29"),
        D("693900000"),
        D("357400000"),
        D("43368.75"),
        D("22426.79"),
    ]
    assert by_ikm["Alpha Rotan"][1:] == [
        D("56780000"),
        D(0),  # the US$ spot deal is disputed by the buyer: never "both parties"
        D("3522.68"),
        D(0),
        D(0),
        D(0),
        D(0),
        D(0),
        D("56780000"),
        D(0),
        D("3522.68"),
        D(0),
    ]
    header = next(wb["Per negara tujuan"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert header[10:12] == ("Total (Rp)", "Total (Rp): dikonfirmasi kedua pihak")
    by_country = {
        r[0]: (D(str(r[10])), D(str(r[11])))
        for r in wb["Per negara tujuan"].iter_rows(min_row=3, values_only=True)
    }
    # The two realisations, not also their (over-realised) potential.
    assert by_country[country("DE")] == (D("40780000"), D(0))
    assert by_country[country("KR")] == (D("598400000"), D("352400000"))
    assert by_country[country("ID")] == (D("5000000"), D("5000000"))
    assert by_country["Jumlah"] == (D("750680000"), D("357400000"))
    notes = [row[0] for row in wb["Ringkasan"].iter_rows(min_row=5, values_only=True)]
    assert any(n and "Selisih keduanya belum dikonfirmasi para pihak." in n for n in notes)
    attendance = {r[0]: r[1] for r in wb["Kehadiran"].iter_rows(min_row=3, values_only=True)}
    assert attendance["mengundurkan diri"] == 1 and attendance["hadir"] == 2


def test_public_results_show_counts_and_values_but_no_contacts(client, scenario):
    body = client.get(reverse("missions:detail", args=[scenario.slug])).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp291.780.000</dd>" in body
    assert "<dt>Potensi belum terealisasi (US$)</dt><dd>US$28.770,54</dd>" in body
    assert "<dt>Pembeli</dt><dd>4</dd>" in body
    assert "dikonfirmasi kedua pihak" not in body  # the public page keeps the headline figures
    for secret in ("Kim Rahasia", "kim.rahasia@buyer.example", "+821099998888", "Korea Importer"):
        assert secret not in body
    listing = client.get(reverse("missions:list")).content.decode()
    assert scenario.title in listing and "Kim Rahasia" not in listing


def test_dashboard_totals_match_the_scenario(client, leadership, scenario):
    client.force_login(leadership)
    body = client.get(reverse("missions:dashboard")).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp291.780.000</dd>" in body
    assert "<dt>Nilai transaksi (Rp): dikonfirmasi kedua pihak</dt><dd>Rp5.000.000</dd>" in body
    assert "<dt>Potensi transaksi (Rp)</dt><dd>Rp723.900.000</dd>" in body
    assert (
        "<dt>Potensi transaksi (Rp): belum dikonfirmasi para pihak</dt><dd>Rp141.500.000</dd>"
        in body
    )
    assert "<dt>Potensi belum terealisasi (Rp)</dt><dd>Rp458.900.000</dd>" in body
    assert "<dt>IKM terlibat</dt><dd>2</dd>" in body
    # Alpha sold abroad (KR, DE); Beta's July realisation went to Korea.
    assert "<dt>IKM eksportir</dt><dd>2</dd>" in body
    assert "<dt>Eksportir pertama kali</dt><dd>2</dd>" in body
    assert "<dt>Realisasi potensi (%)</dt><dd>37,4%</dd>" in body
    # The page says what the rate means and which size class it uses.
    assert "dibagi nilai potensi tersebut" in body
    assert "menurut hasil penjualan tahunan" in body
    assert "<svg" in body and 'class="bar-actual"' in body and "style=" not in body
    tables = parse(body)
    period = {r[0]: r[1:] for r in tables["Nilai transaksi per tahun dan triwulan"][1:]}
    # Cohorts: the June potentials carry what was realised against them, in June and July;
    # July's quarter has the July sale but no potential, so no rate (not 230 M / 0).
    assert period["2026 T2"] == [
        "Rp61.780.000",  # 16,000,000 + 5,000,000 + 14,080,000 + 26,700,000
        "Rp5.000.000",  # of which confirmed by both parties: the rupiah spot deal
        usd("3835.18"),  # 1,000 + 312.50 + 874.53 + 1,648.15
        usd("312.50"),
        "Rp723.900.000",
        "Rp582.400.000",  # the KRW potential
        usd("45243.75"),
        usd("36400"),
        "Rp270.780.000",
        "37,4%",
    ]
    assert period["2026 T3"] == [
        "Rp230.000.000",
        "Rp0",  # the KRW realisation: not confirmed by the parties
        usd("14285.71"),
        usd("0"),
        "Rp0",
        "Rp0",
        usd("0"),
        usd("0"),
        "Rp0",
        "\u2013",
    ]
    assert period["Jumlah"][:2] == ["Rp291.780.000", "Rp5.000.000"]
    commodity = {r[0]: r[1:] for r in tables["Transaksi per komoditas"][1:]}
    assert commodity["Kerajinan Rotan"] == [
        "Rp56.780.000",
        "Rp0",  # the US$ spot deal is disputed
        usd("3522.68"),
        usd("0"),
        "Rp35.000.000",
        "Rp0",
        usd("2187.50"),
        usd("0"),
        "Rp40.780.000",
        "116,5%",  # 40,780,000 / 35,000,000: over-realised
    ]
    assert commodity["Kacang Mede"] == [
        "Rp5.000.000",
        "Rp5.000.000",
        usd("312.50"),
        usd("312.50"),
        "Rp106.500.000",
        "Rp0",
        usd("6656.25"),
        usd("0"),
        "Rp0",
        "0,0%",
    ]
    assert commodity[GULA] == [
        "Rp230.000.000",
        "Rp0",
        usd("14285.71"),
        usd("0"),
        "Rp582.400.000",
        "Rp582.400.000",
        usd("36400"),
        usd("36400"),
        "Rp230.000.000",
        "39,5%",  # 230,000,000 / 582,400,000 = 39.49 %
    ]
    kecamatan = {r[0]: r[1:] for r in tables["Transaksi per kecamatan IKM"][1:]}
    assert kecamatan["Cikupa"][:6] == [
        "Rp291.780.000",
        "Rp5.000.000",
        usd("18120.89"),
        usd("312.50"),
        "Rp723.900.000",
        "Rp582.400.000",
    ]
    size = {
        r[0]: r[1:]
        for r in tables["Transaksi per kelas usaha (menurut hasil penjualan tahunan)"][1:]
    }
    # Beta: kecil by capital, menengah by sales; Alpha: no annual sales recorded.
    assert size["menengah"][:2] == ["Rp235.000.000", "Rp5.000.000"]
    assert size["belum diketahui"][:2] == ["Rp56.780.000", "Rp0"]
    wb = load_workbook(BytesIO(client.get(reverse("missions:dashboard_xlsx")).content))
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(min_row=5, values_only=True)}
    assert D(str(summary["Nilai transaksi (US$)"])) == D("18120.89")
    assert D(str(summary["Nilai transaksi (US$): dikonfirmasi kedua pihak"])) == D("312.50")
    assert D(str(summary["Realisasi potensi (%)"])) == D("37.4")
    by_quarter = {
        r[0]: [D(str(v)) if v is not None else None for v in r[1:]]
        for r in wb["Per triwulan"].iter_rows(min_row=3, values_only=True)
    }
    assert by_quarter["2026 T2"][:6] == [
        D("61780000"),
        D("5000000"),
        D("3835.18"),
        D("312.50"),
        D("723900000"),
        D("582400000"),
    ]
    assert by_quarter["2026 T3"][:2] == [D("230000000"), D(0)]
    by_commodity = {
        r[0]: [D(str(v)) for v in r[1:9]]
        for r in wb["Per komoditas"].iter_rows(min_row=3, values_only=True)
    }
    assert by_commodity[GULA] == [
        D("230000000"),
        D(0),
        D("14285.71"),
        D(0),
        D("582400000"),
        D("582400000"),
        D("36400"),
        D("36400"),
    ]
    assert by_commodity["Jumlah"][:2] == [D("291780000"), D("5000000")]
    printed = client.get(reverse("missions:dashboard_print")).content.decode()
    assert "<dt>Nilai transaksi (US$)</dt><dd>US$18.120,89</dd>" in printed
    assert "<dt>Nilai transaksi (US$): belum dikonfirmasi para pihak</dt>" in printed
    assert "dikonfirmasi kedua pihak" in printed and "dibagi nilai potensi tersebut" in printed
    assert '<th scope="col" class="num">Potensi (Rp): dikonfirmasi kedua pihak</th>' in printed
    assert "Selisih keduanya belum dikonfirmasi para pihak." in printed


def test_dashboard_filters_by_scope_and_commodity(client, leadership, scenario):
    client.force_login(leadership)
    mede = Commodity.objects.get(slug="kacang-mede")
    body = client.get(reverse("missions:dashboard"), {"commodity": mede.pk}).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp5.000.000</dd>" in body
    body = client.get(reverse("missions:dashboard"), {"scope": "jabodetabek"}).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp0</dd>" in body
    year = scenario.start_date.year
    body = client.get(reverse("missions:dashboard"), {"year": year}).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp291.780.000</dd>" in body
    # By annual sales Beta is menengah (by capital it would be kecil).
    body = client.get(reverse("missions:dashboard"), {"size_class": "menengah"}).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp235.000.000</dd>" in body
    assert "<dt>IKM terlibat</dt><dd>1</dd>" in body
    body = client.get(reverse("missions:dashboard"), {"size_class": "kecil"}).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp0</dd>" in body
    bad = client.get(reverse("missions:dashboard"), {"year": "abc"})
    assert bad.status_code == 200


@pytest.mark.parametrize("query", [{}, {"scope": "jabodetabek", "year": "2025"}, {"year": "abc"}])
def test_dashboard_filter_selects_are_what_django_writes(scenario, query):
    """The filter form's QuickSelect options: the same options, chosen ones and attributes."""
    import re

    from django import forms

    from missions.forms import DashboardFilterForm

    def selects(form):
        found = {}
        for name in form.fields:
            html = str(form[name])
            tag = re.match(r"<select([^>]*)>", html).group(1)
            found[name] = (
                re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html),
                sorted(re.findall(r'([\w-]+)(?:="([^"]*)")?', tag)),
            )
        return found

    years = [scenario.start_date.year, 2025]
    quick = DashboardFilterForm(query or None, years=years)
    django = DashboardFilterForm(query or None, years=years)
    for field in django.fields.values():
        field.widget = forms.Select(choices=field.choices)
    assert selects(quick) == selects(django)
    assert len(selects(quick)["commodity"][0]) == Commodity.objects.count() + 1


def test_program_target_per_year_overrides_the_setting(client, leadership, settings, scenario):
    from missions.models import ProgramTarget

    settings.PROGRAM_TARGET_IKM = 200
    client.force_login(leadership)
    year = scenario.start_date.year
    assert (
        "<dt>Target IKM</dt><dd>200</dd>"
        in client.get(reverse("missions:dashboard"), {"year": year}).content.decode()
    )
    ProgramTarget.objects.create(year=year, target_ikm=250)
    body = client.get(reverse("missions:dashboard"), {"year": year}).content.decode()
    assert "<dt>Target IKM</dt><dd>250</dd>" in body
    assert "<dt>Capaian target (%)</dt><dd>0,8%</dd>" in body  # 2 / 250


def _grow(mission):
    def grow():
        for i in range(3):
            business = BusinessFactory()
            p = make_participation(mission, business, S.ATTENDED)
            ContactLog.objects.create(
                business=business, kind=ContactLog.Kind.MISSION_BRIEFING, subject="Pembekalan"
            )
            buyer = make_buyer(country=["US", "SG", "AE"][i])
            services.schedule_meeting(
                mission=mission,
                participation=p,
                buyer=buyer,
                start=at(mission.start_date, 14 + i),
                end=at(mission.start_date, 14 + i, 30),
            )
            make_deal(
                mission,
                business,
                amount="100",
                currency="SGD",
                rate="12000",
                destination=buyer.country,
                buyer=buyer,
                commodity=Commodity.objects.get(slug="gula-semut"),
            )
            make_deal(
                mission, business, amount="200", kind=K.POTENTIAL, currency="USD", rate="16000"
            )
        other = make_mission(status=TradeMission.Status.COMPLETED)
        make_deal(other, BusinessFactory(), amount="5", currency="USD", rate="16000")

    return grow


def test_report_query_count_is_fixed(client, coordinator, scenario, settings, session_query):
    settings.REPORT_CACHE_SECONDS = 0  # the computation itself (test_report_cache.py: the cache)
    client.force_login(coordinator)
    url = reverse("missions:report", args=[scenario.slug])
    assert assert_fixed_queries(client, url, _grow(scenario)) == 10 + session_query


def test_dashboard_query_count_is_fixed(
    client, coordinator, scenario, settings, session_query, django_capture_on_commit_callbacks
):
    settings.REPORT_CACHE_SECONDS = 0  # the computation itself (test_report_cache.py: the cache)
    client.force_login(coordinator)
    url = reverse("missions:dashboard")
    grow = _grow(scenario)

    def grow_and_commit():
        # The rollup is summed again after the writes' commit, as in production.
        with django_capture_on_commit_callbacks(execute=True):
            grow()

    # Two of them find the exporters and first-time exporters (reports._exporters); one
    # asks whether a write awaits the rollup and one reads the rollup's rows for every
    # money figure and table (missions/rollup.py); three count the IKM reached by
    # pembinaan (reports.pembinaan_table).
    assert assert_fixed_queries(client, url, grow_and_commit) == 15 + session_query
    assert count_queries(client, reverse("missions:dashboard_xlsx")) == 14 + session_query


def test_dashboard_counts_ikm_reached_by_pembinaan_per_quarter_and_kind(client, leadership):
    a, b = BusinessFactory(), BusinessFactory()
    day = datetime.date(2026, 2, 10)
    for business, kind in ((a, "visit"), (a, "visit"), (a, "training"), (b, "training")):
        ContactLog.objects.create(business=business, kind=kind, subject="x", date=day)
    ContactLog.objects.create(business=b, kind="call", subject="x", date=datetime.date(2026, 8, 1))
    report = reports.program_dashboard(year=2026)
    figures = {str(f.label): f.value for f in report.figures}
    assert figures["IKM dibina (pembinaan)"] == 2
    (table,) = [t for t in report.tables if t.key == "Pembinaan"]
    header = [str(c.label) for c in table.columns]
    q1, q3 = table.rows
    assert q1[0] == "2026 T1" and q3[0] == "2026 T3"
    assert q1[header.index("kunjungan")] == 1  # a visited twice: one IKM
    assert q1[header.index("pelatihan")] == 2
    assert q1[header.index("Semua jenis")] == 2 and q3[header.index("telepon")] == 1
    assert table.total[-1] == 2
    # Pimpinan reads it on the dashboard page.
    client.force_login(leadership)
    page = client.get(reverse("missions:dashboard") + "?year=2026").content.decode()
    assert "IKM yang dibina per triwulan dan jenis kontak" in page
