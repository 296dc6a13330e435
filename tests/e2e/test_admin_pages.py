"""Every admin change list and change form (inlines included) in a real browser at 375 and
1280 px, as a superuser: 0 serious or critical axe violations, no CSP or JavaScript errors
(issue #22).

The pages come from the admin's own index (every model a superuser sees), so a model
registered later is checked without editing this file. Each model's change form opens on
its first row in the `world` fixture, or its add form when the world has none. Sideways
scroll is not checked: the admin's wide tables scroll by design on a phone. Each page is
loaded once at 375 px, checked, resized to 1280 px and checked again: the admin's layout
(its media queries) differs between the two, so axe runs at both; the HTML does not.

The pages are checked in PARTS tests (every PARTS-th page of the list from the index,
each part on its own world and login), so pytest-xdist spreads the matrix over its
processes instead of one process running it alone.
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from tests.e2e.conftest import problems_at_each_size, watch
from tests.e2e.test_pages import login_browser

pytestmark = pytest.mark.e2e

PARTS = 4


def admin_pages(superuser):
    """(name, path) of every change list and one change (or add) form per model."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    pages = []
    for app in admin.site.get_app_list(request):
        for entry in app["models"]:
            model = entry["model"]
            name = f"{model._meta.app_label}.{model._meta.model_name}"
            if entry.get("admin_url"):
                pages.append((f"{name} list", entry["admin_url"]))
            first = model._default_manager.order_by("pk").first()
            try:
                change = first and reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                    args=[first.pk],
                )
            except NoReverseMatch:
                change = None
            if change:
                pages.append((f"{name} change", change))
            elif entry.get("add_url"):
                pages.append((f"{name} add", entry["add_url"]))
    return pages


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("part", range(PARTS), ids=[f"part{n + 1}of{PARTS}" for n in range(PARTS)])
def test_admin_pages_are_accessible(live_server, context_factory, world, part):
    superuser = world["users"]["superuser"]
    context = context_factory("phone")
    login_browser(context, superuser, live_server)
    page = watch(context.new_page())
    pages = admin_pages(superuser)
    assert len(pages) > 50, pages
    problems = []
    for name, path in pages[part::PARTS]:
        response = page.goto(live_server.url + path)
        if response.status != 200:
            problems.append(f"{name} ({path}): {response.status}")
            continue
        problems += [
            f"{problem} at {path}"
            for problem in problems_at_each_size(page, f"admin {name}", sideways=False)
        ]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
