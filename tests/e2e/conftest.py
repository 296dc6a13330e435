"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

Never `playwright install`: the browser is /usr/bin/chromium from Debian's packages.
Outside CI the tests are skipped, with a message, when Chromium is absent; in CI they fail.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text()
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

# The live server thread shares the ORM with Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        return  # let them fail loudly: CI must have Chromium
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped")
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def size(request):
    return request.param


@pytest.fixture
def context_factory(browser):
    contexts = []

    def make(size="phone", *, javascript=True, locale="id-ID"):
        context = browser.new_context(
            viewport=SIZES[size], java_script_enabled=javascript, locale=locale
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def watch(page):
    """Record what the page's console reports: CSP refusals and JavaScript errors.

    A failed fetch ("Failed to load resource", e.g. a 404 page's own status) is left to
    the page-weight test, which sees every request."""
    page.csp_errors = []

    def on_console(msg):
        if "Content Security Policy" in msg.text:
            page.csp_errors.append(msg.text)
        elif msg.type == "error" and "Failed to load resource" not in msg.text:
            page.csp_errors.append(f"console error: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.csp_errors.append(f"JavaScript error: {error}"))
    return page


@pytest.fixture
def page(context_factory, size):
    return watch(context_factory(size).new_page())


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    safe = re.sub(r"[^a-zA-Z0-9_-]+", "_", name).strip("_")
    page.screenshot(path=str(ARTIFACTS / f"{safe}-{width}.png"), full_page=True)


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core in the page (through DevTools, so our CSP does not block it)."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def sideways_overflow(page):
    """Pixels the page scrolls sideways (0 is what we want)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def page_problems(page, name, *, sideways=True):
    """What is wrong with the page on screen, one line each: serious or critical axe
    violations, sideways scroll, CSP refusals and JavaScript errors since the last check.
    Loops over many pages collect these, so one run shows them all.

    A page with problems leaves a screenshot in test-artifacts/screenshots/; with
    E2E_SCREENSHOTS=1 every page does (a full-page screenshot costs more than the checks).
    """
    problems = [f"{name}: {violation}" for violation in axe_violations(page)]
    if sideways and (overflow := sideways_overflow(page)) > 0:
        problems.append(f"{name} scrolls sideways by {overflow} px")
    errors = getattr(page, "csp_errors", [])
    problems += [f"{name}: {error}" for error in errors]
    errors.clear()
    if problems or os.environ.get("E2E_SCREENSHOTS") == "1":
        shot(page, name)
    return problems


def problems_at_each_size(page, name, *, sideways=True):
    """page_problems at 375 px, then at 1280 px after resizing the same loaded page: the
    layout (media queries) and so what axe sees changes with the width, but the server's
    HTML does not, so one load serves both sizes. Load pages at phone size (the page
    fixture's first size) before calling this; it leaves the page at phone size."""
    problems = []
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        problems += page_problems(page, f"{name}-{size}", sideways=sideways)
    page.set_viewport_size(PHONE)
    return problems


def assert_page_is_sound(page, name):
    """Every page: no serious axe violations, no sideways scroll, no CSP or JavaScript
    errors (a screenshot when there are)."""
    problems = page_problems(page, name)
    assert not problems, "\n".join(problems)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(transactional_db, reference_data):
    """Browser tests are transactional: reload the reference rows that a flush removed."""
