from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from tangerang_ikm import roles


def perms(name):
    group = Group.objects.get(name=name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_every_role_group_exists_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


@pytest.mark.django_db
def test_admin_has_everything_in_portal_apps():
    p = perms(roles.ADMIN)
    assert {
        "ikm_registry.delete_business",
        "ikm_registry.change_desa",
        "tangerang_ikm.change_user",
    } <= p


@pytest.mark.django_db
def test_coordinator_verifies_registry_but_cannot_delete_businesses():
    p = perms(roles.COORDINATOR)
    assert "ikm_registry.verify_business" in p
    assert "ikm_registry.change_business" in p
    assert "ikm_registry.delete_business" not in p


@pytest.mark.django_db
def test_venue_manager_only_views_registry():
    p = perms(roles.VENUE_MANAGER)
    assert "ikm_registry.view_business" in p
    assert "ikm_registry.change_business" not in p
    assert not any(x.startswith("missions.") for x in p)


@pytest.mark.django_db
def test_leadership_views_and_changes_nothing():
    p = perms(roles.LEADERSHIP)
    assert "ikm_registry.view_business" in p
    assert all(x.split(".")[1].startswith("view") for x in p), p


@pytest.mark.django_db
def test_sync_restores_a_removed_permission():
    group = Group.objects.get(name=roles.COORDINATOR)
    group.permissions.clear()
    roles.sync_roles()
    assert "ikm_registry.verify_business" in perms(roles.COORDINATOR)


def test_leadership_is_offered_no_admin_action(rf, leadership):
    """An action without `permissions` is offered to anyone who may view the list, so
    every action that changes data must name the permission it needs."""
    from django.contrib import admin

    request = rf.get("/")
    request.user = leadership
    offered = {
        f"{model._meta.label}.{name}"
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_permission(request)
        for name in model_admin.get_actions(request)
    }
    assert offered == set()


def test_the_admin_role_cannot_make_or_change_a_superuser(client, admin_staff, superuser):
    from django.urls import reverse

    from tangerang_ikm.models import User

    client.force_login(admin_staff)
    own = reverse("admin:tangerang_ikm_user_change", args=[admin_staff.pk])
    page = client.get(own).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="groups"' in page  # managing roles stays the Admin role's job
    # A forged field is ignored: the form has no such field.
    data = {
        "email": admin_staff.email,
        "full_name": admin_staff.full_name,
        "language": "id",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [g.pk for g in admin_staff.groups.all()],
    }
    client.post(own, data)
    admin_staff.refresh_from_db()
    assert not admin_staff.is_superuser
    # A superuser's account can be seen, not changed or deleted.
    theirs = reverse("admin:tangerang_ikm_user_change", args=[superuser.pk])
    assert 'name="email"' not in client.get(theirs).content.decode()
    assert client.post(theirs, {**data, "email": "taken@example.com"}).status_code == 403
    delete = reverse("admin:tangerang_ikm_user_delete", args=[superuser.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:tangerang_ikm_user_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"}
    assert client.post(changelist, bulk).status_code == 403
    assert User.objects.filter(pk=superuser.pk, is_superuser=True).exists()
    superuser.refresh_from_db()
    assert superuser.email == "root@example.com"  # the refused change left nothing behind


def test_a_superuser_still_grants_superuser(client, superuser, admin_staff):
    from django.urls import reverse

    client.force_login(superuser)
    page = client.get(reverse("admin:tangerang_ikm_user_change", args=[admin_staff.pk]))
    assert 'name="is_superuser"' in page.content.decode()


# --- docs/roles.md is the same table as roles.py ------------------------------------

ROLES_DOC = Path(__file__).resolve().parents[2] / "docs" / "roles.md"


def documented_rules():
    """The role-by-permission table of docs/roles.md, as roles.py's rules per role."""
    lines = [line.strip() for line in ROLES_DOC.read_text().splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("| Permission |"))
    header = [cell.strip() for cell in lines[start].strip("|").split("|")]
    rules = {role: set() for role in header[1:]}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        name = cells[0].split("`")[1]
        app_label, model = name.split(".")
        for role, cell in zip(header[1:], cells[1:], strict=True):
            if not cell:
                continue
            if "(custom)" in cells[0]:
                assert cell == "✓", line
                rules[role].add((app_label, model, None))
            else:
                actions = frozenset(a.strip() for a in cell.split(","))
                rules[role].add((app_label, model, actions))
    return rules


def coded_rules():
    return {
        role: {(app, model, None if acts is None else frozenset(acts)) for app, model, acts in rs}
        for role, rs in roles.ROLES.items()
    }


def test_docs_roles_table_matches_roles_py():
    assert documented_rules() == coded_rules()


@pytest.mark.django_db
def test_each_group_has_exactly_the_permissions_docs_roles_md_lists():
    for role, rules in documented_rules().items():
        listed = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in roles.role_permissions(
                [(app, model, None if acts is None else sorted(acts)) for app, model, acts in rules]
            ).select_related("content_type")
        }
        assert perms(role) == listed, role


@pytest.mark.django_db
def test_admin_disperindag_verifies_and_returns():
    assert "ikm_registry.verify_business" in perms(roles.ADMIN)
