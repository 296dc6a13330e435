"""A mission report built by hand: every total on the page, in the XLSX and on paper."""

from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from openpyxl import load_workbook

from ikm_registry.models import Commodity
from missions import services
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


@pytest.fixture
def scenario(db, owner, other_owner):
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    mede = Commodity.objects.get(slug="kacang-mede")
    mission = make_mission(
        title="Temu Bisnis Uji", slug="temu-bisnis-uji", status=TradeMission.Status.REPORTED
    )
    a = BusinessFactory(owner=owner, name="Alpha Rotan")
    b = BusinessFactory(owner=other_owner, name="Beta Mede")
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
    make_deal(
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
        b,
        amount="5000000",
        currency="IDR",
        usd_rate="16000",
        commodity=mede,
        destination="ID",
    )
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


# Worked out by hand (see the scenario above; every dollar value at the deal's own rate):
# spot      16,000,000.00 (US$1,000.00) + 5,000,000.00 (5,000,000/16,000 = US$312.50)
# potential 35,000,000.00 (2,000 x 17,500; /16,000 = US$2,187.50)
#         + 106,500,000.00 (1,000,000 x 106.5; /16,000 = US$6,656.25)
# realised  14,080,000.00 (800 x 17,600; /16,100 = 874.534… → US$874.53), realising the EUR one
EXPECTED = {
    "IKM peserta (diterima/hadir)": 2,
    "IKM hadir": 2,
    "Pembeli": 3,
    "Pertemuan bisnis": 4,
    "Transaksi terkonfirmasi": 5,
    "Nilai transaksi (Rp)": D("35080000.00"),
    "Nilai transaksi (US$)": D("2187.03"),
    "Potensi belum terealisasi (Rp)": D("106500000.00"),
    "Potensi belum terealisasi (US$)": D("6656.25"),
    "Konversi pertemuan ke transaksi (%)": D("50.0"),  # m1 and m3 of 4
    "Realisasi potensi (%)": D("10.0"),  # 14,080,000 / 141,500,000 = 9.9505…%
    "Transaksi menunggu konfirmasi": 1,
}
FORMATTED = {
    "Nilai transaksi (Rp)": "Rp35.080.000",
    "Nilai transaksi (US$)": "US$2.187,03",
    "Potensi belum terealisasi (Rp)": "Rp106.500.000",
    "Potensi belum terealisasi (US$)": "US$6.656,25",
    "Konversi pertemuan ke transaksi (%)": "50,0%",
    "Realisasi potensi (%)": "10,0%",
    "Pembeli": "3",
    "Transaksi terkonfirmasi": "5",
}


def expected_tables():
    return {
        "Transaksi menurut jenis": [
            ["Jenis", "Rp", "US$"],
            ["transaksi langsung", rupiah(D("21000000")), usd("1312.50")],
            ["potensi transaksi", rupiah(D("141500000")), usd("8843.75")],
            ["realisasi", rupiah(D("14080000")), usd("874.53")],
            ["Nilai transaksi (langsung + realisasi)", rupiah(D("35080000")), usd("2187.03")],
            ["Potensi belum terealisasi", rupiah(D("106500000")), usd("6656.25")],
            ["Total tanpa hitung ganda", rupiah(D("141580000")), usd("8843.28")],
        ],
        "Transaksi per negara tujuan": {
            country("JP"): [
                "1",
                "Rp0",
                usd("0"),
                rupiah(D("106500000")),
                usd("6656.25"),
                rupiah(D("106500000")),
                usd("6656.25"),
            ],
            country("KR"): [
                "1",
                rupiah(D("16000000")),
                usd("1000"),
                "Rp0",
                usd("0"),
                rupiah(D("16000000")),
                usd("1000"),
            ],
            country("DE"): [
                "2",
                rupiah(D("14080000")),
                usd("874.53"),
                "Rp0",
                usd("0"),
                rupiah(D("14080000")),
                usd("874.53"),
            ],
            country("ID"): [
                "1",
                rupiah(D("5000000")),
                usd("312.50"),
                "Rp0",
                usd("0"),
                rupiah(D("5000000")),
                usd("312.50"),
            ],
            "Jumlah": [
                "5",
                rupiah(D("35080000")),
                usd("2187.03"),
                rupiah(D("106500000")),
                usd("6656.25"),
                rupiah(D("141580000")),
                usd("8843.28"),
            ],
        },
        "Transaksi per IKM": {
            "Alpha Rotan": [
                "3",
                rupiah(D("30080000")),
                usd("1874.53"),
                "Rp0",
                usd("0"),
                rupiah(D("30080000")),
                usd("1874.53"),
            ],
            "Beta Mede": [
                "2",
                rupiah(D("5000000")),
                usd("312.50"),
                rupiah(D("106500000")),
                usd("6656.25"),
                rupiah(D("111500000")),
                usd("6968.75"),
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
        r[0]: (D(str(r[1])), D(str(r[2])))
        for r in wb["Jenis transaksi"].iter_rows(min_row=3, values_only=True)
    }
    assert kinds["transaksi langsung"] == (D("21000000"), D("1312.50"))
    assert kinds["potensi transaksi"] == (D("141500000"), D("8843.75"))
    assert kinds["realisasi"] == (D("14080000"), D("874.53"))
    assert kinds["Total tanpa hitung ganda"] == (D("141580000"), D("8843.28"))
    by_ikm = {
        r[0]: [D(str(v)) for v in r[1:]]
        for r in wb["Per IKM"].iter_rows(min_row=3, values_only=True)
    }
    assert by_ikm["Beta Mede"] == [
        D(2),
        D("5000000"),
        D("312.50"),
        D("106500000"),
        D("6656.25"),
        D("111500000"),
        D("6968.75"),
    ]
    by_country = {
        r[0]: D(str(r[6])) for r in wb["Per negara tujuan"].iter_rows(min_row=3, values_only=True)
    }
    assert by_country[country("DE")] == D("14080000")  # the realisation, not also its potential
    attendance = {r[0]: r[1] for r in wb["Kehadiran"].iter_rows(min_row=3, values_only=True)}
    assert attendance["mengundurkan diri"] == 1 and attendance["hadir"] == 2


def test_public_results_show_counts_and_values_but_no_contacts(client, scenario):
    body = client.get(reverse("missions:detail", args=[scenario.slug])).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp35.080.000</dd>" in body
    assert "<dt>Pembeli</dt><dd>3</dd>" in body
    for secret in ("Kim Rahasia", "kim.rahasia@buyer.example", "+821099998888", "Korea Importer"):
        assert secret not in body
    listing = client.get(reverse("missions:list")).content.decode()
    assert scenario.title in listing and "Kim Rahasia" not in listing


def test_dashboard_totals_match_the_scenario(client, leadership, scenario):
    client.force_login(leadership)
    body = client.get(reverse("missions:dashboard")).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp35.080.000</dd>" in body
    assert "<dt>Potensi transaksi (Rp)</dt><dd>Rp141.500.000</dd>" in body
    assert "<dt>IKM terlibat</dt><dd>2</dd>" in body
    # Alpha sold abroad (KR, DE). Beta sold at home; its only deal abroad is a potential.
    assert "<dt>IKM eksportir</dt><dd>1</dd>" in body
    assert "<dt>Eksportir pertama kali</dt><dd>1</dd>" in body
    assert "<svg" in body and 'class="bar-actual"' in body and "style=" not in body
    tables = parse(body)
    period = tables["Nilai transaksi per tahun dan triwulan"]
    assert period[-1][:2] == ["Jumlah", "Rp35.080.000"]
    commodity = {r[0]: r[1:] for r in tables["Transaksi per komoditas"][1:]}
    assert commodity["Kerajinan Rotan"] == [
        "Rp30.080.000",
        usd("1874.53"),
        "Rp35.000.000",
        usd("2187.50"),
        "Rp14.080.000",
        "40,2%",  # 14,080,000 / 35,000,000 = 40.23 %
    ]
    assert commodity["Kacang Mede"] == [
        "Rp5.000.000",
        usd("312.50"),
        "Rp106.500.000",
        usd("6656.25"),
        "Rp0",
        "0,0%",
    ]
    kecamatan = {r[0]: r[1:] for r in tables["Transaksi per kecamatan IKM"][1:]}
    assert kecamatan["Cikupa"][:3] == ["Rp35.080.000", usd("2187.03"), "Rp141.500.000"]
    wb = load_workbook(BytesIO(client.get(reverse("missions:dashboard_xlsx")).content))
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(min_row=5, values_only=True)}
    assert D(str(summary["Nilai transaksi (US$)"])) == D("2187.03")
    assert D(str(summary["Realisasi potensi (%)"])) == D("10.0")
    printed = client.get(reverse("missions:dashboard_print")).content.decode()
    assert "<dt>Nilai transaksi (US$)</dt><dd>US$2.187,03</dd>" in printed


def test_dashboard_filters_by_scope_and_commodity(client, leadership, scenario):
    client.force_login(leadership)
    mede = Commodity.objects.get(slug="kacang-mede")
    body = client.get(reverse("missions:dashboard"), {"commodity": mede.pk}).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp5.000.000</dd>" in body
    body = client.get(reverse("missions:dashboard"), {"scope": "jabodetabek"}).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp0</dd>" in body
    year = scenario.start_date.year
    body = client.get(reverse("missions:dashboard"), {"year": year}).content.decode()
    assert "<dt>Nilai transaksi (Rp)</dt><dd>Rp35.080.000</dd>" in body
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


def test_report_query_count_is_fixed(client, coordinator, scenario, settings):
    settings.REPORT_CACHE_SECONDS = 0  # the computation itself (test_report_cache.py: the cache)
    client.force_login(coordinator)
    url = reverse("missions:report", args=[scenario.slug])
    assert assert_fixed_queries(client, url, _grow(scenario)) == 13


def test_dashboard_query_count_is_fixed(client, coordinator, scenario, settings):
    settings.REPORT_CACHE_SECONDS = 0  # the computation itself (test_report_cache.py: the cache)
    client.force_login(coordinator)
    url = reverse("missions:dashboard")
    # Three of them find the exporters and first-time exporters (reports._exporters).
    assert assert_fixed_queries(client, url, _grow(scenario)) == 16
    assert count_queries(client, reverse("missions:dashboard_xlsx")) == 15
