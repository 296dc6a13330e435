"""Every model staff can change in the admin keeps its history (who, when, what), and no
history table keeps a NIK or a password hash."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from simple_history.admin import SimpleHistoryAdmin

from tangerang_ikm import roles

# Not kept, on purpose (docs/privacy.md, issue 21 item 3):
# - reference data staff cannot edit: BPS kecamatan and desa, loaded by migrations;
# - the role groups: synced from tangerang_ikm/roles.py on every migrate (view-only);
# - third-party logs: login attempts (axes) and background-task results.
EXCEPTIONS = {"ikm_registry.Kecamatan", "ikm_registry.Desa", "auth.Group"}
EXCEPTION_APPS = {"axes", "django_tasks_database"}


def admin_models():
    """Every model of the admin: registered ones and those edited inline on their pages."""
    found = {}
    for model in apps.get_models(include_auto_created=False):
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        found[model._meta.label] = model
        for inline in model_admin.inlines:
            found[inline.model._meta.label] = inline.model
    return found


def keeps_history(model):
    return hasattr(model._meta, "simple_history_manager_attribute")


def test_the_walk_sees_every_app():
    labels = set(admin_models())
    assert {"ikm_registry.Business", "missions.Deal", "gerai.Event", "tangerang_ikm.User"} <= labels
    assert {"ikm_registry.ContactLog", "ikm_registry.ErasureRequest"} <= labels


@pytest.mark.parametrize("label", sorted(admin_models()))
def test_every_admin_model_keeps_history(label):
    model = admin_models()[label]
    if label in EXCEPTIONS or model._meta.app_label in EXCEPTION_APPS:
        pytest.skip("a named exception")
    assert keeps_history(model), f"{label} is changed in the admin but keeps no history"
    if admin.site.is_registered(model):
        # Its page has the "Riwayat" view with who changed what.
        assert isinstance(admin.site.get_model_admin(model), SimpleHistoryAdmin), label


def test_the_exceptions_have_no_history_and_staff_cannot_edit_them(db, admin_staff):
    request = RequestFactory().get("/")
    request.user = admin_staff
    for label in ("ikm_registry.Kecamatan", "ikm_registry.Desa"):
        model = apps.get_model(label)
        model_admin = admin.site.get_model_admin(model)
        assert not keeps_history(model)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_delete_permission(request)
    # Every role reads the groups at most: they come from roles.py.
    for name in roles.ROLES:
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert not {"add_group", "change_group", "delete_group"} & codenames


def history_models():
    return [m for m in apps.get_models() if m._meta.model_name.startswith("historical")]


def test_no_history_table_holds_a_nik_or_a_password_hash():
    assert history_models()
    for model in history_models():
        columns = {f.column for f in model._meta.concrete_fields}
        assert "nik" not in columns, model
        assert "password" not in columns, model


@pytest.mark.django_db
def test_a_role_change_is_in_the_users_history_and_the_admin_shows_it(client, superuser, owner):
    client.force_login(superuser)
    coordinator = Group.objects.get(name=roles.COORDINATOR)
    response = client.post(
        f"/admin/tangerang_ikm/user/{owner.pk}/change/",
        {
            "email": owner.email,
            "full_name": owner.full_name,
            "language": "id",
            "is_active": "on",
            "is_staff": "on",
            "groups": [coordinator.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = owner.history.latest()
    assert latest.history_user == superuser
    assert [g.group_id for g in latest.groups.all()] == [coordinator.pk]
    page = client.get(f"/admin/tangerang_ikm/user/{owner.pk}/history/").content.decode()
    assert str(superuser) in page and str(coordinator) not in {""}


@pytest.mark.django_db
def test_buyers_inquiries_and_contacts_record_who_changed_them(client, admin_staff, world):
    from ikm_registry.models import Commodity

    client.force_login(admin_staff)
    commodity = Commodity.objects.get(slug="kerajinan-rotan")
    response = client.post(
        f"/admin/ikm_registry/commodity/{commodity.pk}/change/",
        {
            "slug": commodity.slug,
            "name": "Kerajinan Rotan dan Bambu",
            "name_en": commodity.name_en,
            "hs_code": commodity.hs_code,
            "kbli_code": commodity.kbli_code,
            "kbli_version": commodity.kbli_version,
            "position": commodity.position,
        },
    )
    assert response.status_code == 302
    record = commodity.history.latest()
    assert record.name == "Kerajinan Rotan dan Bambu" and record.history_user == admin_staff
