"""Every public and owner page in tests/url_matrix.py, in a real browser at 375 and 1280 px:
zero serious/critical axe violations, no sideways scroll, no CSP errors, a screenshot,
and the page still renders with JavaScript off."""

import pytest
from django.conf import settings
from django.test import Client

from tests import url_matrix as m
from tests.e2e.conftest import assert_page_is_sound

pytestmark = pytest.mark.e2e

PUBLIC = [r for r in m.ROUTES if r.public]
OWNER = [r for r in m.ROUTES if r.owner_page]


def login_browser(context, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", PUBLIC, ids=[r.name for r in PUBLIC])
def test_public_page_is_sound(live_server, context_factory, size, world, route):
    page = context_factory(size).new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text),
    )
    path = route.path(world)
    page.goto(live_server.url + path)
    assert_page_is_sound(page, f"public-{route.name}-{size}")
    english = "/en" + path if not path.startswith("/en/") else path
    page.goto(live_server.url + english)
    assert page.locator("html").get_attribute("lang") == "en"
    assert_page_is_sound(page, f"public-{route.name}-en-{size}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", OWNER, ids=[r.name for r in OWNER])
def test_owner_page_is_sound(live_server, context_factory, size, world, route):
    context = context_factory(size)
    login_browser(context, world["users"]["owner_a"], live_server)
    page = context.new_page()
    page.csp_errors = []
    page.goto(live_server.url + route.path(world))
    assert_page_is_sound(page, f"owner-{route.name}-{size}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", PUBLIC, ids=[r.name for r in PUBLIC])
def test_public_page_works_without_javascript(live_server, context_factory, world, route):
    page = context_factory("phone", javascript=False).new_page()
    response = page.goto(live_server.url + route.path(world))
    assert response.status < 500
    assert page.locator("main h1").count() >= 1
    assert page.locator("nav[aria-label]").count() >= 1
