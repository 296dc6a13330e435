"""The reports' grouped passes (reports.grouped_sums) give exactly what one filtered
aggregate per group gives (reports.deal_sums, the reference definition of every money
figure): the same counts and the same rupiah and dollar sums as Decimal, for the overall
figures and for every group, with parties' answers, disputes, over-realisation, missing
US$ values and cents in the data."""

import datetime

import pytest

from ikm_registry.models import Business, Commodity
from missions import reports
from missions.models import Deal, PartyAnswer
from tests.factories import BusinessFactory
from tests.missions.conftest import make_deal

K = Deal.Kind
C = PartyAnswer


def _reference(deals):
    """deal_sums() over `deals`, each money sum to the cent (as the reports show them)."""
    sums = reports.with_realised(deals).aggregate(**reports.deal_sums())
    return {k: v if k.startswith("n") else reports._d(v) for k, v in sums.items()}


@pytest.fixture
def varied(mission):
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    mede = Commodity.objects.get(slug="kacang-mede")
    small, larger = BusinessFactory(), BusinessFactory()
    # Stored as the registry's services would (save() derives it from the sales).
    Business.objects.filter(pk=small.pk).update(size_class_by_sales="mikro")
    Business.objects.filter(pk=larger.pk).update(size_class_by_sales="kecil")
    spring, autumn = datetime.date(2026, 2, 10), datetime.date(2026, 10, 3)

    def deal(business, amount, kind=K.ON_THE_SPOT, **kw):
        return make_deal(mission, business, amount=amount, kind=kind, **kw)

    deal(small, "1250000.55", commodity=rotan, date=spring, destination="KR")
    spot_usd = deal(larger, "310.33", currency="USD", rate="16010.5", commodity=mede, date=autumn)
    over = deal(small, "5000000.10", K.POTENTIAL, commodity=rotan, date=spring, destination="JP")
    deal(small, "7000000.25", K.REALISED, realises=over, commodity=rotan, date=autumn)
    partly = deal(larger, "9000000.99", K.POTENTIAL, commodity=mede, date=autumn)
    deal(larger, "2500000.01", K.REALISED, realises=partly, commodity=mede, date=autumn)
    untouched = deal(larger, "4000000", K.POTENTIAL, commodity=rotan, date=spring)
    deal(small, "999999", status=Deal.Status.REPORTED, commodity=rotan, date=spring)
    no_usd = deal(small, "1234567.89", commodity=mede, date=autumn, destination="JP")
    # Answers: both parties confirmed, one disputed, one confirmed by the buyer only.
    Deal.objects.filter(pk__in=[spot_usd.pk, partly.pk]).update(
        buyer_answer=C.CONFIRMED, ikm_answer=C.CONFIRMED
    )
    Deal.objects.filter(pk=untouched.pk).update(ikm_answer=C.DISPUTED)
    Deal.objects.filter(pk=over.pk).update(buyer_answer=C.CONFIRMED)
    Deal.objects.filter(pk=no_usd.pk).update(value_usd=None)
    return mission


def test_one_pass_gives_the_overall_sums_and_each_groups_sums(varied):
    deals = Deal.objects.confirmed().filter(mission=varied)
    groups, overall = reports.grouped_sums(
        deals,
        {"g_c": "commodity__name", "g_country": "destination_country"},
        {"commodity": ("g_c",), "pair": ("g_c", "g_country")},
    )
    reference = _reference(deals)
    assert overall == reference
    # The data reach every branch: a figure left out of the fold would show here.
    assert reference["n"] == 8 and reference["n_disputed"] == 1 and reference["n_over"] == 1
    assert reference["open_idr_both"] and reference["over_idr"] and reference["spot_usd_both"]
    assert len(groups["commodity"]) == 2
    for name, sums in groups["commodity"].items():
        assert sums == _reference(deals.filter(commodity__name=name)), name
    assert len(groups["pair"]) == 4
    for (name, country), sums in groups["pair"].items():
        expected = _reference(deals.filter(commodity__name=name, destination_country=country))
        assert sums == expected, (name, country)


def test_dashboard_tables_equal_one_aggregate_per_group(varied):
    report = reports.program_dashboard()
    deals = Deal.objects.confirmed()
    tables = {t.key: t for t in report.tables}

    def cells(sums):
        return reports._program_cells(sums)

    period = {row[0]: row[1:] for row in tables["Per triwulan"].rows}
    assert period == {
        "2026 T1": cells(_reference(deals.filter(date__quarter=1))),
        "2026 T4": cells(_reference(deals.filter(date__quarter=4))),
    }
    size = {row[0]: row[1:] for row in tables["Per kelas usaha"].rows}
    assert size == {
        reports._size_class_label(code): cells(
            _reference(deals.filter(business__size_class_by_sales=code))
        )
        for code in ("mikro", "kecil")
    }
    total = cells(_reference(deals))
    for table in tables.values():
        if table.key != "Pembinaan":
            assert table.total[1:] == total, table.key
            # Every money column's rows add up to its total, to the cent (not the rate).
            for i in range(1, len(total)):
                assert sum(row[i] for row in table.rows) == table.total[i], (table.key, i)
    figures = {f.label: f.value for f in report.figures}
    assert figures["Nilai transaksi (Rp)"] == _reference(deals)["actual_idr"]


def test_mission_report_tables_equal_one_aggregate_per_group(varied):
    report = reports.mission_report(varied)
    deals = Deal.objects.confirmed().filter(mission=varied)
    per_ikm = {row[0]: row[1:] for row in next(t for t in report.tables if t.key == "Per IKM").rows}
    for name, cells in per_ikm.items():
        sums = _reference(deals.filter(business__name=name))
        assert cells == [sums["n"], *reports._money_cells(sums)], name
    assert len(per_ikm) == 2
    kinds = next(t for t in report.tables if t.key == "Jenis transaksi")
    assert kinds.rows == reports.deals_by_kind_table(_reference(deals)).rows
