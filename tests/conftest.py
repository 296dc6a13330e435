"""Named users for every access case, as healthchecks' BaseTestCase has them."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from tangerang_ikm import roles
from tests.factories import UserFactory


def pytest_report_header(config):
    """The run's first lines: which database (vendor, server version) and which optional tools."""
    workers = getattr(config.option, "numprocesses", None)
    return [database_line(suffix="_gw0, _gw1, …" if workers else ""), *optional_tool_lines()]


def database_line(suffix=""):
    from django.conf import settings

    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        import sqlite3

        return f"database: SQLite {sqlite3.sqlite_version} (test database in memory)"
    if vendor == "postgresql":
        # Straight to the maintenance database: pytest-django blocks the ORM here, and the
        # portal's own database need not exist (the tests run in test_<NAME>).
        import psycopg

        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        try:
            with psycopg.connect(
                host=db.get("HOST") or None,
                port=db.get("PORT") or None,
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                dbname="postgres",
                connect_timeout=5,
            ) as conn:
                version = conn.execute("show server_version").fetchone()[0]
        except psycopg.Error as error:
            version = f"unreachable ({str(error).strip().splitlines()[0]})"
        return f"database: PostgreSQL {version} at {where}, tests in test_{db['NAME']}{suffix}"
    return f"database: {vendor} {db['NAME']}"


def optional_tool_lines():
    """One line per optional tool a bare machine lacks, saying what is skipped without it."""
    import os
    import shutil
    from pathlib import Path

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if Path(chromium).exists():
        lines = [f"browser tests: Chromium at {chromium}"]
    elif os.environ.get("CI") == "true":
        lines = [f"browser tests: Chromium NOT found at {chromium}; they will fail (CI=true)"]
    else:
        lines = [f"browser tests: SKIPPED, no Chromium at {chromium} (apt-get install chromium)"]
    if not shutil.which("java"):
        lines.append("Nu HTML checker: SKIPPED, no java (apt-get install default-jre-headless)")
    if not shutil.which("msgfmt"):
        lines.append("gettext: msgfmt absent; the committed .mo is used (tests compile with polib)")
    return lines


# The longest tests (each a loop over many pages in the browser), started first among the
# transactional tests, so that on two processes neither is left running one of them alone
# at the end while the other idles.
# The admin and public pages are split into parametrized parts of 10-15 s (on a quiet
# machine), so the two processes share them; longest first. Page weight is one test: its
# photo catalog costs more to build twice than its loop gains from sharing.
LONG_FIRST = (
    "tests/e2e/test_page_weight.py",
    "tests/e2e/test_admin_pages.py",
    "tests/e2e/test_pages.py::test_public_pages_are_sound",
    "tests/e2e/test_pages.py::test_owner_pages_are_sound",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (database tests, then transactional ones, then the
    rest; a transactional test empties the database, so that order stays), move LONG_FIRST
    to the front of the transactional block. pytest-xdist (--dist load) hands tests out in
    this order."""
    long = [item for item in items if item.nodeid.startswith(LONG_FIRST)]
    if not long:
        return
    long.sort(key=lambda item: LONG_FIRST.index(_long_key(item)))
    rest = [item for item in items if item not in long]
    first = next(
        (
            index
            for index, item in enumerate(rest)
            if {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
        ),
        len(rest),
    )
    items[:] = rest[:first] + long + rest[first:]


def _long_key(item):
    return next(prefix for prefix in LONG_FIRST if item.nodeid.startswith(prefix))


@pytest.fixture(autouse=True, scope="session")
def _photos_processed_once_a_process():
    """services.add_photo processes each photo again; seed_demo's 18 drawn photos came to
    about 60 % of a seed's time (AVIF encoding), and nine tests seed the demo. Identical
    bytes give identical renditions, so each process encodes a photo once and later calls
    get copies of the same bytes under their own stem. Checks and rejections still run
    through the real images.process_photo, which is called for every new photo."""
    import hashlib
    from dataclasses import fields

    from django.core.files.base import ContentFile

    from ikm_registry import images, services

    real = images.process_photo
    processed_before = {}  # the upload's digest -> (its first stem, ProcessedImage)

    def process_photo(upload, *, stem="foto"):
        upload.seek(0)
        digest = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
        if digest not in processed_before:
            processed_before[digest] = (stem, real(upload, stem=stem))
        first_stem, processed = processed_before[digest]
        copies = {}
        for field in fields(processed):
            file = getattr(processed, field.name)
            if file is not None:
                file.seek(0)
                file = ContentFile(file.read(), name=stem + file.name.removeprefix(first_stem))
            copies[field.name] = file
        return type(processed)(**copies)

    patch = pytest.MonkeyPatch()
    patch.setattr(services, "process_photo", process_photo)
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no page, count or limit from the one before."""
    from django.core.cache import cache, caches
    from django.core.cache.backends.db import DatabaseCache

    cache.clear()
    # A limits cache in the database is emptied with each test's rolled-back transaction.
    if not isinstance(caches["limits"], DatabaseCache):
        caches["limits"].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Indonesian: a request or test that activated English in this
    thread must not decide the language of the next test's rendering."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture
def world(db, owner, other_owner, admin_staff, coordinator, venue_manager, leadership, superuser):
    """One of everything, owned by owner A, for the URL matrix and the browser checks.

    Each app adds its objects here as its URLs land.
    """
    from tests.factories import BusinessFactory, ProductFactory

    business_a = BusinessFactory(owner=owner, name="Rotan Jaya Cikupa", slug="rotan-jaya-cikupa")
    product_a = ProductFactory(business=business_a, slug="keranjang-rotan-cikupa")
    business_b = BusinessFactory(owner=other_owner, name="Mede Sentosa", slug="mede-sentosa")
    registry = _registry_world(business_a, product_a)
    missions = _world_missions(business_a)
    from tests.gerai.factories import BoothApplicationFactory, BoothEventFactory

    gerai_event = BoothEventFactory(title="Bazar Matriks", slug="bazar-matriks")
    gerai_application_a = BoothApplicationFactory(event=gerai_event, business=business_a)
    return {
        **registry,
        **missions,
        "users": {
            "owner_a": owner,
            "owner_b": other_owner,
            "admin": admin_staff,
            "coordinator": coordinator,
            "venue": venue_manager,
            "leadership": leadership,
            "superuser": superuser,
        },
        "business_a": business_a,
        "product_a": product_a,
        "business_b": business_b,
        "gerai_event": gerai_event,
        "gerai_application_a": gerai_application_a,
    }


def _registry_world(business, product):
    """Owner A's certificate (with a private scan), product photo and export record."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from ikm_registry import services
    from ikm_registry.models import Certificate, ExportRecord

    certificate = Certificate(business=business, kind="halal", number="ID-WORLD-1")
    certificate.document.save("scan.pdf", SimpleUploadedFile("scan.pdf", b"%PDF-1.4"), save=False)
    certificate.save()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 120, 60)).save(buffer, "JPEG")
    photo = services.add_photo(
        product=product, upload=SimpleUploadedFile("f.jpg", buffer.getvalue()), alt_text="foto"
    )
    export = ExportRecord.objects.create(business=business, country="JP", year=2023)
    return {"certificate_a": certificate, "photo_a": photo, "export_a": export}


def _world_missions(business_a):
    """A completed mission with owner A's participation and deal, and one open mission."""
    import datetime
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from ikm_registry.models import Commodity
    from missions.models import Deal, Participation, TradeMission

    now = timezone.now()
    today = timezone.localdate()
    common = {
        "kind": TradeMission.Kind.BUSINESS_MATCHING,
        "scope": TradeMission.Scope.INTERNATIONAL,
        "city": "Busan",
        "country": "KR",
        "quota": 5,
    }
    done = TradeMission.objects.create(
        title="Misi Matriks Selesai",
        slug="misi-matriks-selesai",
        start_date=today - datetime.timedelta(days=30),
        end_date=today - datetime.timedelta(days=28),
        registration_opens=now - datetime.timedelta(days=90),
        registration_closes=now - datetime.timedelta(days=60),
        status=TradeMission.Status.COMPLETED,
        **common,
    )
    open_mission = TradeMission.objects.create(
        title="Misi Matriks Terbuka",
        slug="misi-matriks-terbuka",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=31),
        registration_opens=now - datetime.timedelta(days=1),
        registration_closes=now + datetime.timedelta(days=10),
        status=TradeMission.Status.OPEN,
        **common,
    )
    participation_a = Participation.objects.create(
        mission=done, business=business_a, status=Participation.Status.ATTENDED
    )
    deal_a = Deal(
        mission=done,
        business=business_a,
        buyer_name="Busan Buyer",
        commodity=Commodity.objects.get(slug="kerajinan-rotan"),
        kind=Deal.Kind.ON_THE_SPOT,
        amount=Decimal("1000"),
        currency="USD",
        rate_to_idr=Decimal("16000"),
        usd_rate=Decimal("16000"),
        rate_date=done.start_date,
        destination_country="KR",
        date=done.start_date,
    )
    deal_a.save()
    deal_a.document.save("kontrak.pdf", ContentFile(b"%PDF-1.4 world"))
    return {
        "mission_done": done,
        "mission_open": open_mission,
        "participation_a": participation_a,
        "deal_a": deal_a,
    }


# Data migrations that fill reference tables, and the models they fill. Transactional
# tests (the browser tests) flush the database after each test, which empties these
# tables; `reference_data` puts their rows back. Add an app's data migration and its
# models here when it seeds rows others rely on.
REFERENCE_DATA_MIGRATIONS = [
    "ikm_registry.migrations.0002_load_wilayah",
    "ikm_registry.migrations.0003_seed_commodities",
    "gerai.migrations.0003_seed_venue_and_spaces",
]
REFERENCE_MODELS = [
    "ikm_registry.Kecamatan",
    "ikm_registry.Desa",
    "ikm_registry.Commodity",
    "gerai.Venue",
    "gerai.Space",
]


@pytest.fixture(scope="session")
def _reference_rows(django_db_setup, django_db_blocker):
    """The reference rows as the migrations left them, read once a process right after
    the test database is made: model -> list of field values.

    `reference_data` used to run the data migrations' loaders again through the real
    models, about 4,500 queries and 4 s of CPU a test (each row's update_or_create fires
    the search-text and cache receivers); inserting the saved rows again is three queries.
    A reused test database (--reuse-db) that a flush left empty gets the loaders first.
    """
    import importlib

    from django.apps import apps

    models = [apps.get_model(label) for label in REFERENCE_MODELS]
    with django_db_blocker.unblock():
        if not all(model._base_manager.exists() for model in models):
            for name in REFERENCE_DATA_MIGRATIONS:
                importlib.import_module(name).load(apps, None)
        return {model: list(model._base_manager.order_by("pk").values()) for model in models}


@pytest.fixture
def reference_data(_reference_rows, django_db_blocker):
    """Puts back the reference rows into each reference table that is empty (as a flush
    leaves it), with their own primary keys, as the migrations wrote them: bulk inserts,
    no save signals (a migration's historical models send none either)."""
    from django.core.management.color import no_style
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        emptied = [model for model in _reference_rows if not model._base_manager.exists()]
        for model in emptied:
            model._base_manager.bulk_create(model(**row) for row in _reference_rows[model])
        # Rows inserted with their keys leave PostgreSQL's sequences behind; SQLite needs none.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), emptied):
                cursor.execute(sql)
