"""Login throttling with django-axes: per account, per address, a clear message, staff unlock."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

LOGIN = "/akun/masuk/"
LOCKED = "Terlalu banyak percobaan masuk yang gagal"


def attempt(client, email, password="wrong-password", ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def test_account_locks_after_repeated_failures_from_many_addresses(client, owner, limit):
    for n in range(limit - 1):
        response = attempt(client, owner.email, ip=f"10.0.1.{n}")
        assert response.status_code == 200
        assert "Alamat e-mail atau kata sandi salah." in response.content.decode()
    locked = attempt(client, owner.email, ip="10.0.1.99")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED in page
    assert "30 menit" in page
    assert 'role="alert"' in page
    # The form re-shows what was typed.
    assert f'value="{owner.email}"' in page

    # The right password from a fresh address is refused too while the account is locked.
    right = attempt(client, owner.email, password="password-123", ip="10.9.9.9")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_address_locks_after_failures_on_different_accounts(client, owner, other_owner, limit):
    for n in range(limit):
        attempt(client, f"nobody{n}@example.com", ip="10.0.2.1")
    # Another, innocent account from the same address is blocked as well...
    blocked = attempt(client, other_owner.email, password="password-123", ip="10.0.2.1")
    assert blocked.status_code == 429
    assert LOCKED in blocked.content.decode()
    # ...while the same account from another address logs in.
    fine = attempt(Client(), other_owner.email, password="password-123", ip="10.0.2.2")
    assert fine.status_code == 302


def test_lockout_message_is_translated(client, owner, limit):
    for _ in range(limit):
        response = client.post(
            "/en" + LOGIN, {"username": owner.email, "password": "nope"}, REMOTE_ADDR="10.0.3.1"
        )
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert LOCKED not in page


def test_success_before_the_limit_resets_the_count(client, owner, limit):
    for _ in range(limit - 1):
        attempt(client, owner.email, ip="10.0.4.1")
    ok = attempt(client, owner.email, password="password-123", ip="10.0.4.1")
    assert ok.status_code == 302
    assert not AccessAttempt.objects.filter(
        username=owner.email, failures_since_start__gt=0
    ).exists()


def test_admin_staff_unlock_in_the_admin(client, owner, admin_staff, limit):
    for _ in range(limit):
        attempt(client, owner.email, ip="10.0.5.1")
    assert attempt(Client(), owner.email, password="password-123", ip="10.0.5.2").status_code == 429

    staff = Client()
    staff.force_login(admin_staff)
    listing = staff.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert owner.email in listing.content.decode()
    ids = list(AccessAttempt.objects.filter(username=owner.email).values_list("pk", flat=True))
    response = staff.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=owner.email).exists()

    assert attempt(Client(), owner.email, password="password-123", ip="10.0.5.2").status_code == 302


def test_failures_are_counted_in_the_database_not_in_process_memory(settings, owner, limit):
    # Every app server must see the same count.
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    for n in range(limit):
        attempt(Client(), owner.email, ip=f"10.0.7.{n}")
    assert AccessAttempt.objects.filter(username=owner.email).count() == limit
    from django.core.cache import caches

    for alias in ("default", "limits"):
        caches[alias].clear()  # no cache holds the count: a fresh worker sees it as well
    assert (
        attempt(Client(), owner.email, password="password-123", ip="10.0.7.99").status_code == 429
    )


def test_only_the_admin_role_may_unlock(client, owner, coordinator, leadership, limit):
    for _ in range(limit):
        attempt(client, owner.email, ip="10.0.6.1")
    for user in (coordinator, leadership):
        staff = Client()
        staff.force_login(user)
        assert staff.get("/admin/axes/accessattempt/").status_code == 403
    assert AccessAttempt.objects.filter(username=owner.email).exists()


def test_admin_role_sees_the_task_queue(admin_staff):
    staff = Client()
    staff.force_login(admin_staff)
    assert admin_staff.has_perm("django_tasks_database.view_dbtaskresult")
    assert staff.get("/admin/django_tasks_database/dbtaskresult/").status_code == 200
