"""One request at a time through Django's test client: time, queries, SQL and rendering.

Where bench/run.py says a page is slow, this says why: the page's total time, its
queries and the slowest of them, and how long its templates took to render (lazy
queries a template runs count in both). Run it against the benchmark database:

    .venv/bin/python bench/profile.py                 # every key page
    .venv/bin/python bench/profile.py --page catalog  # pages whose name contains this
    .venv/bin/python bench/profile.py --sql           # print the slowest query's SQL too
    .venv/bin/python bench/profile.py --long-tail 40  # 40 random paths of each long-tail mix
    .venv/bin/python bench/profile.py --long-tail 10 --cold --page report  # caches cleared first
    .venv/bin/python bench/profile.py --long-tail 20 --page product --pyinstrument

The long-tail figures are the median and the 90th percentile over the paths (each path
asked for once, after one warm-up request for the whole mix): a single request's server
time on a miss, which is what every request of the long tail is.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DEFAULT_DB, bench_superuser, setup_django  # noqa: E402


class RenderTimer:
    """Adds up the time spent in the template engine's top-level render()."""

    def __init__(self):
        from django.template.backends.django import Template

        self.total = 0.0
        original = Template.render

        def render(template, *args, **kwargs):
            started = time.perf_counter()
            try:
                return original(template, *args, **kwargs)
            finally:
                self.total += time.perf_counter() - started

        Template.render = render


def measure(client, path, timer, cookie=None, *, cold=False):
    from django.core.cache import cache
    from django.db import connection, reset_queries

    if cold:
        cache.clear()
    if cookie:
        name, _, value = cookie.partition("=")
        client.cookies[name] = value
    reset_queries()
    timer.total = 0.0
    cpu = time.process_time()
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - cpu) * 1000
    queries = list(connection.queries)
    return {
        "ms": elapsed,
        "cpu_ms": cpu,  # this process only: steadier than wall time on a busy machine
        "status": response.status_code,
        "size": len(response.content),
        "queries": len(queries),
        "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
        "render_ms": timer.total * 1000,
        "slowest": max(queries, key=lambda q: float(q["time"]), default=None),
    }


def key_pages(args, timer):
    from django.test import Client

    from bench.pages import key_pages as pages

    staff = bench_superuser()
    for name, path, _kind, needs_staff in pages():
        if args.page not in name:
            continue
        client = Client()
        if needs_staff:
            client.force_login(staff)
        client.get(path)  # warm caches that every process holds (content types, templates)
        runs = [measure(client, path, timer, cold=args.cold) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["ms"])
        slowest = best["slowest"]
        print(
            f"{name:<34} {best['ms']:>8.1f} ms  {best['status']}  {best['size'] / 1024:>6.1f} KB  "
            f"{best['queries']:>3} queries  {best['sql_ms']:>7.1f} ms SQL  "
            f"{best['render_ms']:>7.1f} ms render"
            + (f"  slowest {float(slowest['time']) * 1000:.1f} ms" if slowest else "")
        )
        if args.sql and slowest:
            print("    " + slowest["sql"][:2000])


def long_tail(args, timer):
    import random

    from django.test import Client

    from bench import longtail
    from bench.run import staff_cookie

    base = os.environ.get("BENCH_BASE", "")
    cookie = staff_cookie()
    print(
        f"{'mix':<44} {'n':>3} {'median':>7} {'p90':>7} {'max':>7} {'cpu':>6} "
        f"{'queries':>7} {'SQL':>6} {'render':>7}  (ms; medians but p90 and max)"
    )
    for name, _kind, rows in longtail.mixes(base, cookie) if base else local_mixes(cookie):
        if args.page not in name:
            continue
        rows = [row if isinstance(row, tuple) else (row, "") for row in rows]
        sample = random.Random(1).sample(rows, min(args.long_tail, len(rows)))
        client = Client()
        measure(client, sample[0][0], timer, sample[0][1])  # warm the process
        runs = []
        profiler = None
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
        for path, c in sample:
            runs.append(measure(Client(), path, timer, c, cold=args.cold))
            if runs[-1]["status"] != 200:
                print(f"    {runs[-1]['status']} {path}")
        if profiler:
            profiler.stop()
        times = sorted(r["ms"] for r in runs)
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        print(
            f"{name:<44} {len(runs):>3} {statistics.median(times):>7.1f} {p90:>7.1f}"
            f" {times[-1]:>7.1f} {statistics.median(r['cpu_ms'] for r in runs):>6.1f}"
            f" {statistics.median(r['queries'] for r in runs):>7.0f}"
            f" {statistics.median(r['sql_ms'] for r in runs):>6.1f}"
            f" {statistics.median(r['render_ms'] for r in runs):>7.1f}"
        )
        slowest = sorted(zip(runs, sample, strict=True), key=lambda pair: -pair[0]["ms"])
        for run, (path, _cookie) in slowest[: args.slowest]:
            print(f"    {run['ms']:>8.1f} ms  {run['sql_ms']:>7.1f} SQL  {path}")
        if profiler:
            print(profiler.output_text(unicode=True, color=False, show_all=False))


def local_mixes(cookie):
    """The long-tail mixes without a running server: staff mixes need one (BENCH_BASE)
    for their filter links, so they are left out."""
    import random

    from bench import longtail

    rng = random.Random(longtail.SEED)
    return [*longtail._public(rng), *longtail._owners(rng)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--page", default="", help="only pages or mixes whose name contains this")
    parser.add_argument("--repeat", type=int, default=3, help="requests per page (best is shown)")
    parser.add_argument("--sql", action="store_true", help="print the slowest query")
    parser.add_argument("--cold", action="store_true", help="clear the cache before each request")
    parser.add_argument(
        "--long-tail", type=int, default=0, help="this many random paths of each long-tail mix"
    )
    parser.add_argument("--pyinstrument", action="store_true", help="profile each mix")
    parser.add_argument(
        "--slowest", type=int, default=0, help="long tail: list each mix's N slowest paths"
    )
    args = parser.parse_args()
    setup_django(args.database_url)

    from django.conf import settings

    settings.DEBUG = True  # record queries (templates and errors stay as in production)
    settings.ALLOWED_HOSTS = ["*"]
    timer = RenderTimer()
    if args.long_tail:
        long_tail(args, timer)
    else:
        key_pages(args, timer)


if __name__ == "__main__":
    main()
