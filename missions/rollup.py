"""The program dashboard's figures, summed ahead (DealRollup).

The dashboard sums staff-confirmed deals by quarter, commodity, size class, destination
country and kecamatan, under filters on the year, the scope, the commodity and the size
class. Summing 200,000 deals for a filter nobody asked for took over a second, so the
sums are kept here per slice (a mission scope and a deal year) and per group, computed
with reports.deal_sums(), the reference definition of every figure. The dashboard adds
the few hundred rows its filters name, to the cent the same figures
(tests/missions/test_rollup.py compares them with deal_sums() after every kind of write).

How the rows stay right (docs/figures.md says the same for the office):
- every write that can change a figure leaves a DealRollupDirty row in its own
  transaction: a deal's save (Deal.save) and delete (signal), QuerySet.update() on
  deals (DealQuerySet.update), a mission's change of scope or draft status, a business's
  change of size class or desa, a desa's change, a business import;
- after the commit, `resum_dirty` is queued once (a django.tasks task, as the reports'
  refresh_reports): a worker sums again the slices those rows name (1.2-2.1 s a slice at
  200,000 deals) and deletes the rows; the writer's request waits for none of it. With
  the immediate backend (no worker: quick start, tests) nothing runs at write time;
- a reader that finds a DealRollupDirty row left (a rebuild queued and not yet run, or
  no worker) rebuilds first, so the dashboard never shows sums older than the deals;
- `manage.py rebuild_deal_rollup` sums everything again (seed_scale calls it).
"""

import contextlib
import datetime
import threading
from collections import defaultdict

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Sum,
    When,
)
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.tasks import task

from missions.models import (
    ROLLUP_COUNTS,
    ROLLUP_MONEY,
    Deal,
    DealExporter,
    DealRollup,
    DealRollupDirty,
    TradeMission,
)

MEASURES = ROLLUP_COUNTS + ROLLUP_MONEY
G = DealRollup.Grain
CONFIRMED = Deal.Status.CONFIRMED
ALL_SCOPES = "*"
# pg_advisory_xact_lock's key: one rebuild at a time, so two never add the same slice twice.
LOCK_KEY = 26_0001
# Cache key set while a queued resum_dirty has not started: later commits queue no other
# (it reads the marks when it starts, theirs included). Expires in case it never runs.
QUEUED = "rollup-resum-queued"
QUEUED_SECONDS = 600

# Deal columns a figure depends on: an update() of other columns changes no sum.
DEAL_FIELDS = {
    "status",
    "kind",
    "amount",
    "currency",
    "rate_to_idr",
    "usd_rate",
    "value_idr",
    "value_usd",
    "realised_idr",
    "realised_usd",
    "buyer_answer",
    "ikm_answer",
    "date",
    "mission",
    "mission_id",
    "business",
    "business_id",
    "commodity",
    "commodity_id",
    "destination_country",
}


# --- Marking what a write changed -------------------------------------------------


def _year(value):
    return value.year if hasattr(value, "year") else int(str(value)[:4])


_state = threading.local()


@contextlib.contextmanager
def summed_at_the_end():
    """Bulk loads (seed_scale): no slice summed per write, every slice once at the end."""
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = False
    rebuild()


def _mark(rows):
    if rows and not getattr(_state, "paused", False):
        DealRollupDirty.objects.bulk_create(rows)
        # robust: a failed enqueue must not turn a committed write into an error page;
        # the dirty rows stay and the next reader rebuilds.
        transaction.on_commit(_enqueue, robust=True)


def _enqueue():
    """After a commit that left marks: queue one resum_dirty for a worker."""
    if not resum_dirty.get_backend().supports_defer:
        # No worker (TASKS_BACKEND=immediate): the rebuild would run inside the writer's
        # request; the next dashboard reader sums the marked slices first instead.
        return
    if cache.add(QUEUED, True, timeout=QUEUED_SECONDS):
        resum_dirty.enqueue()


@task()
def resum_dirty():
    """Sum again the slices the marks name, in a worker (queued after a write's commit)."""
    # Before reading the marks: a commit after this line queues its own run.
    cache.delete(QUEUED)
    return {"written": rebuild_dirty()}


def deal_changed(deal, old, update_fields=None):
    """After Deal.save(): `old` is (status, mission id, date) as stored before, or None."""
    if update_fields is not None and not DEAL_FIELDS.intersection(update_fields):
        return
    rows = []
    if old and old[0] == CONFIRMED:
        rows.append((old[1], _year(old[2])))
    if deal.status == CONFIRMED:
        rows.append((deal.mission_id, _year(deal.date)))
    _mark([DealRollupDirty(mission_id=m, year=y) for m, y in dict.fromkeys(rows)])


def deal_deleted(sender, instance, **kwargs):
    if instance.status == CONFIRMED:
        _mark([DealRollupDirty(mission_id=instance.mission_id, year=_year(instance.date))])


def deals_updating(deals, values):
    """Before DealQuerySet.update(**values): the slices the updated deals count in."""
    if not DEAL_FIELDS.intersection(values):
        return
    if "status" not in values:
        deals = deals.filter(status=CONFIRMED)
    slices = (
        deals.order_by()
        .annotate(r_year=ExtractYear("date"))
        .values_list("mission_id", "r_year")
        .distinct()
    )
    rows = [DealRollupDirty(mission_id=m, year=y) for m, y in slices]
    if rows and {"date", "mission", "mission_id"}.intersection(values):
        rows.append(DealRollupDirty(everything=True))  # the new slices are not known here
    _mark(rows)


def mission_saved(sender, instance, created, raw=False, **kwargs):
    """A mission's deals count under its scope, and not at all while it is a draft."""
    if raw or created:
        return
    loaded = getattr(instance, "rollup_loaded", None)
    now = (instance.scope, instance.status == TradeMission.Status.DRAFT)
    if loaded == now:
        return
    before = loaded[0] if loaded and loaded[0] else ALL_SCOPES
    _mark([DealRollupDirty(mission_id=instance.pk, scope=before)])
    instance.rollup_loaded = now


def business_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"size_class_by_sales", "annual_sales", "desa"} & set(
        update_fields
    ):
        return
    instance.rollup_before = (
        type(instance)
        .objects.filter(pk=instance.pk)
        .values_list("size_class_by_sales", "desa_id")
        .first()
    )


def business_saved(sender, instance, raw=False, **kwargs):
    """A business's size class and kecamatan are dimensions of its deals' sums."""
    before = instance.__dict__.pop("rollup_before", None)
    if raw or before is None or before == (instance.size_class_by_sales, instance.desa_id):
        return
    _mark([DealRollupDirty(business_id=instance.pk)])


def everything_changed(sender=None, raw=False, **kwargs):
    """A desa moved to another kecamatan, or businesses imported in bulk (their size
    class may have changed without a save): sum everything again."""
    if not raw:
        _mark([DealRollupDirty(everything=True)])


# --- Summing again ----------------------------------------------------------------------


def _lock():
    # SQLite lets one writer in at a time already; PostgreSQL needs the lock, or two
    # rebuilds of one slice could each delete the old rows and both insert theirs.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _slices(markers):
    """The (scope, year) slices the dirty rows name; None for every slice."""
    if any(m.everything for m in markers):
        return None
    all_scopes = set(TradeMission.Scope.values)
    mission_ids = {m.mission_id for m in markers if m.mission_id}
    scope_of = dict(TradeMission.objects.filter(pk__in=mission_ids).values_list("pk", "scope"))
    whole = {m.mission_id for m in markers if m.mission_id and m.year is None}
    years_of = defaultdict(set)
    if whole:
        for mission_id, year in (
            Deal.objects.filter(mission_id__in=whole)
            .order_by()
            .annotate(r_year=ExtractYear("date"))
            .values_list("mission_id", "r_year")
            .distinct()
        ):
            years_of[mission_id].add(year)
    slices = set()
    for m in markers:
        if not m.mission_id:
            continue
        if m.scope == ALL_SCOPES or m.mission_id not in scope_of:  # deleted: any scope
            scopes = all_scopes
        else:
            scopes = {scope_of[m.mission_id], *([m.scope] if m.scope else [])}
        years = {m.year} if m.year is not None else years_of[m.mission_id]
        slices |= {(s, y) for s in scopes for y in years}
    businesses = {m.business_id for m in markers if m.business_id}
    if businesses:
        slices |= set(
            Deal.objects.filter(business_id__in=businesses, status=CONFIRMED)
            .order_by()
            .annotate(r_year=ExtractYear("date"))
            .values_list("mission__scope", "r_year")
            .distinct()
        )
    return slices


def rebuild_dirty():
    """Sum again the slices the dirty rows name, and delete those rows. Returns how many
    rollup rows were written (0 when nothing was dirty)."""
    if not DealRollupDirty.objects.exists():
        return 0
    with transaction.atomic():
        _lock()
        # Read after the lock: a rebuild that held it has deleted the rows it summed.
        markers = list(DealRollupDirty.objects.all())
        if not markers:
            return 0
        written = _rebuild(_slices(markers))
        DealRollupDirty.objects.filter(pk__in=[m.pk for m in markers]).delete()
    return written


def rebuild(slices=None):
    """Sum the slices ({(scope, year)}) again from the deals; every slice when None."""
    with transaction.atomic():
        _lock()
        written = _rebuild(slices)
        if slices is None:
            DealRollupDirty.objects.all().delete()
    return written


def _rebuild(slices):
    stale = DealRollup.objects.all()
    stale_exporters = DealExporter.objects.all()
    confirmed = Deal.objects.confirmed()
    if slices is not None:
        if not slices:
            return 0
        years_by_scope = defaultdict(set)
        for scope, year in slices:
            years_by_scope[scope].add(year)
        in_rows, in_deals = Q(), Q()
        for scope, years in years_by_scope.items():
            in_rows |= Q(scope=scope, year__in=years)
            any_year = Q()
            for year in years:
                any_year |= Q(date__year=year)  # a date range: the deals' date index serves it
            in_deals |= Q(mission__scope=scope) & any_year
        stale, stale_exporters = stale.filter(in_rows), stale_exporters.filter(in_rows)
        confirmed = confirmed.filter(in_deals)
    stale.delete()
    stale_exporters.delete()
    rows = _rows(confirmed.exclude(mission__status=TradeMission.Status.DRAFT))
    DealRollup.objects.bulk_create(rows, batch_size=1000)
    exporters = _exporter_rows(confirmed)
    DealExporter.objects.bulk_create(exporters, batch_size=1000)
    return len(rows) + len(exporters)


def _exporter_rows(confirmed):
    """DealExporter rows: actual deals abroad per slice, commodity, class and business."""
    draft = ExpressionWrapper(Q(mission__status=TradeMission.Status.DRAFT), BooleanField())
    rows = (
        confirmed.filter(kind__in=Deal.ACTUAL)
        .exclude(destination_country="ID")
        .order_by()
        .values(
            "commodity_id",
            "business_id",
            g_scope=F("mission__scope"),
            g_year=ExtractYear("date"),
            g_size=F("business__size_class_by_sales"),
            g_draft=draft,
        )
        .annotate(g_n=Count("pk"))
    )
    return [
        DealExporter(
            scope=row["g_scope"],
            year=row["g_year"],
            commodity_id=row["commodity_id"],
            size_class=row["g_size"],
            business_id=row["business_id"],
            draft=row["g_draft"],
            n=row["g_n"],
        )
        for row in rows
    ]


def _rows(deals):
    """DealRollup rows for `deals`: three grouped passes of deal_sums(), each group added
    into its variants (the commodity and the size class each given, or "all")."""
    from missions.reports import _d, deal_sums, with_realised

    base = (
        with_realised(deals)
        .order_by()
        .annotate(
            g_scope=F("mission__scope"),
            g_year=ExtractYear("date"),
            g_commodity=F("commodity_id"),
            g_size=F("business__size_class_by_sales"),
        )
    )
    sums = deal_sums()
    passes = [
        ({"g_quarter": ExtractQuarter("date")}, (G.QUARTER, G.TOTAL)),
        ({"g_country": F("destination_country")}, (G.COUNTRY,)),
        ({"g_kec": F("business__desa__kecamatan_id")}, (G.KECAMATAN,)),
    ]
    out = {}
    n_counts = len(ROLLUP_COUNTS)
    for dims, grains in passes:
        rows = (
            base.annotate(**dims)
            .values("g_scope", "g_year", "g_commodity", "g_size", *dims)
            .annotate(**sums)
        )
        for row in rows:
            vector = [row[k] or 0 for k in ROLLUP_COUNTS] + [_d(row[k]) for k in ROLLUP_MONEY]
            for grain in grains:
                group = (
                    row.get("g_quarter") if grain == G.QUARTER else None,
                    row.get("g_country", ""),
                    row.get("g_kec"),
                )
                for commodity in (row["g_commodity"], None):
                    for size in (row["g_size"], None):
                        key = (row["g_scope"], row["g_year"], grain, commodity, size, *group)
                        if key in out:
                            out[key] = [a + b for a, b in zip(out[key], vector, strict=True)]
                        else:
                            out[key] = vector
    result = []
    for (scope, year, grain, commodity, size, quarter, country, kec), vector in out.items():
        values = dict(zip(MEASURES, vector, strict=True))
        for k in MEASURES[:n_counts]:
            values[k] = int(values[k])
        result.append(
            DealRollup(
                scope=scope,
                year=year,
                grain=grain,
                variant=variant(commodity is not None, size is not None),
                commodity_id=commodity,
                size_class=size,
                quarter=quarter,
                country=country or "",
                kecamatan_id=kec,
                **values,
            )
        )
    return result


def variant(commodity_given, size_given):
    """DealRollup.variant: 0 for every commodity and class, 1 for one commodity, 2 for
    one class, 3 for both."""
    return int(commodity_given) | 2 * int(size_given)


# --- Reading --------------------------------------------------------------------------


def dashboard_groups(*, year=None, scope="", commodity=None, size_class=""):
    """The dashboard's sums under its filters, from the rollup in one query:
    ({"period": {quarter start: sums}, "commodity": {name: sums}, "size": {class: sums},
    "country": {code: sums}, "kecamatan": {name: sums}}, overall sums), each sums dict
    with reports.deal_sums()'s keys, as grouped_sums() gives them. The caller sums what
    a commit left first (rebuild_dirty; program_dashboard does)."""
    from missions.reports import _d, empty_sums

    rows = DealRollup.objects.all()
    if year:
        rows = rows.filter(year=year)
    if scope:
        rows = rows.filter(scope=scope)
    given = Q()
    if commodity:
        given &= Q(commodity=commodity)
    if size_class:
        given &= Q(size_class=size_class)
    filtered = variant(bool(commodity), bool(size_class))
    rows = (
        rows.filter(
            # The filters' own variant for the grouped tables and the overall figures; the
            # tables per commodity and per size class need each commodity, each class.
            Q(variant=filtered, grain__in=[G.QUARTER, G.COUNTRY, G.KECAMATAN])
            | Q(variant__in={filtered | 1, filtered | 2}, grain=G.TOTAL)
        )
        .filter(given)
        .order_by()
        .annotate(r_year=Case(When(grain=G.QUARTER, then=F("year")), output_field=IntegerField()))
        .values(
            "grain",
            "r_year",
            "quarter",
            "commodity_id",
            "commodity__name",
            "size_class",
            "country",
            "kecamatan__name",
        )
        .annotate(**{f"s_{k}": Sum(k) for k in MEASURES})
    )
    commodity_pk = commodity.pk if commodity else None
    size = size_class or None
    groups = {key: {} for key in ("period", "commodity", "size", "country", "kecamatan")}
    overall = empty_sums()
    for row in rows:
        sums = {k: row[f"s_{k}"] or 0 for k in ROLLUP_COUNTS}
        sums.update({k: _d(row[f"s_{k}"]) for k in ROLLUP_MONEY})
        grain = row["grain"]
        if grain == G.QUARTER:
            start = datetime.date(row["r_year"], 3 * row["quarter"] - 2, 1)
            groups["period"][start] = sums
            for k in MEASURES:
                overall[k] += sums[k]
        elif grain == G.COUNTRY:
            groups["country"][row["country"]] = sums
        elif grain == G.KECAMATAN:
            groups["kecamatan"][row["kecamatan__name"]] = sums
        else:
            if row["commodity_id"] is not None and row["size_class"] == size:
                groups["commodity"][row["commodity__name"]] = sums
            if row["size_class"] is not None and row["commodity_id"] == commodity_pk:
                groups["size"][row["size_class"]] = sums
    return groups, overall


def snapshot():
    """Every rollup row as a comparable tuple (rebuild_deal_rollup --check, tests)."""
    fields = ["scope", "year", "grain", "commodity_id", "size_class", "quarter", "country"]
    fields += ["kecamatan_id", *MEASURES]
    exporter = ["scope", "year", "commodity_id", "size_class", "business_id", "draft", "n"]
    return set(DealRollup.objects.values_list(*fields)) | {
        ("exporter", *row) for row in DealExporter.objects.values_list(*exporter)
    }
