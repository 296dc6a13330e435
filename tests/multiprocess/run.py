"""Proof that the portal runs as several stateless app servers (issue #11).

    make multiprocess          # both parts: .venv/bin/python -m tests.multiprocess
    .venv/bin/python -m tests.multiprocess.run      # this part only

The second part, with the default configuration and nginx, is default_config.py.

What it starts (and stops again):
  - a local S3 emulator (moto in server mode) on PROOF_S3_PORT (8110),
  - two gunicorn app servers, A on PROOF_PORT_A (8111) and B on PROOF_PORT_B (8112),
    sharing one PostgreSQL database (PROOF_DATABASE_URL, recreated), one Redis database
    (PROOF_REDIS_URL, flushed) and the S3 emulator,
  - later, one `manage.py db_worker`.

What it checks:
  1. a login made through A is valid on B (sessions in the database/cache, not in memory);
  2. a photo uploaded through A is served by B, and a private document uploaded through A
     is handed out by B as a presigned S3 link (media on object storage);
  3. a rate limit counts requests made to both A and B (Redis), and so does the login
     lock-out (django-axes, database);
  4. an e-mail queued through A while no worker runs is sent once the worker starts
     (database task backend; the file e-mail backend lets us see it).

It prints one line per check and ends with "N passed, M failed"; the exit code is 0 only
when every check passed. Needs PostgreSQL and Redis running (.ci/run starts them).
"""

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import redis
import requests
from PIL import Image

from tests.s3server import CREDENTIALS, REGION, create_buckets, moto_server

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PORT_A = int(os.environ.get("PROOF_PORT_A", "8111"))
PORT_B = int(os.environ.get("PROOF_PORT_B", "8112"))
S3_PORT = int(os.environ.get("PROOF_S3_PORT", "8110"))
DATABASE_URL = os.environ.get(
    "PROOF_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ikm_multiprocess"
)
REDIS_URL = os.environ.get("PROOF_REDIS_URL", "redis://127.0.0.1:6379/5")
PASSWORD = "proof-password-2026"

results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(f"{'PASS' if condition else 'FAIL'}  {name}{'' if condition else f'  ({detail})'}")
    sys.stdout.flush()


def recreate_database(database_url=DATABASE_URL):
    url = urlparse(database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url=DATABASE_URL):
    """Leave no proof database behind (the servers using it are stopped first)."""
    url = urlparse(database_url)
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.path.lstrip("/")}" WITH (FORCE)')


def environment(s3_endpoint, mail_dir):
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_", "S3_", "AWS_", "EMAIL_"))
    }
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "tests.multiprocess.settings",
        "DEBUG": "false",
        "SECRET_KEY": "multiprocess-proof-only-" + "k" * 40,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": REDIS_URL,
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": "proof-media",
        "S3_PRIVATE_BUCKET": "proof-private",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": REGION,
        **CREDENTIALS,
        "TASKS_BACKEND": "database",
        "EMAIL_URL": "filemail://",
        "EMAIL_FILE_PATH": str(mail_dir),
        # The proof client plays several users behind one load balancer.
        "TRUSTED_PROXY_COUNT": "1",
        "AXES_FAILURE_LIMIT": "4",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_gunicorn(env, port, name, logs):
    log = open(logs / f"gunicorn-{name}.log", "wb")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "tangerang_ikm.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--timeout=30",
            "--access-logfile=-",
        ],
        cwd=ROOT,
        env={**env, "PROOF_SERVER_NAME": name},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(200):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return process
        except requests.RequestException:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn {name} did not start; see {log.name}")


def stop(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def client(ip):
    session = requests.Session()
    session.headers["X-Forwarded-For"] = ip
    return session


def login(session, base, email, password):
    session.get(f"{base}/akun/masuk/", timeout=10)
    return session.post(
        f"{base}/akun/masuk/",
        data={
            "username": email,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )


def post(session, url, **kwargs):
    headers = {"X-CSRFToken": session.cookies.get("csrftoken", "")}
    return session.post(url, headers=headers, timeout=10, **kwargs)


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def prove(a, b, env, mail_dir, logs):
    # 1. A login through A is valid on B.
    alice = client("203.0.113.10")
    response = login(alice, a, "proof-owner@example.com", PASSWORD)
    check("login through A succeeds", response.status_code == 302, response.status_code)
    on_b = alice.get(f"{b}/_proof/whoami/", timeout=10).json()
    check(
        "that session is valid on B",
        on_b == {"server": "B", "user": "proof-owner@example.com"},
        on_b,
    )
    stranger = client("203.0.113.11").get(f"{b}/_proof/whoami/", timeout=10).json()
    check("without the cookie B sees an anonymous visitor", stranger["user"] == "anonymous")

    # 2. A photo uploaded through A is served by B; a private document likewise, presigned.
    photo = png_bytes()
    uploaded = post(alice, f"{a}/_proof/upload/", files={"photo": ("kerupuk.png", photo)})
    name = uploaded.json()["name"] if uploaded.status_code == 200 else ""
    check("photo uploaded through A", uploaded.status_code == 200, uploaded.status_code)
    served = alice.get(f"{b}/_proof/file/", params={"name": name}, timeout=10)
    check(
        "the same photo is served by B from S3",
        served.status_code == 200
        and served.content == photo
        and served.headers["X-Served-By"] == "B",
        served.status_code,
    )
    private = post(
        alice,
        f"{a}/_proof/upload/",
        data={"private": "1"},
        files={"photo": ("sertifikat.pdf", b"%PDF-1.7 proof certificate")},
    )
    private_name = private.json().get("name", "") if private.status_code == 200 else ""
    link = alice.get(
        f"{b}/_proof/private/", params={"name": private_name}, allow_redirects=False, timeout=10
    )
    location = link.headers.get("Location", "")
    fetched = requests.get(location, timeout=10) if location else None
    check(
        "a private document uploaded through A is a ≤5-minute presigned link on B",
        link.status_code == 302
        and "X-Amz-Signature=" in location
        and "X-Amz-Expires=" in location
        and int(location.split("X-Amz-Expires=")[1].split("&")[0]) <= 300
        and fetched is not None
        and fetched.content == b"%PDF-1.7 proof certificate",
        f"{link.status_code} {location[:80]}",
    )

    # 3. A rate limit (5 per 5 minutes per client) counts requests to both servers.
    bob = client("198.51.100.20")
    statuses = [
        bob.get(f"{server}/_proof/limited/", timeout=10).status_code
        for server in (a, b, a, b, a, b)
    ]
    check(
        "rate limit: 5 requests alternating A/B pass, the 6th (on B) is refused",
        statuses == [200, 200, 200, 200, 200, 429],
        statuses,
    )
    other = client("198.51.100.21").get(f"{a}/_proof/limited/", timeout=10).status_code
    check("another client is not affected", other == 200, other)

    # ... and the login lock-out (4 failures allowed) counts failures on both servers.
    mallory = client("192.0.2.66")
    failures = [
        login(mallory, server, "proof-target@example.com", "wrong").status_code
        for server in (a, b, a, b)
    ]
    locked = login(client("192.0.2.67"), a, "proof-target@example.com", PASSWORD)
    check(
        "login lock-out: 4 failures spread over A and B lock the account on both",
        failures[:3] == [200, 200, 200] and failures[3] == 429 and locked.status_code == 429,
        f"{failures} then {locked.status_code}",
    )

    # Sessions are written to the database: losing the whole cache logs nobody out.
    redis.Redis.from_url(REDIS_URL).flushdb()
    after_flush = alice.get(f"{a}/_proof/whoami/", timeout=10).json()
    check(
        "the login survives a flush of Redis (sessions are in the database)",
        after_flush["user"] == "proof-owner@example.com",
        after_flush,
    )

    # 4. An e-mail queued while the worker is down is sent once it starts.
    queued = post(alice, f"{a}/_proof/mail/")
    check(
        "e-mail queued through A while no worker runs",
        queued.status_code == 200 and queued.json()["status"] == "READY",
        queued.text[:200],
    )
    time.sleep(2)
    check("nothing is sent while the worker is down", not any(mail_dir.iterdir()))
    worker_log = open(logs / "worker.log", "wb")
    worker = subprocess.Popen(
        [
            str(BIN / "python"),
            "manage.py",
            "db_worker",
            "--interval=0.5",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        # The file backend creates the file before it writes the message, so
        # wait for the recipient header, not for the file alone.
        sent, text = [], ""
        for _ in range(300):
            sent = [p for p in mail_dir.iterdir() if p.is_file()]
            text = sent[0].read_text(errors="replace") if sent else ""
            if "To: proof-owner@example.com" in text:
                break
            time.sleep(0.1)
        check(
            "the worker sends it once it starts",
            len(sent) == 1 and "To: proof-owner@example.com" in text,
            f"{len(sent)} files",
        )
    finally:
        stop(worker)
        worker_log.close()


def main():
    started = time.monotonic()
    logs = Path(tempfile.mkdtemp(prefix="ikm-multiprocess-"))
    mail_dir = logs / "mail"
    mail_dir.mkdir()
    processes = []
    try:
        with moto_server(port=S3_PORT, log_dir=logs) as s3_endpoint:
            create_buckets(s3_endpoint, "proof-media", "proof-private")
            recreate_database()
            redis.Redis.from_url(REDIS_URL).flushdb()
            env = environment(s3_endpoint, mail_dir)
            manage(env, "migrate", "--noinput", "-v0")
            create_user = (
                "from tangerang_ikm.models import User; from django.utils import timezone\n"
                "for email in ('proof-owner@example.com', 'proof-target@example.com'):\n"
                "    u = User.objects.create_user(email=email, password='" + PASSWORD + "')\n"
                "    u.email_confirmed_at = timezone.now(); u.save()\n"
            )
            manage(env, "shell", "-v0", "-c", create_user)
            processes.append(start_gunicorn(env, PORT_A, "A", logs))
            processes.append(start_gunicorn(env, PORT_B, "B", logs))
            prove(f"http://127.0.0.1:{PORT_A}", f"http://127.0.0.1:{PORT_B}", env, mail_dir, logs)
    finally:
        for process in processes:
            stop(process)
        drop_database()
    passed, failed = results.count(True), results.count(False)
    print(f"(logs in {logs}; {time.monotonic() - started:.0f} s)")
    print(f"{passed} passed, {failed} failed")
    if failed == 0:
        shutil.rmtree(logs, ignore_errors=True)
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
