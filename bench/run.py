"""Page benchmarks: p50/p95/p99 latency and requests per second under concurrent load.

The headline is the **long tail** (`--long-tail`, issue #26): each request a random path
out of thousands of real ones (bench/longtail.py), caches as deployed, each mix next to
the trivial view's floor measured in the same run:

    .venv/bin/python bench/run.py --long-tail --duration 10 --connections 4
    .venv/bin/python bench/run.py --long-tail --app-dir /tmp/before   # an older commit
    .venv/bin/python bench/run.py --long-tail --app-dir /tmp/before --app-dir . --rounds 3

The rest of this docstring is the older mode: one URL per key page, again and again.

Serves the portal with gunicorn in production mode on PostgreSQL, loads each key page
with wrk, and prints each page's throughput as a ratio to a trivial Django view on the
same server (the framework's floor). See docs/benchmarks.md for results.

Each page is measured twice, as deployed ("cached": the report cache on; the app keeps
no whole pages, a proxy may) and with it off ("views": what a cold report costs), each
with its own floor. Requests ask for gzip, as browsers do. --long-tail is the headline:
random real paths per mix (docs/benchmarks.md).

    .venv/bin/python bench/run.py --seed            # seed_scale first (regency scale)
    .venv/bin/python bench/run.py --duration 10     # reuse the data already loaded
    .venv/bin/python bench/run.py --modes views --only search
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import gunicorn, production_env  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tangerang_ikm_bench"

# Target p95 in ms by kind of page (issue #9).
TARGETS = {"public": 50, "report": 50, "admin": 150, "dashboard": 250}
# Long tail (issue #26): p95 in ms by kind of mix, and public pages at >= 10 % of the
# floor's requests per second. Owner pages are shown against the public target.
LONG_TAIL_TARGETS = {"public": 50, "owner": 50, "admin": 150, "report": 150}
LONG_TAIL_MIN_RATIO = 0.10
# At national scale (--national) the issue asks catalog search for p95 <= 100 ms.
NATIONAL_SEARCH_TARGET = 100
MODES = {
    "cached": {},
    "views": {"REPORT_CACHE_SECONDS": "0"},
}


def setup_django(database_url):
    os.environ.update(production_env(database_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tangerang_ikm.settings"
    import django

    django.setup()


def bench_superuser():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        email="bench@example.com", defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def staff_cookie():
    """A session for a superuser, so that wrk can load admin pages."""
    from bench.longtail import session_cookie

    return session_cookie(bench_superuser())


def pages():
    """(name, path, kind, needs_staff) for each key page, built from the data in the database."""
    from bench import pages as page_list

    return page_list.key_pages()


def wrk(url, *, duration, connections, cookie=None, paths=None):
    """wrk against `url`, or (with `paths`, a file of path<TAB>cookie lines) against a
    random line of that file on every request."""
    script = "longtail.lua" if paths else "stats.lua"
    cmd = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-H",
        "Accept-Encoding: gzip",
        "-s",
        str(ROOT / "bench" / script),
    ]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(url)
    if paths:
        cmd += ["--", str(paths)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def settle(url, *, cookie=None, warm=5):
    """Wait until the server has worked off the last page's queue, then warm `url` up.

    wrk stops, but requests it queued (a dashboard at seconds each) keep the workers
    busy and would be counted against the next page.
    """
    import time
    import urllib.request

    base = url.split("/", 3)[:3]
    floor = "/".join(base) + "/bench/floor"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.monotonic()
        urllib.request.urlopen(floor, timeout=60).read()
        if time.monotonic() - started < 0.05:
            break
        time.sleep(0.5)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    for _ in range(warm):
        urllib.request.urlopen(request, timeout=120).read()


def run_mode(mode, args, cookie):
    import redis

    from bench.server import BENCH_CACHE_URL

    redis.Redis.from_url(os.environ.get("BENCH_CACHE_URL", BENCH_CACHE_URL)).flushdb()
    base = f"http://127.0.0.1:{args.port}"
    results = []
    with gunicorn(args.database_url, port=args.port, workers=args.workers, **MODES[mode]):
        for connections in args.connections:
            settle(base + "/bench/floor")
            floor = wrk(base + "/bench/floor", duration=args.duration, connections=connections)
            results.append(
                {
                    "mode": mode,
                    "c": connections,
                    "name": "floor (trivial view)",
                    "kind": "floor",
                    "path": "/bench/floor",
                    **floor,
                }
            )
            for name, path, kind, needs_staff in pages():
                if not wanted(args, name):
                    continue
                settle(base + path, cookie=cookie if needs_staff else None)
                row = wrk(
                    base + path,
                    duration=args.duration,
                    connections=connections,
                    cookie=cookie if needs_staff else None,
                )
                row["ratio_to_floor"] = round(row["rps"] / floor["rps"], 3) if floor["rps"] else 0
                results.append(
                    {
                        "mode": mode,
                        "c": connections,
                        "name": name,
                        "path": path,
                        "kind": kind,
                        **row,
                    }
                )
    return results


def probe(base, rows, n=8):
    """Ask for a few paths of a mix once: every one must answer 200 (not a redirect to
    the login page, not a 404), or the mix measures something else."""
    import random
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect())
    bad = []
    for path, cookie in random.Random(0).sample(rows, min(n, len(rows))):
        request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
        try:
            status = opener.open(request, timeout=120).status
        except urllib.error.HTTPError as e:
            status = e.code
        if status != 200:
            bad.append(f"{status} {path}")
    return bad


def run_long_tail(args, cookie):
    """Each mix of bench/longtail.py under wrk, at each concurrency, on each tree.

    The machine is shared, so the load on it changes from minute to minute: each mix is
    measured right after its own floor (the trivial view, on the same server), and with
    several trees (`--app-dir` twice: an older commit and this one) the trees take
    turns mix by mix, so a before and an after are measured seconds apart. With
    `--rounds N` they take N turns each per mix, and print_long_tail adds each tree's
    median over its rounds: one turn each moved a mix by 10-15 % on a noisy machine.
    """
    import tempfile
    from contextlib import ExitStack

    import redis

    from bench import longtail

    trees = [Path(d).resolve() for d in args.app_dir] or [ROOT]
    ports = [args.port + i for i in range(len(trees))]
    results = []
    workdir = Path(tempfile.mkdtemp(prefix="longtail-"))
    with ExitStack() as stack:
        for i, (tree, port) in enumerate(zip(trees, ports, strict=True)):
            # Each tree its own Redis database: older code may keep other values under
            # the same keys. BENCH_REDIS_DB moves the first one, for two runs at once.
            first_db = int(os.environ.get("BENCH_REDIS_DB", 3))
            cache_url = f"redis://127.0.0.1:6379/{first_db + i}"
            redis.Redis.from_url(cache_url).flushdb()
            stack.enter_context(
                gunicorn(
                    args.database_url,
                    port=port,
                    workers=args.workers,
                    app_dir=tree,
                    CACHE_URL=cache_url,
                )
            )
        base = f"http://127.0.0.1:{ports[-1]}"
        mixes = []
        for i, (name, kind, rows) in enumerate(longtail.mixes(base, cookie)):
            if not wanted(args, name):
                continue
            rows = [row if isinstance(row, tuple) else (row, "") for row in rows]
            paths = workdir / f"mix{i}.txt"
            paths.write_text("".join(f"{path}\t{c}\n" for path, c in rows))
            for port in ports:
                bad = probe(f"http://127.0.0.1:{port}", rows)
                if bad:
                    print(f"{name} (:{port}): not 200: {bad[:3]}", file=sys.stderr)
            mixes.append((name, kind, paths, len(rows)))
        turns = [
            (round_, tree, port)
            for round_ in range(1, args.rounds + 1)
            for tree, port in zip(trees, ports, strict=True)
        ]
        for connections in args.connections:
            for name, kind, paths, n in mixes:
                for round_, tree, port in turns:
                    base = f"http://127.0.0.1:{port}"
                    settle(base + "/bench/floor")
                    floor = wrk(base + "/bench/floor", duration=args.floor, connections=connections)
                    # Caches as deployed, warmed by the same mix for a moment first.
                    wrk(base, duration=args.warm, connections=connections, paths=paths)
                    row = wrk(base, duration=args.duration, connections=connections, paths=paths)
                    row["floor_rps"] = floor["rps"]
                    row["floor_p95"] = floor["p95"]
                    row["ratio_to_floor"] = (
                        round(row["rps"] / floor["rps"], 3) if floor["rps"] else 0
                    )
                    results.append(
                        {
                            "tree": tree.name,
                            "round": round_,
                            "c": connections,
                            "name": name,
                            "kind": kind,
                            "paths": n,
                            **row,
                        }
                    )
    return results


def print_long_tail(results):
    header = (
        "tree",
        "c",
        "mix",
        "paths",
        "p50",
        "p95",
        "p99",
        "req/s",
        "floor/s",
        "ratio",
        "target",
        "err",
    )
    print(
        "{:<8} {:>2} {:<42} {:>5} {:>7} {:>7} {:>7} {:>6} {:>7} {:>6} {:>6} {:>4}".format(*header)
    )
    for r in results:
        target = LONG_TAIL_TARGETS.get(r["kind"])
        ok = target is None or r["p95"] <= target
        if r["kind"] == "public":
            ok = ok and r["ratio_to_floor"] >= LONG_TAIL_MIN_RATIO
        verdict = "" if target is None else ("ok" if ok else "SLOW")
        print(
            f"{r['tree'][:8]:<8} {r['c']:>2} {r['name'][:42]:<42} {r['paths']:>5} {r['p50']:>7.1f}"
            f" {r['p95']:>7.1f} {r['p99']:>7.1f} {r['rps']:>6.0f} {r['floor_rps']:>7.0f}"
            f" {r['ratio_to_floor']:>6.1%} {verdict:>6} {r['errors']:>4}"
        )


def print_medians(results):
    """Each tree's median p50, p95, req/s and share of the floor per mix, over its rounds."""
    import statistics

    groups = {}
    for r in results:
        groups.setdefault((r["c"], r["name"], r["tree"]), []).append(r)
    if all(len(rows) == 1 for rows in groups.values()):
        return
    print()
    print("{:<8} {:>2} {:<42} {:>6} {:>7} {:>7} {:>6} {:>6}".format(
        "tree", "c", "mix (median over rounds)", "rounds", "p50", "p95", "req/s", "ratio"
    ))  # fmt: skip
    for (connections, name, tree), rows in groups.items():
        median = {
            key: statistics.median(r[key] for r in rows)
            for key in ("p50", "p95", "rps", "ratio_to_floor")
        }
        print(
            f"{tree[:8]:<8} {connections:>2} {name[:42]:<42} {len(rows):>6} {median['p50']:>7.1f}"
            f" {median['p95']:>7.1f} {median['rps']:>6.0f} {median['ratio_to_floor']:>6.1%}"
        )


def wanted(args, name):
    """--only: any of its comma-separated words in the page's or mix's name."""
    return not args.only or any(word in name for word in args.only.split(","))


def print_table(results, *, national=False):
    header = ("mode", "c", "page", "p50", "p95", "p99", "req/s", "floor", "target", "err")
    print("{:<6} {:>3} {:<34} {:>7} {:>7} {:>7} {:>8} {:>6} {:>7} {:>4}".format(*header))
    for r in results:
        target = TARGETS.get(r["kind"])
        if national and r["name"].startswith("catalog search"):
            target = NATIONAL_SEARCH_TARGET
        verdict = "" if target is None else ("ok" if r["p95"] <= target else "SLOW")
        ratio = r.get("ratio_to_floor", 1.0)
        print(
            f"{r['mode']:<6} {r['c']:>3} {r['name']:<34} {r['p50']:>7.1f} {r['p95']:>7.1f}"
            f" {r['p99']:>7.1f} {r['rps']:>8.0f} {ratio:>6.0%} {verdict:>7} {r['errors']:>4}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--seed", action="store_true", help="migrate and run seed_scale first")
    parser.add_argument("--scale-args", default="", help="extra arguments for seed_scale")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument(
        "--connections",
        type=int,
        nargs="+",
        default=[16, 4],
        help="concurrent connections; each page is loaded at each level (default 16 and 4)",
    )
    parser.add_argument("--modes", nargs="+", choices=list(MODES), default=list(MODES))
    parser.add_argument(
        "--long-tail", action="store_true", help="random paths from bench/longtail.py (issue #26)"
    )
    parser.add_argument("--warm", type=int, default=2, help="long tail: seconds of warm-up per mix")
    parser.add_argument("--floor", type=int, default=4, help="long tail: seconds of floor per mix")
    parser.add_argument(
        "--app-dir",
        action="append",
        default=[],
        help="long tail: serve the project from this tree (a worktree of another commit); "
        "twice to measure two trees taking turns, e.g. --app-dir /tmp/before --app-dir .",
    )
    parser.add_argument(
        "--only",
        default="",
        help="only pages or mixes whose name contains this (several: comma-separated)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="long tail: turns each tree takes per mix (medians printed when more than one)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--national",
        action="store_true",
        help=f"judge catalog search by the national target (p95 <= {NATIONAL_SEARCH_TARGET} ms)",
    )
    args = parser.parse_args()

    env = production_env(args.database_url)
    if args.seed:
        for command in (["migrate", "--noinput", "-v0"], ["seed_scale", *args.scale_args.split()]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    setup_django(args.database_url)
    cookie = staff_cookie()
    if args.long_tail:
        results = run_long_tail(args, cookie)
        print_long_tail(results)
        print_medians(results)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2))
        return
    results = []
    for mode in args.modes:
        results += run_mode(mode, args, cookie)
    print_table(results, national=args.national)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
