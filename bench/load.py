"""Load test: 50 concurrent clients for 60 s on public pages and form posts.

Reports requests, errors (any 5xx or connection error) and the resident memory of
each gunicorn worker, sampled every second; fails if there is any error or a worker
goes over --max-rss-mb.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--max-rss-mb 300]

Sign-ups are posted as a person does (bench/fault.py sign_up: the form's hidden fields,
a few seconds to fill it, each client its own address behind one trusted proxy).
The database (LOAD_DATABASE_URL) is created for the run and dropped after it, also
when the run fails.
"""

import argparse
import os
import random
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.client import Browser  # noqa: E402
from bench.fault import sign_up  # noqa: E402
from bench.server import gunicorn, migrate_and_seed_demo, production_env  # noqa: E402

DB = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tangerang_ikm_load")
PORT = 8920
PUBLIC = ["/", "/en/", "/katalog/", "/misi-dagang/", "/gerai/acara/", "/akun/masuk/"]


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().split()
            except OSError:
                continue
            if stat[3] == str(pid):
                found.append(int(entry.name))
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-rss-mb", type=float, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    base = f"http://127.0.0.1:{PORT}"
    stop = threading.Event()
    counts = {"requests": 0, "errors": 0, "posts": 0}
    errors = []
    lock = threading.Lock()

    def client(n):
        browser = Browser(base, timeout=30)
        rng = random.Random(n)
        while not stop.is_set():
            if rng.random() < 0.1:
                address = f"10.{n % 256}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                status = sign_up(browser, address, f"load-{uuid.uuid4().hex[:12]}@example.com")
                kind = "posts"
                ok = status == 302
            else:
                path = rng.choice(PUBLIC)
                status, _ = browser.get(path)
                kind = "requests"
                ok = status in (200, 302)
            with lock:
                counts[kind] += 1
                if not ok:
                    counts["errors"] += 1
                    errors.append(status)

    try:
        create_database()
        return run(args, client, counts, errors, stop)
    finally:
        drop_database()


def maintenance_url():
    return urlparse(DB)._replace(path="/postgres").geturl()


def create_database():
    name = urlparse(DB).path.lstrip("/")
    with psycopg.connect(maintenance_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database():
    name = urlparse(DB).path.lstrip("/")
    with psycopg.connect(maintenance_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"(database {name} dropped)")


def run(args, client, counts, errors, stop):
    env = production_env(DB, EMAIL_URL="dummymail://")
    migrate_and_seed_demo(env)
    peak = {}
    # One trusted proxy in front (each client's address counts for the form limits); no
    # console mail.
    with gunicorn(
        DB,
        port=PORT,
        workers=args.workers,
        threads=4,
        TRUSTED_PROXY_COUNT="1",
        EMAIL_URL="dummymail://",
    ) as proc:
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        try:
            for t in threads:
                t.start()
            end = time.monotonic() + args.seconds
            while time.monotonic() < end:
                for pid in children(proc.pid):
                    peak[pid] = max(peak.get(pid, 0), rss_mb(pid))
                time.sleep(1)
        finally:
            stop.set()
            for t in threads:
                t.join()
    print(
        f"{args.clients} clients for {args.seconds}s: {counts['requests']} GETs, {counts['posts']} form posts"
    )
    print(f"errors: {counts['errors']} {sorted(set(errors))[:10]}")
    print("peak RSS per worker (MB):", ", ".join(f"{v:.0f}" for v in peak.values()))
    ok = counts["errors"] == 0 and all(v <= args.max_rss_mb for v in peak.values())
    print("LOAD TEST", "PASSED" if ok else "FAILED", f"(bound {args.max_rss_mb:.0f} MB per worker)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
