"""Named users for every access case, as healthchecks' BaseTestCase has them."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from tangerang_ikm import roles
from tests.factories import UserFactory


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Private documents too: each test gets its own, empty private storage.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    if settings.STORAGES["private"]["BACKEND"].endswith("PrivateFileSystemStorage"):
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                **settings.STORAGES["private"],
                "OPTIONS": {"location": tmp_path / "private"},
            },
        }


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def owner(db):
    return UserFactory(email="owner-a@example.com", full_name="Owner A")


@pytest.fixture
def other_owner(db):
    return UserFactory(email="owner-b@example.com", full_name="Owner B")


def _staff(email, role):
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def admin_staff(db):
    return _staff("admin@example.com", roles.ADMIN)


@pytest.fixture
def coordinator(db):
    return _staff("coordinator@example.com", roles.COORDINATOR)


@pytest.fixture
def venue_manager(db):
    return _staff("venue@example.com", roles.VENUE_MANAGER)


@pytest.fixture
def leadership(db):
    return _staff("leadership@example.com", roles.LEADERSHIP)


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
