"""Start and stop the portal under gunicorn in production mode, for the benchmarks."""

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
BENCH_CACHE_URL = "redis://127.0.0.1:6379/3"


def production_env(database_url, **extra):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "BENCHMARK_FLOOR": "true",
        "LOG_LEVEL": "WARNING",
        # The reference deployment's shared cache (docs/deployment.md): both workers
        # see one page cache, as every app server does in production.
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", BENCH_CACHE_URL),
        # wrk asks from one address: the API's per-address limit would answer 429.
        "API_RATE_LIMIT": "100000000",
    }
    env.update(extra)
    return env


def migrate_and_seed_demo(env):
    """`migrate`, then `seed_demo`, with `env` (production_env's); stops with their output
    when either fails. The load test and the Lighthouse run serve the demo data."""
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            print(done.stdout[-2000:], done.stderr[-4000:])
            raise SystemExit(f"manage.py {command[0]} failed")


def wait_until_up(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up in {timeout}s")


@contextmanager
def gunicorn(database_url, *, port=8900, workers=2, threads=1, app_dir=ROOT, **extra_env):
    """gunicorn serving the project in `app_dir` (another worktree: an older commit)."""
    env = production_env(database_url, **extra_env)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=app_dir,
        env=env,
        check=True,
    )
    proc = subprocess.Popen(
        [
            GUNICORN,
            "tangerang_ikm.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            "--chdir",
            str(app_dir),
        ],
        cwd=app_dir,
        env=env,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)
