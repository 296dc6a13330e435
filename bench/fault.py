"""Fault test: restart PostgreSQL under concurrent writes.

    .venv/bin/python bench/fault.py            # or `make fault`; needs root

It creates a PostgreSQL cluster of its own (`fault`, port 5433, trust auth on loopback),
so that other databases on the machine are not touched, and drops it again at the end,
whether the test passed, failed or was interrupted.

Eight clients sign up new accounts through gunicorn (2 workers) the way a person does:
they load the form, wait a few seconds (the form refuses instant posts) and post it,
each from its own address behind one trusted proxy (so the per-address limit of the
sign-up form does not refuse them). Meanwhile PostgreSQL is stopped for 5 s (once a first sign-up has succeeded) and
started again. It passes only when every one of these holds:

  - at least one sign-up succeeded before the outage;
  - while PostgreSQL was down, /healthz answered 503, and so did every refused write:
    no 500, no other status, and no connection error or timeout (status 0) anywhere;
  - /healthz answered 200 again within 15 s of PostgreSQL starting (a busy 2-core machine), without a restart
    of gunicorn, and at least one sign-up succeeded after that;
  - every sign-up that answered success (302) is in the database.

Exit status 0 when every check holds.
"""

import html
import itertools
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.client import Browser  # noqa: E402
from bench.server import gunicorn  # noqa: E402

CLUSTER, PG_PORT = "fault", "5433"
DB_NAME = "tangerang_ikm_fault"
DB = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}"
PORT = 8910
PG_VERSION = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else "15"
WRITERS = 8
# Generous timeouts: the machine may be busy; a request that hangs past them is a defect.
# The sign-up form refuses a post sent sooner than this after the form was shown.
FILL_SECONDS = 3.2
BEFORE, OUTAGE, AFTER = 6, 5, 15
RECOVERY_LIMIT = 15
INPUT = re.compile(r"<input\b[^>]*>", re.I)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def cluster_exists():
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    return any(line.split()[:2] == [PG_VERSION, CLUSTER] for line in listed.splitlines())


def pg(action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, action], check=True
    )


def drop_cluster():
    if cluster_exists():
        subprocess.run(
            ["pg_dropcluster", "--stop", PG_VERSION, CLUSTER], check=True, capture_output=True
        )


def create_cluster():
    drop_cluster()  # a cluster left by an older version of this script: start clean
    subprocess.run(
        ["pg_createcluster", PG_VERSION, CLUSTER, "--port", PG_PORT, "--", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    pg("start")
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres", DB_NAME], check=True
    )


def hidden_fields(page):
    fields = {}
    for tag in INPUT.findall(page):
        attrs = {k.lower(): html.unescape(v) for k, v in ATTR.findall(tag)}
        if attrs.get("type") == "hidden" and attrs.get("name"):
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def sign_up(browser, address, email):
    """Load the form, take a few seconds as a person does, post it. Returns the status."""
    headers = {"X-Forwarded-For": address}
    status, page = browser.request("/akun/daftar/", headers=headers)
    if status != 200:
        return status
    time.sleep(FILL_SECONDS)
    status, _ = browser.request(
        "/akun/daftar/",
        {
            **hidden_fields(page),
            "full_name": "Uji Gangguan",
            "email": email,
            "password1": "gangguan-rotan-77",
            "password2": "gangguan-rotan-77",
            "privacy_consent": "on",
        },
        headers={**headers, "Referer": browser.base + "/akun/daftar/"},
    )
    return status


def run():
    base = f"http://127.0.0.1:{PORT}"
    stop = threading.Event()
    writes, health = [], []  # (time, status[, email])
    lock = threading.Lock()
    addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))

    def writer():
        browser = Browser(base, timeout=30)
        while not stop.is_set():
            with lock:
                address = next(addresses)
            email = f"fault-{uuid.uuid4().hex[:12]}@example.com"
            status = sign_up(browser, address, email)
            with lock:
                writes.append((time.monotonic(), status, email))

    def prober():
        browser = Browser(base, timeout=15)
        while not stop.is_set():
            status, _ = browser.get("/healthz")
            health.append((time.monotonic(), status))
            time.sleep(0.2)

    # One trusted proxy in front: each client's own address counts for the limits.
    # No console mail: each sign-up's confirmation would fill the output.
    with gunicorn(
        DB, port=PORT, workers=2, threads=4, TRUSTED_PROXY_COUNT="1", EMAIL_URL="dummymail://"
    ):
        threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
        threads.append(threading.Thread(target=prober))
        try:
            for t in threads:
                t.start()
            # The outage starts once sign-ups demonstrably work (a busy machine is slow to
            # serve the first ones), and not before BEFORE seconds.
            deadline = time.monotonic() + 90
            time.sleep(BEFORE)
            while time.monotonic() < deadline and not any(s == 302 for _, s, _ in writes):
                time.sleep(0.5)
            down_at = time.monotonic()  # a request from here on may meet a stopping server
            pg("stop")
            stopped_at = time.monotonic()
            time.sleep(OUTAGE)
            start_at = time.monotonic()
            pg("start")
            up_at = time.monotonic()
            time.sleep(AFTER)
        finally:
            stop.set()
            for t in threads:
                t.join()

    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}") as conn:
        stored = {row[0] for row in conn.execute("select email from tangerang_ikm_user")}

    succeeded = [(t, email) for t, status, email in writes if status == 302]
    refused = [(t, status) for t, status, _ in writes if status != 302]
    lost = [email for _, email in succeeded if email not in stored]
    before = [t for t, _ in succeeded if t < down_at]
    during = sorted({s for t, s in health if stopped_at < t < start_at})
    recovered = next((t for t, s in health if t > up_at and s == 200), None)
    after = [t for t, _ in succeeded if recovered is not None and t > recovered]
    unexpected = sorted({s for _, s in refused if s != 503})
    early_503 = [t for t, s in refused if s == 503 and t < down_at]
    health_errors = sorted({s for t, s in health if s not in (200, 503)})

    print(
        f"sign-ups that answered success: {len(succeeded)} "
        f"({len(before)} before the outage, {len(after)} after recovery); "
        f"refused: {len(refused)} (statuses {sorted({s for _, s in refused})})"
    )
    print(f"/healthz while PostgreSQL was down: {during}")
    print(
        f"recovered {recovered - up_at:.1f}s after PostgreSQL started"
        if recovered
        else "did NOT recover"
    )
    print(f"successful sign-ups lost: {len(lost)}")
    checks = {
        "a sign-up succeeded before the outage": bool(before),
        "/healthz answered 503 (and only 503) while PostgreSQL was down": during == [503],
        "/healthz never answered anything but 200 or 503 (0 = connection error)": not health_errors,
        "refused sign-ups answered 503 only (no 500, no connection error)": not unexpected,
        "no 503 before the outage": not early_503,
        f"/healthz answered 200 within {RECOVERY_LIMIT}s of PostgreSQL starting": recovered
        is not None
        and recovered - up_at < RECOVERY_LIMIT,
        "a sign-up succeeded after recovery": bool(after),
        "no successful sign-up was lost": not lost,
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    if not all(checks.values()):
        # The timeline, in seconds from the moment PostgreSQL was stopped.
        print("sign-ups:", " ".join(f"{t - down_at:+.1f}:{s}" for t, s, _ in writes))
        print(
            "healthz:",
            " ".join(f"{t - down_at:+.1f}:{s}" for t, s in health if t > down_at - 1),
            f"(PostgreSQL started at {start_at - down_at:+.1f}, up at {up_at - down_at:+.1f})",
        )
    return all(checks.values())


def main():
    started = time.monotonic()
    try:
        create_cluster()
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "fault-test-only-" + "k" * 40,
            "DATABASE_URL": DB,
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        ok = run()
    finally:
        drop_cluster()  # never leave the cluster on port 5433 behind
    print(f"({time.monotonic() - started:.0f} s; cluster {PG_VERSION}/{CLUSTER} removed)")
    print("FAULT TEST", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
