"""Generate a large, realistic data set fast (bulk inserts), for query budgets and benchmarks.

Regency scale by default: 10,000 IKM and 50,000 products, plus missions, buyers,
deals, events and bookings from each app's scale module. `--ikm 1000000
--products 5000000` reaches national scale (PostgreSQL recommended).
"""

import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from gerai import scale as gerai_scale
from ikm_registry import scale as registry_scale
from missions import scale as missions_scale


class Progress:
    """A one-line progress bar on stderr: no dependency, works in CI logs."""

    def __init__(self, label, total, stream=sys.stderr):
        self.label, self.total, self.stream = label, max(total, 1), stream
        self.done, self.started = 0, time.monotonic()

    def __call__(self, n):
        self.done += n
        pct = self.done / self.total
        bar = "#" * int(pct * 30)
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label:<12} [{bar:<30}] {self.done:>9,}/{self.total:,} {rate:>8,.0f}/s"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Bulk-insert a regency-scale (or larger) data set. Adds to what exists."

    def add_arguments(self, parser):
        parser.add_argument("--ikm", type=int, default=10_000)
        parser.add_argument("--products", type=int, default=50_000)
        parser.add_argument("--missions", type=int, default=500)
        parser.add_argument("--buyers", type=int, default=20_000)
        parser.add_argument("--deals", type=int, default=200_000)
        parser.add_argument("--events", type=int, default=5_000)
        parser.add_argument("--bookings", type=int, default=50_000)
        parser.add_argument("--batch", type=int, default=5_000)

    def handle(self, *args, **o):
        started = time.monotonic()
        businesses = registry_scale.seed(
            ikm=o["ikm"], products=o["products"], batch=o["batch"], progress=Progress
        )
        for module, kwargs in [
            (missions_scale, {k: o[k] for k in ("missions", "buyers", "deals")}),
            (gerai_scale, {k: o[k] for k in ("events", "bookings")}),
        ]:
            module.seed(businesses=businesses, batch=o["batch"], progress=Progress, **kwargs)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses one row per table after a bulk load.
            # VACUUM FULL too: the bulk load rewrites rows (the product table came out three
            # times its live size, with an empty visibility map, so no index-only scans), and
            # a server with autovacuum off never cleans them; a live table is not so bloated.
            # VACUUM cannot run inside a transaction (a test's): ANALYZE alone there.
            vacuum = transaction.get_autocommit()
            with connection.cursor() as cursor:
                if vacuum:
                    cursor.execute("VACUUM (FULL, ANALYZE)")
                    # A rewrite leaves the visibility map empty; a plain VACUUM fills it.
                    cursor.execute("VACUUM")
                else:
                    cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"seed_scale done in {time.monotonic() - started:.0f}s")
        )
