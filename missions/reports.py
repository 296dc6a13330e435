"""Mission reports and the program dashboard: one function computes, three renderers show.

`mission_report()` and `program_dashboard()` return a `Report`: a title, a list of
headline figures and a list of `Table`s, each computed with aggregate queries in the
database (a fixed number of queries, whatever the data size). The HTML page, the print
page and the XLSX file all render the same `Report`, so their figures cannot differ.

Rules every figure follows (docs/figures.md says the same, for readers of the reports):
- only deals confirmed by staff count;
- amounts in different currencies are never added: totals add the stored rupiah and
  US dollar values (derived at the recorded exchange rate);
- "transaksi" (actual) = on-the-spot + realised;
- open potential = each potential deal's value minus what its confirmed realisations
  realised, never below zero; what a realisation brought above its potential is shown
  as over-realisation;
- the realisation rate is per cohort: the realised value of the potential deals recorded
  in a period (whenever realised), divided by the value of those potential deals;
- every counted money figure is also split into "confirmed by both parties" (the buyer
  and the IKM both answered "right" through their e-mailed links) and the rest.
"""

import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import ExtractQuarter, ExtractYear, Greatest
from django.tasks import task
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from ikm_registry.models import Business, ContactLog, ExportRecord
from missions import rollup
from missions.models import (
    BOTH_PARTIES_Q,
    DISPUTED_Q,
    Buyer,
    Deal,
    DealExporter,
    Meeting,
    Participation,
    ProgramTarget,
    TradeMission,
)
from tangerang_ikm.cache import version as _version

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass
class Column:
    label: str
    kind: str = "text"  # text, int, idr, usd, pct


@dataclass
class Table:
    key: str  # the XLSX sheet name (31 characters at most)
    title: str
    columns: list
    rows: list = field(default_factory=list)
    total: list | None = None
    chart: dict | None = None

    def __post_init__(self):
        # Choice labels are lazy; a cached report would rebuild each proxy on every
        # read (0.1 ms apiece). Reports are cached per language, so plain text is right.
        self.rows = [[str(c) if isinstance(c, Promise) else c for c in row] for row in self.rows]


@dataclass
class Figure:
    label: str
    value: object
    kind: str = "int"
    public: bool = False  # shown on the public mission page and in the API (public_results)
    part: bool = False  # a split of the figure above it (rendered indented)


@dataclass
class Report:
    title: str
    subtitle: str
    figures: list
    tables: list
    filters: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def __post_init__(self):
        self.notes = [str(n) for n in self.notes]


def pct(part, whole):
    """A percentage with one decimal, half up; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _d(value):
    """A summed money value to the cent (SQLite returns long decimals), 0 for nothing."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP) if value is not None else ZERO


# --- Shared aggregate expressions -------------------------------------------

ACTUAL_Q = Q(kind__in=Deal.ACTUAL)
POTENTIAL_Q = Q(kind=Deal.Kind.POTENTIAL)
REALISED_Q = Q(kind=Deal.Kind.REALISED)


MONEY = DecimalField(max_digits=20, decimal_places=2)
SPOT_Q = Q(kind=Deal.Kind.ON_THE_SPOT)


def with_realised(deals):
    """Deals with what was realised against each (r_idr, r_usd; 0 for non-potential): the
    sums each potential deal stores (DealQuerySet.refresh_realised)."""
    return deals.annotate(r_idr=F("realised_idr"), r_usd=F("realised_usd"))


def _open(field, realised):
    return Greatest(F(field) - F(realised), Value(ZERO), output_field=MONEY)


def _over(field, realised):
    return Greatest(F(realised) - F(field), Value(ZERO), output_field=MONEY)


def deal_sums():
    """Aggregates over confirmed deals annotated by with_realised(): what each figure
    means, one filtered aggregate per figure. The reports compute the same sums in grouped
    passes (grouped_sums); tests/missions/test_report_passes.py compares the two.

    Each money sum has a `_both` twin over the deals both parties confirmed.
    """
    sums = {
        "n": Count("pk"),
        "n_disputed": Count("pk", filter=DISPUTED_Q),
        "n_over": Count("pk", filter=POTENTIAL_Q & Q(r_idr__gt=F("value_idr"))),
    }
    money = {
        "spot": ("value_idr", "value_usd", SPOT_Q),
        "potential": ("value_idr", "value_usd", POTENTIAL_Q),
        "realised": ("value_idr", "value_usd", REALISED_Q),
        "actual": ("value_idr", "value_usd", ACTUAL_Q),
        "open": (_open("value_idr", "r_idr"), _open("value_usd", "r_usd"), POTENTIAL_Q),
        "over": (_over("value_idr", "r_idr"), _over("value_usd", "r_usd"), POTENTIAL_Q),
        # What was realised against the potential deals in the set: the cohort's numerator.
        "realised_of_potential": ("r_idr", "r_usd", POTENTIAL_Q),
    }
    for name, (idr, usd, q) in money.items():
        sums[f"{name}_idr"] = Sum(idr, filter=q, output_field=MONEY)
        sums[f"{name}_usd"] = Sum(usd, filter=q, output_field=MONEY)
        sums[f"{name}_idr_both"] = Sum(idr, filter=q & BOTH_PARTIES_Q, output_field=MONEY)
        sums[f"{name}_usd_both"] = Sum(usd, filter=q & BOTH_PARTIES_Q, output_field=MONEY)
    return sums


# --- One grouped pass feeding several tables -----------------------------------
#
# deal_sums() filters each of its 31 aggregates by kind and by the parties' answers: on
# 180,000 deals one such pass took 300-500 ms, and the dashboard made six. grouped_sums()
# lets the database group by kind and answers instead (ten plain aggregates per group)
# and adds the groups up here, so one pass grouped by several columns feeds several
# tables and the overall figures. The result has deal_sums()'s keys and the same values
# (tests/missions/test_report_passes.py compares them). The mission report sums its
# deals so; the dashboard reads sums kept ahead (missions/rollup.py, DealRollup).

_BOTH = ExpressionWrapper(BOTH_PARTIES_Q, output_field=BooleanField())
_DISPUTED = ExpressionWrapper(DISPUTED_Q, output_field=BooleanField())
_KIND_SUMS = {
    Deal.Kind.ON_THE_SPOT: ("spot", "actual"),
    Deal.Kind.REALISED: ("realised", "actual"),
    Deal.Kind.POTENTIAL: ("potential",),
}


def _part_aggregates():
    def money(expression):
        return Sum(expression, output_field=MONEY)

    return {
        "g_n": Count("pk"),
        "g_n_over": Count("pk", filter=Q(realised_idr__gt=F("value_idr"))),
        "g_value_idr": money("value_idr"),
        "g_value_usd": money("value_usd"),
        "g_r_idr": money("realised_idr"),
        "g_r_usd": money("realised_usd"),
        "g_open_idr": money(_open("value_idr", "realised_idr")),
        "g_open_usd": money(_open("value_usd", "realised_usd")),
        "g_over_idr": money(_over("value_idr", "realised_idr")),
        "g_over_usd": money(_over("value_usd", "realised_usd")),
    }


def empty_sums():
    """deal_sums()'s keys over no deals: 0 for counts, Rp/US$ 0.00 for money."""
    sums = dict.fromkeys(("n", "n_disputed", "n_over"), 0)
    for name in ("spot", "potential", "realised", "actual", "open", "over"):
        for currency in ("idr", "usd"):
            sums[f"{name}_{currency}"] = sums[f"{name}_{currency}_both"] = ZERO
    for currency in ("idr", "usd"):
        sums[f"realised_of_potential_{currency}"] = ZERO
        sums[f"realised_of_potential_{currency}_both"] = ZERO
    return sums


def _add_part(sums, row):
    """Add one (kind, both parties, disputed) group of confirmed deals to `sums`."""
    n = row["g_n"]
    sums["n"] += n
    if row["g_disputed"]:
        sums["n_disputed"] += n
    amounts = {}
    for currency in ("idr", "usd"):
        value = _d(row[f"g_value_{currency}"])
        for name in _KIND_SUMS.get(row["kind"], ()):
            amounts[f"{name}_{currency}"] = value
    if row["kind"] == Deal.Kind.POTENTIAL:
        sums["n_over"] += row["g_n_over"]
        for currency in ("idr", "usd"):
            amounts[f"open_{currency}"] = _d(row[f"g_open_{currency}"])
            amounts[f"over_{currency}"] = _d(row[f"g_over_{currency}"])
            amounts[f"realised_of_potential_{currency}"] = _d(row[f"g_r_{currency}"])
    for key, value in amounts.items():
        sums[key] += value
        if row["g_both"]:
            sums[f"{key}_both"] += value


def grouped_sums(deals, dims, groupings):
    """deal_sums() per group for several groupings, and overall, in one query.

    `dims` ({name: field or expression}) are the columns the query groups by (with the
    deal's kind and the parties' answers); `groupings` ({table: (dim, ...)}) say which
    of them each table groups by. Returns ({table: {group: sums}}, overall sums).
    """
    dims = {name: F(d) if isinstance(d, str) else d for name, d in dims.items()}
    rows = (
        deals.order_by()
        .annotate(**dims, g_both=_BOTH, g_disputed=_DISPUTED)
        .values(*dims, "kind", "g_both", "g_disputed")
        .annotate(**_part_aggregates())
    )
    overall = empty_sums()
    tables = {table: {} for table in groupings}
    for row in rows:
        _add_part(overall, row)
        for table, keys in groupings.items():
            group = tuple(row[k] for k in keys)
            group = group[0] if len(group) == 1 else group
            if group not in tables[table]:
                tables[table][group] = empty_sums()
            _add_part(tables[table][group], row)
    return tables, overall


def split_figures(label, sums, key, kind, *, public=False):
    """The figure, then its parts: confirmed by both parties, and not yet confirmed by them."""
    total, both = _d(sums[key]), _d(sums[f"{key}_both"])
    return [
        Figure(label, total, kind, public=public),
        Figure(both_label(label), both, kind, part=True),
        Figure(
            _("%(figure)s: belum dikonfirmasi para pihak") % {"figure": label},
            total - both,
            kind,
            part=True,
        ),
    ]


def report_notes(*, dashboard=False):
    """What the figures mean, printed under them on the page, on paper and in the XLSX."""
    notes = [
        _(
            "Hanya transaksi yang dikonfirmasi petugas yang dihitung. “Dikonfirmasi kedua "
            "pihak”: pembeli dan IKM sama-sama menyatakan data transaksi benar melalui tautan "
            "e-mail; selebihnya “belum dikonfirmasi para pihak” (belum menjawab, tidak punya "
            "e-mail, atau mempersoalkan)."
        ),
        _(
            "Dalam tabel, setiap kolom nilai diikuti kolom “dikonfirmasi kedua pihak”: "
            "bagian nilai itu yang dikonfirmasi kedua pihak. Selisih keduanya belum "
            "dikonfirmasi para pihak."
        ),
        _(
            "Potensi belum terealisasi: nilai setiap potensi dikurangi realisasinya, paling "
            "kecil nol. Realisasi di atas nilai potensinya dicatat sebagai “realisasi "
            "melebihi potensi”."
        ),
        _(
            "Realisasi potensi (%) per kohort: nilai realisasi dari potensi yang dicatat dalam "
            "periode itu (kapan pun direalisasikan), dibagi nilai potensi tersebut."
        ),
    ]
    if dashboard:
        notes.append(
            _(
                "Kelas usaha menurut hasil penjualan tahunan (PP 7/2021, dipakai untuk program "
                "pemberdayaan), bukan menurut modal usaha saat pendaftaran."
            )
        )
    return notes


def both_label(label):
    """The label of a figure's part confirmed by both parties (the same words everywhere)."""
    return _("%(figure)s: dikonfirmasi kedua pihak") % {"figure": label}


def _split_columns(*specs):
    """Each money column, then its part confirmed by both parties."""
    return [
        col
        for label, kind in specs
        for col in (Column(label, kind), Column(both_label(label), kind))
    ]


def _split_cells(row, *keys):
    """Each summed value, then its `_both` twin (the same aggregate query computed it)."""
    return [cell for key in keys for cell in (_d(row[key]), _d(row[f"{key}_both"]))]


# Positions in _money_cells(): actual Rp, its part; actual US$, its part; open Rp, ...
MONEY_ACTUAL_IDR, MONEY_OPEN_IDR, MONEY_TOTAL_IDR = 0, 4, 8


def _money_columns():
    return _split_columns(
        (_("Transaksi (Rp)"), "idr"),
        (_("Transaksi (US$)"), "usd"),
        (_("Potensi belum terealisasi (Rp)"), "idr"),
        (_("Potensi belum terealisasi (US$)"), "usd"),
        (_("Total (Rp)"), "idr"),
        (_("Total (US$)"), "usd"),
    )


def _money_cells(row):
    cells = _split_cells(row, "actual_idr", "actual_usd", "open_idr", "open_usd")
    # Total = actual + open, for the whole and for the both-parties part alike.
    return cells + [cells[i] + cells[i + 4] for i in range(4)]


# Positions in _program_cells(): actual Rp, its part; actual US$, its part; potential Rp, ...
PROGRAM_ACTUAL_IDR, PROGRAM_POTENTIAL_IDR = 0, 4


def _program_columns(label_header):
    return [
        Column(label_header),
        *_split_columns(
            (_("Transaksi (Rp)"), "idr"),
            (_("Transaksi (US$)"), "usd"),
            (_("Potensi (Rp)"), "idr"),
            (_("Potensi (US$)"), "usd"),
        ),
        Column(_("Realisasi potensi (Rp)"), "idr"),
        Column(_("Realisasi (%)"), "pct"),
    ]


def _program_cells(row):
    """Actual vs potential (each with its both-parties part), and the cohort's realisation.

    The realised value of a cohort is not split: it re-attributes realisations, whose own
    split is in the "Transaksi" columns of the quarter they happened in.
    """
    return [
        *_split_cells(row, "actual_idr", "actual_usd", "potential_idr", "potential_usd"),
        _d(row["realised_of_potential_idr"]),
        pct(row["realised_of_potential_idr"], row["potential_idr"]),
    ]


def _ordered(groups):
    """A table's groups in their key's order (no group key last), before sorting by value."""
    return sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or ""))


def _grouped_money_table(
    groups, sums, key, title, label_header, label_of, *, chart=True, program=False
):
    """One row per group ({group: sums}, from grouped_sums()); the total row is the overall
    sums of the same pass."""
    rows = []
    for group, row in _ordered(groups):
        if program:
            rows.append([label_of(group), *_program_cells(row)])
        else:
            rows.append([label_of(group), row["n"], *_money_cells(row)])
    if program:
        actual_at, potential_at = 1 + PROGRAM_ACTUAL_IDR, 1 + PROGRAM_POTENTIAL_IDR
        rows.sort(key=lambda r: (-(r[actual_at] + r[potential_at]), str(r[0])))
        columns = _program_columns(label_header)
        total = [_("Jumlah"), *_program_cells(sums)]
    else:
        actual_at, potential_at = 2 + MONEY_ACTUAL_IDR, 2 + MONEY_OPEN_IDR
        rows.sort(key=lambda r: (-r[2 + MONEY_TOTAL_IDR], str(r[0])))
        columns = [Column(label_header), Column(_("Jumlah transaksi"), "int"), *_money_columns()]
        total = [_("Jumlah"), sums["n"], *_money_cells(sums)]
    table = Table(key=key, title=title, columns=columns, rows=rows, total=total)
    if chart:
        potential_label = _("Potensi (Rp)") if program else _("Potensi belum terealisasi (Rp)")
        table.chart = bar_chart(
            [r[0] for r in rows],
            [
                (_("Transaksi (Rp)"), "bar-actual", [r[actual_at] for r in rows]),
                (potential_label, "bar-potential", [r[potential_at] for r in rows]),
            ],
        )
    return table


def _size_class_label(code):
    return str(Business.SizeClass(code).label) if code else _("belum diketahui")


def _country_name(code):
    return str(countries.name(code)) if code else "-"


# --- Charts -----------------------------------------------------------------

CHART_WIDTH = 640
LABEL_WIDTH = 170
BAR_HEIGHT = 14
GROUP_GAP = 10


def bar_chart(labels, series):
    """Geometry of a horizontal grouped bar chart, rendered as SVG by the template.

    `series` is [(name, css_class, values)]. No styles: positions are attributes and
    colours come from CSS classes in missions.css.
    """
    values = [v for _name, _cls, vals in series for v in vals if v]
    top = max(values) if values else 0
    plot = CHART_WIDTH - LABEL_WIDTH - 10
    groups = []
    y = 0
    for i, label in enumerate(labels):
        bars = []
        for j, (_name, css, vals) in enumerate(series):
            value = vals[i] or 0
            width = int(Decimal(value) * plot / Decimal(top)) if top else 0
            bars.append(
                {
                    "x": LABEL_WIDTH,
                    "y": y + j * BAR_HEIGHT,
                    "width": max(width, 1 if value else 0),
                    "height": BAR_HEIGHT - 2,
                    "css": css,
                    "value": value,
                }
            )
        group_height = len(series) * BAR_HEIGHT
        groups.append({"label": label, "label_y": y + group_height / 2 + 4, "bars": bars})
        y += group_height + GROUP_GAP
    return {
        "width": CHART_WIDTH,
        "height": max(y, 1),
        "label_x": LABEL_WIDTH - 6,
        "groups": groups,
        "legend": [{"name": name, "css": css} for name, css, _vals in series],
    }


# --- Mission report ---------------------------------------------------------


# Reports are kept until evicted, each with the "reports" area version it was computed
# at (tangerang_ikm.cache): a write bumps the version and, after its commit, queues
# `refresh_reports`, which computes every report staff have looked at again. Until it
# is done a reader gets the previous figures instead of waiting for them (the dashboard
# takes seconds at 200,000 deals); a reader with no refresh on the way computes them.
REPORT_KEYS = "report-keys"  # {(language, key): last read}: what the refresh computes
MAX_KEYS = 2000
KEY_DAYS = 7  # a report nobody read for a week is no longer refreshed


def _entry_key(language, key):
    return f"report:{language}:{key}"


def _refresh_marker(version):
    return f"report-refresh:{version}"


def _store(language, key, value, version):
    cache.set(_entry_key(language, key), (version, time.time(), value), timeout=None)


def _remember(language, key):
    keys = cache.get(REPORT_KEYS) or {}
    now = time.time()
    keys = {k: t for k, t in keys.items() if now - t < KEY_DAYS * 86400}
    keys[(language, key)] = now
    if len(keys) > MAX_KEYS:
        keys = dict(sorted(keys.items(), key=lambda item: item[1])[-MAX_KEYS:])
    cache.set(REPORT_KEYS, keys, timeout=None)


def cached_report(key, compute):
    """A report from the cache, or `compute()` stored there.

    Reports are the same for everyone allowed to see them. A copy older than the last
    write is still served while `refresh_reports` (queued by that write) computes the new
    figures, and for at most REPORT_CACHE_SECONDS in all. REPORT_CACHE_SECONDS = 0 turns
    the cache off.
    """
    seconds = settings.REPORT_CACHE_SECONDS
    if not seconds:
        return compute()
    language = get_language() or "-"
    version = _version("reports")
    entry = cache.get(_entry_key(language, key))
    if entry is not None:
        stored_version, computed_at, value = entry
        fresh = time.time() - computed_at < seconds
        if stored_version == version and fresh:
            return value
        if fresh and cache.get(_refresh_marker(version)):
            return value  # the refresh queued by the last write is computing it
    value = compute()
    _store(language, key, value, version)
    _remember(language, key)
    return value


def compute_by_key(key, computed=None):
    """The report a view cached under `key` (missions/views.py), computed anew; None for a
    mission or commodity gone since. `…:html` keys hold the report body's HTML.

    `computed` ({key: report}) keeps the reports computed in this language, so a report
    and its body are computed once."""
    from django.template.loader import render_to_string

    computed = {} if computed is None else computed
    if key.endswith(":html"):
        report = compute_by_key(key.removesuffix(":html"), computed)
        if report is None:
            return None
        return render_to_string("missions/_report_body.html", {"report": report})
    if key not in computed:
        computed[key] = _compute_report(key)
    return computed[key]


def _compute_report(key):
    kind, _, rest = key.partition(":")
    if kind == "mission":
        mission = TradeMission.objects.filter(pk=rest).first()
        return mission_report(mission) if mission else None
    if kind == "dashboard":
        from ikm_registry.models import Commodity

        year, scope, commodity, size_class = rest.split(":")
        if commodity:
            commodity = Commodity.objects.filter(pk=commodity).first()
            if commodity is None:
                return None
        return program_dashboard(
            year=int(year) if year and year != "None" else None,
            scope=scope,
            commodity=commodity or None,
            size_class=size_class,
        )
    return None


@task()
def refresh_reports(*, version):
    """Compute again every report read lately, after a write (see cached_report).

    A later write queues its own refresh: this one then leaves the work to it, so a
    burst of writes costs one round of reports.
    """
    if version != _version("reports"):
        return {"skipped": True}
    done = 0
    computed = {}  # per language: each report once for itself and its body
    for (language, key), _read in sorted(
        (cache.get(REPORT_KEYS) or {}).items(), key=lambda item: -item[1]
    ):
        if version != _version("reports"):
            break  # written to again: the newer refresh computes the rest
        with translation.override(language if language != "-" else None):
            value = compute_by_key(key, computed.setdefault(language, {}))
        if value is not None:
            _store(language, key, value, version)
            done += 1
    return {"refreshed": done}


def refresh_after_commit():
    """Queue one `refresh_reports` for the version the commit leaves (receivers call it)."""

    def enqueue():
        if not refresh_reports.get_backend().supports_defer:
            # No worker (TASKS_BACKEND=immediate): the refresh would run inside the
            # writer's request, once per write; the next reader computes instead.
            return
        version = _version("reports")
        if cache.add(_refresh_marker(version), True, timeout=settings.REPORT_CACHE_SECONDS):
            refresh_reports.enqueue(version=version)

    if settings.REPORT_CACHE_SECONDS:
        transaction.on_commit(enqueue)


def mission_report(mission):
    """Everything the official mission report shows, in a fixed number of queries."""
    P = Participation.Status
    participations = Participation.objects.filter(mission=mission)
    counts = participations.aggregate(
        total=Count("pk"),
        **{s.value: Count("pk", filter=Q(status=s)) for s in P},
    )
    deals = Deal.objects.confirmed().filter(mission=mission)
    # One pass: the overall sums and the tables per commodity, country and IKM.
    groups, sums = grouped_sums(
        deals,
        {
            "g_commodity": "commodity__name",
            "g_country": "destination_country",
            "g_business": "business__name",
        },
        {"commodity": ("g_commodity",), "country": ("g_country",), "ikm": ("g_business",)},
    )
    meetings = Meeting.objects.filter(mission=mission)
    meeting_counts = meetings.aggregate(
        total=Count("pk", distinct=True),
        converted=Count(
            "pk",
            distinct=True,
            filter=Q(outcome=Meeting.Outcome.DEAL) | Q(deals__status=Deal.Status.CONFIRMED),
        ),
        **{
            f"o_{o.value}": Count("pk", distinct=True, filter=Q(outcome=o)) for o in Meeting.Outcome
        },
        o_none=Count("pk", distinct=True, filter=Q(outcome="")),
    )
    # Uncorrelated INs: the mission's few buyer ids are found once, not per buyer.
    buyers = Buyer.objects.filter(
        Q(pk__in=meetings.values("buyer_id")) | Q(pk__in=deals.values("buyer_id"))
    )
    buyer_rows = list(
        buyers.values("country", "kind").annotate(n=Count("pk")).order_by("country", "kind")
    )
    n_buyers = sum(r["n"] for r in buyer_rows)
    pending = Deal.objects.filter(mission=mission, status=Deal.Status.REPORTED).count()

    participated = counts[P.ATTENDED] + counts[P.ACCEPTED]
    figures = [
        Figure(_("IKM peserta (diterima/hadir)"), participated, public=True),
        Figure(_("IKM hadir"), counts[P.ATTENDED]),
        Figure(_("Pembeli"), n_buyers, public=True),
        Figure(_("Pertemuan bisnis"), meeting_counts["total"], public=True),
        Figure(_("Transaksi terkonfirmasi"), sums["n"], public=True),
        *split_figures(_("Nilai transaksi (Rp)"), sums, "actual_idr", "idr", public=True),
        *split_figures(_("Nilai transaksi (US$)"), sums, "actual_usd", "usd", public=True),
        *split_figures(_("Potensi belum terealisasi (Rp)"), sums, "open_idr", "idr", public=True),
        *split_figures(_("Potensi belum terealisasi (US$)"), sums, "open_usd", "usd", public=True),
        Figure(_("Realisasi melebihi potensi (Rp)"), _d(sums["over_idr"]), "idr"),
        Figure(_("Potensi dengan realisasi melebihi nilainya"), sums["n_over"]),
        Figure(
            _("Konversi pertemuan ke transaksi (%)"),
            pct(meeting_counts["converted"], meeting_counts["total"]),
            "pct",
        ),
        Figure(
            _("Realisasi potensi (%)"),
            pct(sums["realised_of_potential_idr"], sums["potential_idr"]),
            "pct",
        ),
        Figure(_("Transaksi menunggu konfirmasi"), pending),
        Figure(_("Transaksi dipersoalkan para pihak"), sums["n_disputed"]),
    ]

    tables = []
    # Participants and attendance.
    part_rows = [
        [p.business.name, p.business.desa.kecamatan.name, p.get_status_display(), p.booth_number]
        for p in participations.select_related("business__desa__kecamatan").order_by(
            "business__name"
        )
    ]
    tables.append(
        Table(
            "Peserta",
            _("Peserta misi"),
            [Column(_("IKM")), Column(_("Kecamatan")), Column(_("Status")), Column(_("Stan"))],
            part_rows,
        )
    )
    tables.append(
        Table(
            "Kehadiran",
            _("Status peserta dan kehadiran"),
            [Column(_("Status")), Column(_("Jumlah IKM"), "int")],
            [[s.label, counts[s.value]] for s in P],
            total=[_("Jumlah"), counts["total"]],
        )
    )
    kinds = dict(Buyer.Kind.choices)
    tables.append(
        Table(
            "Pembeli",
            _("Pembeli menurut negara dan jenis"),
            [Column(_("Negara")), Column(_("Jenis pembeli")), Column(_("Jumlah"), "int")],
            [
                [_country_name(r["country"]), str(kinds.get(r["kind"], r["kind"])), r["n"]]
                for r in buyer_rows
            ],
            total=[_("Jumlah"), "", n_buyers],
        )
    )
    tables.append(
        Table(
            "Pertemuan",
            _("Pertemuan bisnis dan hasilnya"),
            [Column(_("Hasil")), Column(_("Jumlah pertemuan"), "int")],
            [[o.label, meeting_counts[f"o_{o.value}"]] for o in Meeting.Outcome]
            + [[_("belum dicatat"), meeting_counts["o_none"]]],
            total=[_("Jumlah"), meeting_counts["total"]],
        )
    )
    tables.append(
        Table(
            "Konversi",
            _("Konversi pertemuan ke transaksi"),
            [
                Column(_("Pertemuan"), "int"),
                Column(_("Berujung transaksi"), "int"),
                Column(_("Konversi (%)"), "pct"),
            ],
            [
                [
                    meeting_counts["total"],
                    meeting_counts["converted"],
                    pct(meeting_counts["converted"], meeting_counts["total"]),
                ]
            ],
        )
    )
    tables.append(deals_by_kind_table(sums))
    tables.append(
        _grouped_money_table(
            groups["commodity"],
            sums,
            "Per komoditas",
            _("Transaksi per komoditas"),
            _("Komoditas"),
            str,
        )
    )
    tables.append(
        _grouped_money_table(
            groups["country"],
            sums,
            "Per negara tujuan",
            _("Transaksi per negara tujuan"),
            _("Negara tujuan"),
            _country_name,
        )
    )
    tables.append(
        _grouped_money_table(
            groups["ikm"],
            sums,
            "Per IKM",
            _("Transaksi per IKM"),
            _("IKM"),
            str,
            chart=False,
        )
    )
    dates = mission.start_date.strftime("%d/%m/%Y")
    if mission.end_date != mission.start_date:
        dates += " \u2013 " + mission.end_date.strftime("%d/%m/%Y")
    return Report(
        title=_("Laporan misi: %(title)s") % {"title": mission.title},
        subtitle=f"{mission.get_kind_display()} · {mission.city}, {mission.country.name} · {dates}",
        figures=figures,
        tables=tables,
        notes=report_notes(),
    )


def _kind_cells(sums, key):
    idr, usd = _d(sums[f"{key}_idr"]), _d(sums[f"{key}_usd"])
    idr_both, usd_both = _d(sums[f"{key}_idr_both"]), _d(sums[f"{key}_usd_both"])
    return [idr, usd, idr_both, idr - idr_both, usd_both, usd - usd_both]


def deals_by_kind_table(sums):
    """Each kind's value, and its split by the parties' confirmation."""
    K = Deal.Kind
    actual, open_ = _kind_cells(sums, "actual"), _kind_cells(sums, "open")
    total = [a + b for a, b in zip(actual, open_, strict=True)]
    return Table(
        "Jenis transaksi",
        _("Transaksi menurut jenis"),
        [
            Column(_("Jenis")),
            Column(_("Rp"), "idr"),
            Column(_("US$"), "usd"),
            Column(_("Rp dikonfirmasi kedua pihak"), "idr"),
            Column(_("Rp belum dikonfirmasi para pihak"), "idr"),
            Column(_("US$ dikonfirmasi kedua pihak"), "usd"),
            Column(_("US$ belum dikonfirmasi para pihak"), "usd"),
        ],
        [
            [K.ON_THE_SPOT.label, *_kind_cells(sums, "spot")],
            [K.POTENTIAL.label, *_kind_cells(sums, "potential")],
            [K.REALISED.label, *_kind_cells(sums, "realised")],
            [_("Nilai transaksi (langsung + realisasi)"), *_kind_cells(sums, "actual")],
            [_("Potensi belum terealisasi"), *_kind_cells(sums, "open")],
            [_("Realisasi melebihi potensi"), *_kind_cells(sums, "over")],
        ],
        total=[_("Total tanpa hitung ganda"), *total],
    )


def public_results(mission):
    """The published results of a completed mission: counts and values, no contacts."""
    return [f for f in mission_report(mission).figures if f.public]


# --- Program dashboard ------------------------------------------------------


def program_target(year):
    target = ProgramTarget.objects.filter(year=year).values_list("target_ikm", flat=True).first()
    return target if target is not None else settings.PROGRAM_TARGET_IKM


def program_dashboard(*, year=None, scope="", commodity=None, size_class=""):
    """The program's figures under the filters, in a fixed number of queries.

    `size_class` is the business's class by annual sales (PP 7/2021 for empowerment
    programmes), never the class by capital.
    """
    # Slices a write marked that no worker has summed yet (missions/rollup.py): summed first.
    rollup.rebuild_dirty()
    participations = Participation.objects.filter(
        status__in=[Participation.Status.ACCEPTED, Participation.Status.ATTENDED]
    )
    verified = Business.objects.verified()
    if year:
        participations = participations.filter(mission__start_date__year=year)
    if scope:
        participations = participations.filter(mission__scope=scope)
    if commodity:
        participations = participations.filter(business__commodities=commodity)
        verified = verified.filter(commodities=commodity)
    if size_class:
        participations = participations.filter(business__size_class_by_sales=size_class)
        verified = verified.filter(size_class_by_sales=size_class)

    contacts = ContactLog.objects.all()
    if year:
        contacts = contacts.filter(date__year=year)
    if commodity:
        contacts = contacts.filter(business__commodities=commodity)
    if size_class:
        contacts = contacts.filter(business__size_class_by_sales=size_class)
    reached, pembinaan = pembinaan_table(contacts)

    engaged = participations.aggregate(n=Count("business", distinct=True))["n"]
    target = program_target(year or timezone.localdate().year)
    n_verified = verified.count()

    exporters = _exporters(year=year, scope=scope, commodity=commodity, size_class=size_class)
    # The money figures and the five tables: sums kept ahead per slice and group
    # (missions/rollup.py), a few hundred rows instead of every deal (docs/figures.md).
    groups, sums = rollup.dashboard_groups(
        year=year, scope=scope, commodity=commodity, size_class=size_class
    )
    by_time = {"period": groups["period"]}
    by_trade = {"commodity": groups["commodity"], "country": groups["country"]}
    by_place = {"size": groups["size"], "kecamatan": groups["kecamatan"]}

    figures = [
        Figure(_("IKM terlibat"), engaged),
        Figure(_("Target IKM"), target),
        Figure(_("Capaian target (%)"), pct(engaged, target), "pct"),
        Figure(_("IKM terverifikasi"), n_verified),
        Figure(_("IKM dibina (pembinaan)"), reached),
        Figure(_("IKM eksportir"), exporters["exporters"]),
        Figure(_("Eksportir pertama kali"), exporters["first_time"]),
        *split_figures(_("Nilai transaksi (Rp)"), sums, "actual_idr", "idr"),
        *split_figures(_("Nilai transaksi (US$)"), sums, "actual_usd", "usd"),
        *split_figures(_("Potensi transaksi (Rp)"), sums, "potential_idr", "idr"),
        *split_figures(_("Potensi transaksi (US$)"), sums, "potential_usd", "usd"),
        *split_figures(_("Potensi belum terealisasi (Rp)"), sums, "open_idr", "idr"),
        *split_figures(_("Potensi belum terealisasi (US$)"), sums, "open_usd", "usd"),
        Figure(_("Realisasi melebihi potensi (Rp)"), _d(sums["over_idr"]), "idr"),
        Figure(
            _("Realisasi potensi (%)"),
            pct(sums["realised_of_potential_idr"], sums["potential_idr"]),
            "pct",
        ),
    ]

    period_rows = [
        [f"{start.year} T{(start.month - 1) // 3 + 1}", *_program_cells(row)]
        for start, row in sorted(by_time["period"].items())
    ]
    period = Table(
        "Per triwulan",
        _("Nilai transaksi per tahun dan triwulan"),
        _program_columns(_("Periode")),
        period_rows,
        total=[_("Jumlah"), *_program_cells(sums)],
    )
    period.chart = bar_chart(
        [r[0] for r in period_rows],
        [
            (
                _("Transaksi (Rp)"),
                "bar-actual",
                [r[1 + PROGRAM_ACTUAL_IDR] for r in period_rows],
            ),
            (
                _("Potensi (Rp)"),
                "bar-potential",
                [r[1 + PROGRAM_POTENTIAL_IDR] for r in period_rows],
            ),
        ],
    )

    tables = [
        period,
        _grouped_money_table(
            by_trade["commodity"],
            sums,
            "Per komoditas",
            _("Transaksi per komoditas"),
            _("Komoditas"),
            str,
            program=True,
        ),
        _grouped_money_table(
            by_trade["country"],
            sums,
            "Per negara tujuan",
            _("Transaksi per negara tujuan"),
            _("Negara tujuan"),
            _country_name,
            program=True,
        ),
        _grouped_money_table(
            by_place["size"],
            sums,
            "Per kelas usaha",
            _("Transaksi per kelas usaha (menurut hasil penjualan tahunan)"),
            _("Kelas usaha (omzet)"),
            _size_class_label,
            chart=False,
            program=True,
        ),
        _grouped_money_table(
            by_place["kecamatan"],
            sums,
            "Per kecamatan",
            _("Transaksi per kecamatan IKM"),
            _("Kecamatan"),
            str,
            program=True,
        ),
        pembinaan,
    ]
    return Report(
        title=_("Dasbor program misi dagang"),
        subtitle=_("Tahun %(year)s") % {"year": year} if year else _("Semua tahun"),
        figures=figures,
        tables=tables,
        filters={"year": year, "scope": scope, "commodity": commodity, "size_class": size_class},
        notes=report_notes(dashboard=True),
    )


def pembinaan_table(contacts):
    """(IKM reached, Table): distinct IKM reached by the office's contacts, per quarter
    and kind of contact, in three queries whatever the number of contacts.

    A business reached twice in a quarter counts once in that cell; "all kinds" counts
    each business once per quarter however many kinds reached it, so it is not the sum
    of the row.
    """
    kinds = list(ContactLog.Kind)
    quarter = {"y": ExtractYear("date"), "q": ExtractQuarter("date")}
    by_kind = {
        (row["y"], row["q"], row["kind"]): row["n"]
        for row in contacts.annotate(**quarter)
        .values("y", "q", "kind")
        .annotate(n=Count("business", distinct=True))
        .order_by()
    }
    per_quarter = list(
        contacts.annotate(**quarter)
        .values("y", "q")
        .annotate(n=Count("business", distinct=True))
        .order_by("y", "q")
    )
    reached = contacts.aggregate(n=Count("business", distinct=True))["n"]
    rows = [
        [
            f"{row['y']} T{row['q']}",
            *[by_kind.get((row["y"], row["q"], kind.value), 0) for kind in kinds],
            row["n"],
        ]
        for row in per_quarter
    ]
    table = Table(
        "Pembinaan",
        _("IKM yang dibina per triwulan dan jenis kontak"),
        [
            Column(_("Periode")),
            *[Column(str(kind.label), "int") for kind in kinds],
            Column(_("Semua jenis"), "int"),
        ],
        rows,
        total=[_("IKM dibina"), *["" for _kind in kinds], reached],
    )
    return reached, table


def _exporters(*, year=None, scope="", commodity=None, size_class=""):
    """IKM with an actual confirmed deal abroad under the filters, and the first-timers.

    A first-timer's first such deal (ever, not only under the filters, draft missions
    too) falls in `year` when one is chosen, and no export record is older than that
    deal. Two grouped queries whatever the size, the first over the rollup's counts of
    such deals per business and slice (DealExporter, missions/rollup.py): 34,000 rows
    instead of every deal abroad joined to its mission.
    """
    filtered = Q(draft=False)
    if year:
        filtered &= Q(year=year)
    if scope:
        filtered &= Q(scope=scope)
    if commodity:
        filtered &= Q(commodity=commodity)
    if size_class:
        filtered &= Q(size_class=size_class)
    abroad = (
        DealExporter.objects.order_by()
        .values("business_id")
        .annotate(first=Min("year"), filtered=Sum("n", filter=filtered))
    )
    exporter_ids, first_abroad = set(), {}
    for row in abroad:
        first_abroad[row["business_id"]] = row["first"]
        if row["filtered"]:
            exporter_ids.add(row["business_id"])
    first_record = dict(
        ExportRecord.objects.order_by()
        .values("business_id")
        .annotate(first=Min("year"))
        .values_list("business_id", "first")
    )
    first_time = 0
    for business_id in exporter_ids:
        first = first_abroad.get(business_id)
        if first is None or (year and first != year):
            continue
        record = first_record.get(business_id)
        if record is None or record >= first:
            first_time += 1
    return {"exporters": len(exporter_ids), "first_time": first_time}


def dashboard_years():
    """Years that have missions or deals, newest first, for the filter."""
    years = set(
        TradeMission.objects.public()
        .annotate(y=ExtractYear("start_date"))
        .values_list("y", flat=True)
        .order_by()  # the model's ordering would make each mission distinct
        .distinct()
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
