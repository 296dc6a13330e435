"""The permission matrix: every URL x every kind of user → the expected response."""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import url_matrix as m


def named_urls(patterns=None, namespace=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from named_urls(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def test_every_url_is_in_the_inventory():
    known = {r.name for r in m.ROUTES}
    served = {n for n in named_urls() if not n.startswith(m.IGNORED_PREFIXES)}
    missing = sorted(served - known)
    assert not missing, f"add a Route to tests/url_matrix.py for: {missing}"
    stale = sorted(known - served)
    assert not stale, f"tests/url_matrix.py names URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", m.ROUTES, ids=[r.name for r in m.ROUTES])
def test_each_user_gets_the_expected_response(client, route, world):
    path = route.path(world)
    for kind in m.USERS:
        client.logout()
        if kind != m.ANON:
            client.force_login(world["users"][kind])
        response = client.get(path)
        expected = route.expect[kind]
        assert response.status_code == expected, f"{kind} GET {path}: {response.status_code}"
        if expected == 302 and kind == m.ANON and route.expect.get(m.OWNER_A) == 200:
            assert response["Location"].startswith(m.LOGIN), response["Location"]
        if kind in route.content:
            assert route.content[kind] in response.content.decode(), (kind, path)


def admin_urls():
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        yield model, f"admin:{meta.app_label}_{meta.model_name}_changelist", "view"
        # Admins that refuse adding outright (axes' attempt logs, task results) have no add page.
        if type(model_admin).has_add_permission is admin.ModelAdmin.has_add_permission:
            yield model, f"admin:{meta.app_label}_{meta.model_name}_add", "add"


@pytest.mark.django_db
def test_admin_pages_follow_the_roles(client, world):
    """Each staff role reaches exactly the admin pages its permissions allow."""
    checked = 0
    pages = [(model, reverse(name), action) for model, name, action in admin_urls()]
    # One login per kind of user, not one per kind of user and page.
    for kind in m.USERS:
        client.logout()
        user = world["users"].get(kind)
        if user is not None:
            client.force_login(user)
        for model, path, action in pages:
            status = client.get(path).status_code
            if user is None or not user.is_staff:
                assert status == 302, (kind, path, status)
                continue
            codename = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
            allowed = user.has_perm(codename) or (
                action == "view"
                and user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
            )
            assert status == (200 if allowed else 403), (kind, path, status)
            checked += 1
    assert checked > 0
