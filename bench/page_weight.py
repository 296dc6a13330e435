"""Page weight (issue #9): what each public page transfers on first load, at most 100 KB.

Each page is loaded in a fresh Chromium context (empty cache) at phone and desktop size,
and every request it makes is added up: the HTML, CSS, JS, fonts, and the images the
browser fetches at that viewport (lazy images far below the fold are not fetched). Each
response counts as production would send it: text (HTML, CSS, JS, SVG, JSON) gzipped at
level 6 as Django's GZipMiddleware does (whitenoise's gzip -9 or brotli is smaller still),
images and fonts as they are; plus the response headers the browser received. No request
may leave the portal's own host.

    .venv/bin/python bench/page_weight.py --base http://127.0.0.1:8900
    .venv/bin/python bench/page_weight.py --base http://127.0.0.1:8900 --path / --path /katalog/

Without --path, the key public pages of bench/pages.py are built from the database
(--database-url, as bench/run.py). The browser test tests/e2e/test_page_weight.py uses
the same measurement for every public page in tests/url_matrix.py.
"""

import argparse
import gzip
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET = 100_000  # bytes per page ("100 KB", counted in thousands: the stricter reading)
# A page is loaded once nothing started for this long after its load event and fonts.
QUIET_MS = 100
TEXT_TYPES = (
    "text/",
    "application/javascript",
    "application/x-javascript",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "image/svg+xml",
)


def production_bytes(content_type, body):
    """The body's size as production sends it: text gzipped, images and fonts as they are."""
    if content_type.split(";")[0].strip().lower().startswith(TEXT_TYPES):
        return len(gzip.compress(body, compresslevel=6, mtime=0))
    return len(body)


@dataclass(frozen=True)
class Fetch:
    url: str
    status: int  # 0: no response (failed or blocked)
    content_type: str
    bytes: int


@dataclass
class Weight:
    url: str
    fetches: list[Fetch]
    foreign: list[str]  # requests to any other host

    @property
    def total(self):
        return sum(f.bytes for f in self.fetches)

    @property
    def images(self):
        return sum(1 for f in self.fetches if f.content_type.startswith("image/"))

    def heaviest(self, n=5):
        return sorted(self.fetches, key=lambda f: -f.bytes)[:n]


def _fetch(request):
    response = request.response()
    if response is None:
        return Fetch(request.url, 0, "", 0)
    headers = request.sizes()["responseHeadersSize"]
    content_type = response.headers.get("content-type", "")
    if 300 <= response.status < 400:
        return Fetch(request.url, response.status, content_type, headers)
    return Fetch(
        request.url,
        response.status,
        content_type,
        headers + production_bytes(content_type, response.body()),
    )


def load_until_quiet(page, url, quiet_ms=QUIET_MS, timeout_ms=15_000):
    """Load `url` and return once every request the page started has finished, its web
    fonts are loaded and no request started for `quiet_ms`. Playwright's "networkidle"
    waits a fixed 500 ms with no connection open: 29 of the page-weight test's 58 s
    went to that wait alone (29 pages at two sizes)."""
    pending, started = set(), []
    page.on("request", lambda request: (pending.add(request), started.append(request)))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    waited = 0
    while True:
        before = len(started)
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
        if not pending and len(started) == before:
            return
        if waited > timeout_ms:
            raise TimeoutError(f"{url}: requests still open after {timeout_ms} ms: {pending}")


def measure(context, url):
    """Load `url` once in `context` (fresh, so nothing is cached) and weigh every request."""
    own = urlsplit(url).netloc
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request))
    load_until_quiet(page, url)
    foreign = [
        r.url
        for r in requests
        if urlsplit(r.url).scheme not in ("data", "blob") and urlsplit(r.url).netloc != own
    ]
    weight = Weight(url, [_fetch(r) for r in requests], foreign)
    page.close()
    return weight


def table(rows):
    """rows: (page, size, Weight). A fixed-width table, one line per page and size."""
    lines = [
        f"{'page':<40} {'size':<8} {'requests':>8} {'images':>6} {'KB':>7}  verdict",
    ]
    for name, size, w in rows:
        verdict = "ok" if w.total <= BUDGET and not w.foreign else "OVER"
        if w.foreign:
            verdict += f" ({len(w.foreign)} external)"
        lines.append(
            f"{name:<40} {size:<8} {len(w.fetches):>8} {w.images:>6} {w.total / 1000:>7.1f}"
            f"  {verdict}"
        )
    lines.append(f"KB = 1000 bytes; budget {BUDGET / 1000:.0f} KB per page; no external requests.")
    return "\n".join(lines)


def key_public_pages(database_url):
    """(name, path) of bench/pages.py's public HTML pages, from the data in the database."""
    from bench.pages import key_pages
    from bench.run import setup_django

    setup_django(database_url)
    return [
        (name, path)
        for name, path, kind, _staff in key_pages()
        if kind == "public" and not path.endswith(".ics")
    ]


def main():
    from playwright.sync_api import sync_playwright

    from bench.run import DEFAULT_DB
    from tests.e2e.conftest import CHROMIUM, LAUNCH_ARGS, SIZES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8900")
    parser.add_argument("--path", action="append", help="a page to weigh (repeatable)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()

    pages = [(p, p) for p in args.path] if args.path else key_public_pages(args.database_url)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for name, path in pages:
            for size, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, locale="id-ID")
                rows.append((name, size, measure(context, args.base.rstrip("/") + path)))
                context.close()
        browser.close()
    print(table(rows))
    for name, size, w in rows:
        for url in w.foreign:
            print(f"external request from {name} ({size}): {url}")
    return 0 if all(w.total <= BUDGET and not w.foreign for _n, _s, w in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
