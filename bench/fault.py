"""Fault test: restart PostgreSQL under concurrent writes.

Checks that /healthz answers 503 while the database is down, that the portal
recovers without restarting gunicorn, and that no write that returned success was lost.

    .venv/bin/python bench/fault.py            # needs root (pg_createcluster, pg_ctlcluster)

It restarts a PostgreSQL cluster of its own (`fault`, port 5433, created on first use
with trust auth on loopback), so that other databases on the machine are not touched.
Exit status 0 when every check holds.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.client import Browser  # noqa: E402
from bench.server import gunicorn, production_env  # noqa: E402

CLUSTER, PG_PORT = "fault", "5433"
DB = f"postgres://postgres@127.0.0.1:{PG_PORT}/tangerang_ikm_fault"
PORT = 8910
PG_VERSION = os.listdir("/etc/postgresql")[0] if os.path.isdir("/etc/postgresql") else "15"


def pg(action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, action], check=True
    )


def ensure_cluster():
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if not any(line.split()[:2] == [PG_VERSION, CLUSTER] for line in listed.splitlines()):
        subprocess.run(
            ["pg_createcluster", PG_VERSION, CLUSTER, "--port", PG_PORT, "--", "--auth=trust"],
            check=True,
            capture_output=True,
        )
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "start"],
        capture_output=True,
    )


def main():
    ensure_cluster()
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            PG_PORT,
            "-U",
            "postgres",
            "-qc",
            "create database tangerang_ikm_fault",
        ],
        capture_output=True,
    )
    env = production_env(DB)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    base = f"http://127.0.0.1:{PORT}"
    stop = threading.Event()
    succeeded, failed, health = [], [], []
    lock = threading.Lock()

    def writer():
        browser = Browser(base)
        while not stop.is_set():
            email = f"fault-{uuid.uuid4().hex[:12]}@example.com"
            status, _ = browser.post_form(
                "/akun/daftar/",
                {
                    "full_name": "Uji Gangguan",
                    "email": email,
                    "password1": "gangguan-rotan-77",
                    "password2": "gangguan-rotan-77",
                    "privacy_consent": "on",
                },
            )
            with lock:
                (succeeded if status == 302 else failed).append((time.monotonic(), email, status))

    def prober():
        browser = Browser(base, timeout=3)
        while not stop.is_set():
            status, _ = browser.get("/healthz")
            health.append((time.monotonic(), status))
            time.sleep(0.2)

    with gunicorn(DB, port=PORT, workers=2, threads=4):
        threads = [threading.Thread(target=writer) for _ in range(8)] + [
            threading.Thread(target=prober)
        ]
        for t in threads:
            t.start()
        time.sleep(5)
        pg("stop")
        down_at = time.monotonic()
        time.sleep(4)
        start_at = time.monotonic()
        pg("start")
        up_at = time.monotonic()
        time.sleep(8)
        stop.set()
        for t in threads:
            t.join()

    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{PG_PORT}/tangerang_ikm_fault") as conn:
        stored = {row[0] for row in conn.execute("select email from tangerang_ikm_user")}
    lost = [email for _, email, _ in succeeded if email not in stored]
    during = [s for t, s in health if down_at < t < start_at]
    recovered = next((t for t, s in health if t > up_at and s == 200), None)
    statuses = sorted({s for _, _, s in failed})
    print(
        f"writes that returned success: {len(succeeded)}; refused or failed: {len(failed)} (statuses {statuses})"
    )
    print(f"/healthz while PostgreSQL was down: {sorted(set(during))}")
    print(
        f"recovered {recovered - up_at:.1f}s after PostgreSQL started"
        if recovered
        else "did NOT recover"
    )
    print(f"successful writes lost: {len(lost)}")
    ok = not lost and during and set(during) <= {503, 0} and 503 in during and recovered is not None
    ok = ok and (recovered - up_at) < 10 and 500 not in statuses
    print("FAULT TEST", "PASSED" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
