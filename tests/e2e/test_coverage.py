"""A public or owner page added to the inventory without its browser flag fails here.

The browser checks (tests/e2e/test_pages.py) cover the Routes flagged public=True or
owner_page=True; this test makes the flags mandatory for every HTML page that anonymous
visitors (public) or only logged-in owners (owner pages) can open.
"""

import pytest

from tests import url_matrix as m

# The API answers JSON (its HTML guide, /api/, is a page); tests/api checks it.
NOT_PAGES = ("/admin", "/healthz", "/i18n", "/en/admin", "/api/v1/")
FEEDS_AND_FILES = (".ics", ".xml", ".txt", ".json", ".xlsx", ".csv", ".pdf", ".jpg", ".png")


def is_html_page(path):
    bare = path.split("?")[0]
    return not bare.startswith(NOT_PAGES) and not bare.endswith(FEEDS_AND_FILES)


def is_download(route, path):
    """Files served to their owner (documents, scans, exports)."""
    return any(word in path for word in ("/dokumen/", "/unduh", "/berkas/", "/media/"))


@pytest.mark.django_db
def test_every_public_page_is_checked_in_the_browser(world):
    missing = [
        route.name
        for route in m.ROUTES
        if route.expect.get(m.ANON) == 200 and is_html_page(route.path(world)) and not route.public
    ]
    assert not missing, f"Routes open to anonymous visitors without public=True: {missing}"


@pytest.mark.django_db
def test_every_owner_page_is_checked_in_the_browser(world):
    missing = [
        route.name
        for route in m.ROUTES
        if route.expect.get(m.OWNER_A) == 200
        and route.expect.get(m.ANON) == 302
        and is_html_page(path := route.path(world))
        and not is_download(route, path)
        and not route.owner_page
    ]
    assert not missing, f"Owner pages without owner_page=True: {missing}"


def test_the_check_notices_a_missing_flag():
    """The rule itself: an unflagged anonymous page would be reported."""
    route = m.Route("new_page", lambda w: "/baru/", m.everyone())
    assert route.expect[m.ANON] == 200 and is_html_page("/baru/") and not route.public
    assert not is_html_page("/gerai/acara/x.ics")
