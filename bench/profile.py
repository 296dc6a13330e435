"""One request per key page through Django's test client, with each SQL query's time.

Where bench/run.py says a page is slow, this says why: the page's total time, its
queries and the slowest of them. Run it against the benchmark database:

    .venv/bin/python bench/profile.py                 # every key page
    .venv/bin/python bench/profile.py --page catalog  # pages whose name contains this
    .venv/bin/python bench/profile.py --sql           # print the slowest query's SQL too
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DEFAULT_DB, bench_superuser, setup_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--page", default="", help="only pages whose name contains this")
    parser.add_argument("--repeat", type=int, default=3, help="requests per page (best is shown)")
    parser.add_argument("--sql", action="store_true", help="print the slowest query")
    args = parser.parse_args()
    setup_django(args.database_url)

    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client

    from bench.pages import key_pages

    settings.DEBUG = True  # record queries (templates and errors stay as in production)
    settings.ALLOWED_HOSTS = ["*"]
    # What the views cost, not what the cache in front of them saves.
    settings.PAGE_CACHE_SECONDS = settings.REPORT_CACHE_SECONDS = 0
    settings.STAFF_PAGE_CACHE_SECONDS = 0
    staff = bench_superuser()
    for name, path, _kind, needs_staff in key_pages():
        if args.page not in name:
            continue
        client = Client()
        if needs_staff:
            client.force_login(staff)
        client.get(path)  # warm caches that every process holds (content types, templates)
        best = None
        for _ in range(args.repeat):
            reset_queries()
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            queries = list(connection.queries)
            if best is None or elapsed < best[0]:
                best = (elapsed, queries, response.status_code, len(response.content))
        elapsed, queries, status, size = best
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        slowest = max(queries, key=lambda q: float(q["time"]), default=None)
        print(
            f"{name:<34} {elapsed:>8.1f} ms  {status}  {size / 1024:>6.1f} KB  "
            f"{len(queries):>3} queries  {sql_ms:>8.1f} ms SQL"
            + (f"  slowest {float(slowest['time']) * 1000:.1f} ms" if slowest else "")
        )
        if args.sql and slowest:
            print("    " + slowest["sql"][:2000])


if __name__ == "__main__":
    main()
