"""Every public and owner page in tests/url_matrix.py, in a real browser at 375 and 1280 px:
zero serious/critical axe violations, no sideways scroll, no CSP or JavaScript errors (a
screenshot of any page that has some), and the page still renders with JavaScript off.

One test visits every page in a loop (one world, one browser context) and reports every
page's problems together: a test per page would spend its time building the world and
flushing the database, not looking at pages. Each page is loaded once at 375 px, checked,
resized to 1280 px and checked again (problems_at_each_size): the HTML is the same at both
widths, only the layout differs. The public pages are checked in PUBLIC_PARTS tests (every
PUBLIC_PARTS-th page each), so pytest-xdist spreads the loop over its processes.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests import url_matrix as m
from tests.e2e.conftest import problems_at_each_size, watch

pytestmark = pytest.mark.e2e

PUBLIC = [r for r in m.ROUTES if r.public]
OWNER = [r for r in m.ROUTES if r.owner_page]
PUBLIC_PARTS = 2


def login_browser(context, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "part", range(PUBLIC_PARTS), ids=[f"part{n + 1}of{PUBLIC_PARTS}" for n in range(PUBLIC_PARTS)]
)
def test_public_pages_are_sound(live_server, context_factory, world, part):
    """Each public page in Indonesian, then in English (whose <html lang> is en)."""
    page = watch(context_factory("phone").new_page())
    problems = []
    for route in PUBLIC[part::PUBLIC_PARTS]:
        path = route.path(world)
        page.goto(live_server.url + path)
        problems += problems_at_each_size(page, f"public-{route.name}")
        english = "/en" + path if not path.startswith("/en/") else path
        page.goto(live_server.url + english)
        if (lang := page.locator("html").get_attribute("lang")) != "en":
            problems.append(f"{english}: <html lang={lang!r}>, not en")
        problems += problems_at_each_size(page, f"public-{route.name}-en")
    assert len(PUBLIC) > 20
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_owner_pages_are_sound(live_server, context_factory, world):
    context = context_factory("phone")
    login_browser(context, world["users"]["owner_a"], live_server)
    page = watch(context.new_page())
    problems = []
    for route in OWNER:
        response = page.goto(live_server.url + route.path(world))
        if response.status != 200 or "/akun/masuk/" in page.url:
            problems.append(f"owner-{route.name}: {response.status} at {page.url}")
        problems += problems_at_each_size(page, f"owner-{route.name}")
    assert len(OWNER) > 10
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_public_pages_work_without_javascript(live_server, context_factory, world):
    page = context_factory("phone", javascript=False).new_page()
    problems = []
    for route in PUBLIC:
        path = route.path(world)
        response = page.goto(live_server.url + path)
        if response.status >= 500:
            problems.append(f"{path}: {response.status}")
        if page.locator("main h1").count() < 1:
            problems.append(f"{path}: no <h1> in <main> without JavaScript")
        if page.locator("nav[aria-label]").count() < 1:
            problems.append(f"{path}: no labelled <nav> without JavaScript")
    assert not problems, "\n".join(problems)
