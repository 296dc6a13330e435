"""The dashboard's rollup (missions/rollup.py) stays equal to the deals through every
write path: after each write below, the dashboard's sums for every combination of its
filters (year, scope, commodity, size class) equal a recomputation from the deals with
reports.grouped_sums (itself checked against deal_sums(), test_report_passes.py), to the
cent, group by group.

The writes: the services (record, owner report, staff confirmation, the parties'
answers, realisations), the admin (a deal's change form, the confirm action, a mission's
status action, a business's change form), bulk QuerySet.update() and deletes (single,
bulk, a mission's deals before the mission), a deal's currency and rate, a deal moved to another
year or mission, a mission's scope and draft status, a business's size class and desa,
and a business import. Each runs its commit's callbacks as production does, and the
check first requires that they left nothing for the reader to sum.
"""

import datetime
import itertools
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.db.models.functions import ExtractYear, TruncQuarter
from django.urls import reverse
from import_export.signals import post_import

from ikm_registry.models import Business, Commodity, Desa, ExportRecord
from missions import reports, rollup, services
from missions.models import (
    Deal,
    DealRollup,
    DealRollupDirty,
    PartyAnswer,
    PartyConfirmation,
    TradeMission,
)
from tests.factories import BusinessFactory
from tests.ikm_registry.test_verification import change_form_data
from tests.missions.conftest import make_buyer, make_deal, make_mission

pytestmark = pytest.mark.django_db

K = Deal.Kind
SPRING, AUTUMN, LAST_YEAR = (
    datetime.date(2026, 2, 10),
    datetime.date(2026, 10, 3),
    datetime.date(2025, 11, 20),
)


def _dashboard_filter(year, scope, commodity, size_class):
    """The deals the dashboard counts under its four filters, as it chose them before."""
    q = Q(status=Deal.Status.CONFIRMED) & ~Q(mission__status=TradeMission.Status.DRAFT)
    if year:
        q &= Q(date__year=year)
    if scope:
        q &= Q(mission__scope=scope)
    if commodity:
        q &= Q(commodity=commodity)
    if size_class:
        q &= Q(business__size_class_by_sales=size_class)
    return q


def _expected(year=None, scope="", commodity=None, size_class=""):
    """The dashboard's sums computed from the deals, as the dashboard did before the rollup."""
    q = _dashboard_filter(year, scope, commodity, size_class)
    deals = Deal.objects.filter(q)
    by_time, overall = reports.grouped_sums(
        deals, {"g_q": TruncQuarter("date")}, {"period": ("g_q",)}
    )
    by_trade, _ = reports.grouped_sums(
        deals,
        {"g_c": "commodity__name", "g_country": "destination_country"},
        {"commodity": ("g_c",), "country": ("g_country",)},
    )
    by_place, _ = reports.grouped_sums(
        deals,
        {"g_size": "business__size_class_by_sales", "g_kec": "business__desa__kecamatan__name"},
        {"size": ("g_size",), "kecamatan": ("g_kec",)},
    )
    period = {
        (start if isinstance(start, datetime.date) else start.date()): sums
        for start, sums in by_time["period"].items()
    }
    return {"period": period, **by_trade, **by_place}, overall


def _expected_exporters(year=None, scope="", commodity=None, size_class=""):
    """reports._exporters() as it was, from the deals themselves."""
    q = _dashboard_filter(year, scope, commodity, size_class)
    abroad = Deal.objects.confirmed().filter(kind__in=Deal.ACTUAL).exclude(destination_country="ID")
    first = {}
    for deal in abroad.select_related("mission"):
        first[deal.business_id] = min(first.get(deal.business_id, 9999), deal.date.year)
    exporters = set(abroad.filter(q).values_list("business_id", flat=True))
    records = {}
    for business_id, record_year in ExportRecord.objects.values_list("business_id", "year"):
        records[business_id] = min(records.get(business_id, 9999), record_year)
    first_time = sum(
        1 for b in exporters if (not year or first[b] == year) and records.get(b, 9999) >= first[b]
    )
    return {"exporters": len(exporters), "first_time": first_time}


COMBINATIONS_FILTERS = ("year", "scope", "commodity", "size_class")


def _combinations():
    """Every combination of the dashboard's filters over the test's data: 144 in the world."""
    years = [None, 2025, 2026]
    scopes = ["", *TradeMission.Scope.values]
    commodities = [None, *Commodity.objects.filter(mission_deals__isnull=False).distinct()]
    sizes = ["", "mikro", "kecil", "menengah"]
    for combination in itertools.product(years, scopes, commodities, sizes):
        yield dict(zip(COMBINATIONS_FILTERS, combination, strict=True))


def _add(into, sums):
    for key, value in sums.items():
        into[key] += value


class Reference:
    """The dashboard's sums and exporters for any filters, from ONE pass over the deals.

    reports.grouped_sums() (the reference passes, checked against deal_sums() in
    test_report_passes.py) groups the counted deals by every dimension a filter or a table
    names; each filter's figures add the groups it keeps. test_the_reference_is_the_former_
    computation checks this against _expected() (one recomputation per filter) for every
    combination."""

    def __init__(self):
        deals = Deal.objects.filter(
            Q(status=Deal.Status.CONFIRMED) & ~Q(mission__status=TradeMission.Status.DRAFT)
        )
        dims = {
            "g_year": ExtractYear("date"),
            "g_q": TruncQuarter("date"),
            "g_scope": "mission__scope",
            "g_cid": "commodity_id",
            "g_c": "commodity__name",
            "g_size": "business__size_class_by_sales",
            "g_country": "destination_country",
            "g_kec": "business__desa__kecamatan__name",
        }
        tables, _ = reports.grouped_sums(deals, dims, {"rows": tuple(dims)})
        self.rows = tables["rows"]
        abroad = Deal.objects.confirmed().filter(kind__in=Deal.ACTUAL)
        self.abroad = list(
            abroad.exclude(destination_country="ID").values_list(
                "business_id",
                "date__year",
                "mission__scope",
                "commodity_id",
                "business__size_class_by_sales",
                "mission__status",
            )
        )
        self.records = {}
        for business_id, record_year in ExportRecord.objects.values_list("business_id", "year"):
            self.records[business_id] = min(self.records.get(business_id, 9999), record_year)

    def sums(self, year=None, scope="", commodity=None, size_class=""):
        groups = {k: {} for k in ("period", "commodity", "country", "size", "kecamatan")}
        overall = reports.empty_sums()
        for (y, quarter, s, cid, name, size, country, kec), sums in self.rows.items():
            if (year and y != year) or (scope and s != scope):
                continue
            if (commodity and cid != commodity.pk) or (size_class and size != size_class):
                continue
            start = quarter.date() if isinstance(quarter, datetime.datetime) else quarter
            for table, group in (
                ("period", start),
                ("commodity", name),
                ("country", country),
                ("size", size),
                ("kecamatan", kec),
            ):
                _add(groups[table].setdefault(group, reports.empty_sums()), sums)
            _add(overall, sums)
        return groups, overall

    def exporters(self, year=None, scope="", commodity=None, size_class=""):
        first, exporters = {}, set()
        for business_id, y, s, cid, size, status in self.abroad:
            first[business_id] = min(first.get(business_id, 9999), y)
            if status == TradeMission.Status.DRAFT:
                continue
            if (year and y != year) or (scope and s != scope):
                continue
            if (commodity and cid != commodity.pk) or (size_class and size != size_class):
                continue
            exporters.add(business_id)
        first_time = sum(
            1
            for b in exporters
            if (not year or first[b] == year) and self.records.get(b, 9999) >= first[b]
        )
        return {"exporters": len(exporters), "first_time": first_time}


def run_queued_resums():
    """What `manage.py db_worker` does with the queued re-sums; how many ran."""
    backend = rollup.resum_dirty.get_backend()
    if not backend.supports_defer:
        return 0
    queued = [r for r in backend.results if r.task.name == rollup.resum_dirty.name]
    for result in queued:
        rollup.resum_dirty.call(*result.args, **result.kwargs)
    backend.clear()
    return len(queued)


# The reference of the last check (or of the world as built): the combinations whose
# expected figures a write changed are those it can have left wrong.
_last = {}


def check(*, committed=True, every=False):
    """The rollup-fed sums equal the recomputation, group by group, for every combination
    of filters the write changed (its expected figures differ from the last check's) and
    for each year and scope unfiltered by commodity and class; `every`: for all of them.

    committed: the write's commit ran its callbacks, which queued the re-sum for a worker
    (the tests' backend defers, as TASKS_BACKEND=database does); the worker runs it here.
    Otherwise the reader sums what the write left. Returns how many combinations with
    deals were compared."""
    if committed:
        marked = DealRollupDirty.objects.exists()
        queued = run_queued_resums()
        assert queued <= 1 and (queued or not marked), "commits that mark queue one re-sum"
        assert not DealRollupDirty.objects.exists(), "the re-sum left slices unsummed"
    else:
        reports.program_dashboard()  # the reader sums what the commit left
        assert not DealRollupDirty.objects.exists()
    reference, last = Reference(), _last.get("reference")
    compared = 0
    for filters in _combinations():
        expected = reference.sums(**filters), reference.exporters(**filters)
        unfiltered = filters["commodity"] is None and not filters["size_class"]
        if not (every or unfiltered or last is None):
            if expected == (last.sums(**filters), last.exporters(**filters)):
                continue  # the write changed none of these figures
        groups, overall = rollup.dashboard_groups(**filters)
        assert overall == expected[0][1], filters
        assert groups == expected[0][0], filters
        assert reports._exporters(**filters) == expected[1], filters
        compared += bool(overall["n"])
    _last["reference"] = reference
    return compared


@pytest.fixture(autouse=True)
def deferring_tasks(settings):
    """A backend that queues for a worker, as in production (TASKS_BACKEND=database)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    cache.delete(rollup.QUEUED)
    yield
    rollup.resum_dirty.get_backend().clear()


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    rotan = Commodity.objects.get(slug="kerajinan-rotan")
    mede = Commodity.objects.get(slug="kacang-mede")
    small = BusinessFactory(annual_sales=Decimal("1000000000"))  # mikro
    larger = BusinessFactory(annual_sales=Decimal("5000000000"))  # kecil
    abroad = make_mission(start_date=SPRING)
    local = make_mission(start_date=LAST_YEAR, scope=TradeMission.Scope.JABODETABEK)
    with django_capture_on_commit_callbacks(execute=True):
        make_deal(abroad, small, amount="1250000.55", commodity=rotan, destination="KR")
        make_deal(abroad, larger, amount="310.33", currency="USD", rate="16010.5", commodity=mede)
        over = make_deal(abroad, small, amount="5000000.10", kind=K.POTENTIAL, destination="JP")
        make_deal(abroad, small, amount="7000000.25", kind=K.REALISED, realises=over, date=AUTUMN)
        partly = make_deal(local, larger, amount="9000000.99", kind=K.POTENTIAL, commodity=mede)
        make_deal(local, larger, amount="2500000.01", kind=K.REALISED, realises=partly, date=SPRING)
        make_deal(local, small, amount="999999", status=Deal.Status.REPORTED, destination="ID")
        make_deal(local, small, amount="4000000", destination="ID", commodity=mede)
        # An export record older than its first deal abroad: an exporter, not a first-timer.
        ExportRecord.objects.create(business=small, country="SG", year=2020)
    run_queued_resums()
    _last["reference"] = Reference()  # test_the_seeded_world_... compares it all
    return {
        "rotan": rotan,
        "mede": mede,
        "small": small,
        "larger": larger,
        "abroad": abroad,
        "local": local,
        "over": over,
        "partly": partly,
    }


def test_the_seeded_world_is_summed_and_reaches_every_figure(world):
    assert check(every=True) > 20
    # The one-pass reference is the former computation, one pass per filter.
    reference = Reference()
    for filters in _combinations():
        assert reference.sums(**filters) == _expected(**filters), filters
        assert reference.exporters(**filters) == _expected_exporters(**filters), filters
    overall = rollup.dashboard_groups()[1]
    assert overall["n_over"] == 1 and overall["open_idr"] and overall["over_idr"]
    assert DealRollup.objects.filter(variant=3).exists()
    assert reports._exporters() == {"exporters": 2, "first_time": 1}


def test_services_staff_record_owner_report_confirm_and_answers(
    world, owner, coordinator, client, django_capture_on_commit_callbacks
):
    run = django_capture_on_commit_callbacks
    buyer = make_buyer(country="DE")
    with run(execute=True):
        recorded = services.record_deal(
            recorded_by=coordinator,
            confirmed=True,
            mission=world["abroad"],
            business=world["larger"],
            buyer=buyer,
            commodity=world["rotan"],
            kind=K.ON_THE_SPOT,
            amount=Decimal("1500.50"),
            currency="EUR",
            rate_to_idr=Decimal("17500"),
            usd_rate=Decimal("16000"),
            destination_country="DE",
            date=AUTUMN,
        )
    check()
    # An owner's report counts for nothing until staff confirm it (the admin's action).
    world["small"].owner = owner
    world["small"].save()
    reported = Deal(
        mission=world["local"],
        business=world["small"],
        buyer_name="Toko Uji",
        commodity=world["rotan"],
        kind=K.ON_THE_SPOT,
        amount=Decimal("750000"),
        currency="IDR",
        rate_to_idr=Decimal(1),
        usd_rate=Decimal("16000"),
        destination_country="ID",
        date=LAST_YEAR,
    )
    with run(execute=True):
        services.report_deal_by_owner(deal=reported, owner=owner)
    check()
    client.force_login(coordinator)
    with run(execute=True):
        client.post(
            reverse("admin:missions_deal_changelist"),
            {"action": "confirm", "_selected_action": [reported.pk]},
        )
    reported.refresh_from_db()
    assert reported.status == Deal.Status.CONFIRMED
    check()
    # The parties' answers through their links: both confirm, then one disputes.
    links = PartyConfirmation.objects.filter(deal=recorded)
    with run(execute=True):
        services.answer_party(
            confirmation=links.get(side=PartyConfirmation.Side.BUYER),
            answer=PartyAnswer.CONFIRMED,
        )
    with run(execute=True):
        services.answer_party(
            confirmation=links.get(side=PartyConfirmation.Side.IKM),
            answer=PartyAnswer.CONFIRMED,
        )
    run_queued_resums()
    assert rollup.dashboard_groups()[1]["actual_idr_both"] > 0
    check()
    with run(execute=True):  # asked again (changed facts clear the answers), then disputed
        services.ask_parties(deal=recorded, facts_changed=True)
    check()
    with run(execute=True):
        services.answer_party(
            confirmation=links.filter(side=PartyConfirmation.Side.BUYER).latest("pk"),
            answer=PartyAnswer.DISPUTED,
            comment="salah",
        )
    run_queued_resums()
    assert rollup.dashboard_groups()[1]["n_disputed"] == 1
    check()


def test_realisations_added_changed_and_deleted_one_by_one_and_in_bulk(
    world, django_capture_on_commit_callbacks
):
    run = django_capture_on_commit_callbacks
    with run(execute=True):
        later = make_deal(
            world["abroad"],
            world["small"],
            amount="1000000",
            kind=K.REALISED,
            realises=world["over"],
            date=datetime.date(2026, 12, 30),
        )
    check()
    with run(execute=True):
        later.amount = Decimal("300000.40")
        later.save()
    check()
    with run(execute=True):
        later.delete()
    check()
    with run(execute=True):
        Deal.objects.filter(kind=K.REALISED).delete()  # a bulk delete (the admin's action)
    run_queued_resums()
    assert rollup.dashboard_groups()[1]["realised_idr"] == 0
    check()


def test_bulk_updates_of_answers_values_dates_and_missions(
    world, django_capture_on_commit_callbacks
):
    run = django_capture_on_commit_callbacks
    with run(execute=True):
        Deal.objects.filter(kind=K.POTENTIAL).update(
            buyer_answer=PartyAnswer.CONFIRMED, ikm_answer=PartyAnswer.CONFIRMED
        )
    check()
    with run(execute=True):
        Deal.objects.filter(currency="USD").update(value_usd=None)
    check()
    with run(execute=True):  # alone into a slice none of the updated deals counts in
        Deal.objects.filter(amount=Decimal("4000000")).update(date=SPRING)  # 2025 -> 2026
    check()
    with run(execute=True):  # Jabodetabek -> the other mission's scope, alone
        Deal.objects.filter(amount=Decimal("4000000")).update(mission=world["abroad"])
    check()
    with run(execute=True):
        Deal.objects.filter(mission=world["local"]).update(date=AUTUMN)  # 2025 -> 2026
    check()
    with run(execute=True):
        Deal.objects.filter(business=world["larger"]).update(mission=world["abroad"])
    check()
    with run(execute=True):
        Deal.objects.filter(kind=K.ON_THE_SPOT).update(status=Deal.Status.REPORTED)
    check()


def test_a_deal_moved_to_another_year_mission_and_currency_by_save(
    world, django_capture_on_commit_callbacks
):
    run = django_capture_on_commit_callbacks
    deal = Deal.objects.get(amount=Decimal("4000000"))
    with run(execute=True):
        deal.date = SPRING
        deal.save()
    check()
    with run(execute=True):
        deal.mission = world["abroad"]
        deal.currency, deal.rate_to_idr, deal.usd_rate = "JPY", Decimal("106.5"), Decimal(16000)
        deal.save()
    check()
    with run(execute=True):
        deal.commodity = world["rotan"]
        deal.destination_country = "SG"
        deal.save(update_fields=["commodity", "destination_country"])
    check()


def test_the_admin_change_form_of_a_deal(
    world, client, coordinator, django_capture_on_commit_callbacks
):
    deal = Deal.objects.get(amount=Decimal("1250000.55"))
    client.force_login(coordinator)
    url = reverse("admin:missions_deal_change", args=[deal.pk])
    data = change_form_data(client.get(url))
    data.update(amount="2500000.75", date="2025-06-01", rate_date="2025-06-01")
    data["destination_country"] = deal.destination_country.code  # a Country, not a file
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    deal.refresh_from_db()
    assert deal.amount == Decimal("2500000.75") and deal.date.year == 2025
    check()


def test_missions_scope_draft_status_and_deletion(
    world, client, coordinator, django_capture_on_commit_callbacks
):
    run = django_capture_on_commit_callbacks
    local = TradeMission.objects.get(pk=world["local"].pk)
    with run(execute=True):
        local.scope = TradeMission.Scope.NATIONAL
        local.save()
    check()
    with run(execute=True):
        TradeMission.objects.filter(pk=local.pk).update(status=TradeMission.Status.DRAFT)
        # update() sends no signal: a bulk change of missions must be followed by a rebuild
        rollup.everything_changed()
    check()
    draft = make_mission(status=TradeMission.Status.DRAFT, start_date=SPRING)
    with run(execute=True):
        make_deal(draft, world["small"], amount="123456.78")
    check()
    client.force_login(coordinator)
    with run(execute=True):  # the admin's status action publishes it
        client.post(
            reverse("admin:missions_trademission_changelist"),
            {"action": "to_open", "_selected_action": [draft.pk]},
        )
    draft.refresh_from_db()
    assert draft.status == TradeMission.Status.OPEN
    check()
    with run(execute=True):  # a mission's deals protect it: they go first
        Deal.objects.filter(mission=world["abroad"], realises__isnull=False).delete()
        Deal.objects.filter(mission=world["abroad"]).delete()
        TradeMission.objects.get(pk=world["abroad"].pk).delete()
    check()


def test_a_business_size_class_and_desa(
    world, client, superuser, django_capture_on_commit_callbacks
):
    run = django_capture_on_commit_callbacks
    small = Business.objects.get(pk=world["small"].pk)
    with run(execute=True):
        small.annual_sales = Decimal("20000000000")  # menengah
        small.save()
    assert small.size_class_by_sales == "menengah"
    check()
    elsewhere = Desa.objects.exclude(kecamatan=small.desa.kecamatan).first()
    with run(execute=True):
        small.desa = elsewhere
        small.save(update_fields=["desa"])
    check()
    # The admin's change form of a business.
    larger = world["larger"]
    client.force_login(superuser)
    url = reverse("admin:ikm_registry_business_change", args=[larger.pk])
    data = change_form_data(client.get(url))
    data["annual_sales"] = "100000000"
    with run(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Business.objects.get(pk=larger.pk).size_class_by_sales == "mikro"
    check()


def test_a_business_import_sums_everything_again(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        # The import writes businesses in bulk (no save), then sends post_import.
        Business.objects.filter(pk=world["small"].pk).update(size_class_by_sales="kecil")
        post_import.send(sender=None, model=Business)
    check()


def test_a_reader_sums_what_a_commit_left_and_the_command_checks(world, capsys):
    # No commit callbacks here (the test's transaction never commits): the marks stay and
    # the dashboard sums them before reading.
    make_deal(world["local"], world["larger"], amount="42.42", date=AUTUMN)
    assert DealRollupDirty.objects.exists()
    check(committed=False)
    assert not DealRollupDirty.objects.exists()
    call_command("rebuild_deal_rollup", "--check")
    assert "rollup matches the deals" in capsys.readouterr().out
    DealRollup.objects.filter(grain=DealRollup.Grain.QUARTER).update(n=99)
    with pytest.raises(CommandError, match="differs"):
        call_command("rebuild_deal_rollup", "--check")
    call_command("rebuild_deal_rollup")
    check()


def test_the_dashboard_page_shows_the_rollup(world, client, coordinator, settings):
    settings.REPORT_CACHE_SECONDS = 0
    client.force_login(coordinator)
    body = client.get(reverse("missions:dashboard"), {"year": 2026}).content.decode()
    rupiah = _expected(year=2026)[1]["actual_idr"].quantize(Decimal(1), ROUND_HALF_UP)
    assert rupiah > 1000
    assert "Rp" + f"{rupiah:,}".replace(",", ".") in body


def test_seed_scale_fills_the_rollup(db):
    from tests.portal.test_seed_scale import seed

    seed()  # bulk_create saves no deal: seed_scale sums the rollup once at the end
    assert not DealRollupDirty.objects.exists()
    assert DealRollup.objects.exists()
    stored = rollup.snapshot()
    rollup.rebuild()
    assert rollup.snapshot() == stored
    assert rollup.dashboard_groups()[1] == _expected()[1]


def test_seed_demo_fills_the_rollup(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())  # through the services: each write marks
    assert run_queued_resums() == 1  # one re-sum queued for all of them
    assert rollup.dashboard_groups()[1] == _expected()[1]
    assert rollup.dashboard_groups()[1]["n"] > 5
    assert reports._exporters() == _expected_exporters()
