"""`manage.py backup` → wipe → `manage.py restore` gives back every row and every file."""

import shutil
import tarfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection

from tangerang_ikm.backup import walk
from tests.factories import BusinessFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _file_storages(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "tangerang_ikm.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not on PATH")


def every_row():
    """Every row of every table, as plain values, ordered by primary key."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.db_table] = list(
            model._default_manager.order_by("pk").values_list(*fields)
        )
    return rows


def every_file():
    files = {}
    for alias in ("default", "private"):
        storage = storages[alias]
        for name in walk(storage):
            with storage.open(name) as handle:
                files[(alias, name)] = handle.read()
    return files


def make_data():
    owner = UserFactory(email="pemilik@example.com", full_name="Siti Rahayu")
    BusinessFactory(owner=owner, name="Kerupuk Kulit Bu Siti")
    BusinessFactory(name="Anyaman Bambu Pasar Kemis")
    storages["default"].save("products/2026/11/kerupuk.jpg", ContentFile(b"\xff\xd8\xff photo"))
    storages["default"].save("posters/bazar.png", ContentFile(b"\x89PNG\r\n\x1a\n poster"))
    storages["private"].save("certificates/halal-0001.pdf", ContentFile(b"%PDF-1.7 halal"))


def test_backup_wipe_restore_gives_back_every_row_and_file(tmp_path, reference_data):
    make_data()
    rows_before, files_before = every_row(), every_file()
    assert len(files_before) == 3
    assert sum(len(r) for r in rows_before.values()) > 10

    archive = tmp_path / "backups" / "ikm.tar.gz"
    call_command("backup", output=str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert ("database.dump" if connection.vendor == "postgresql" else "database.sqlite3") in names
    assert "files/private/certificates/halal-0001.pdf" in names

    # Wipe: every table emptied (and refilled by post_migrate), every file deleted, and a
    # change made after the backup that the restore must undo.
    call_command("flush", interactive=False)
    UserFactory(email="setelah-backup@example.com")
    for alias, name in every_file():
        storages[alias].delete(name)
    storages["default"].save("products/new-after-backup.jpg", ContentFile(b"new"))
    assert every_row() != rows_before
    assert every_file() != files_before

    call_command("restore", str(archive), interactive=False)
    connection.close()
    assert every_row() == rows_before
    assert every_file() == files_before


def test_restore_refuses_something_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(__file__, arcname="hello.py")
    with pytest.raises(CommandError, match=r"manifest\.json is missing"):
        call_command("restore", str(bogus), interactive=False)
    with pytest.raises(CommandError, match="no such archive"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), interactive=False)


def _archive(path, manifest, members):
    import io
    import json

    with tarfile.open(path, "w:gz") as tar:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_restore_refuses_the_other_databases_dump(tmp_path):
    other = "database.sqlite3" if connection.vendor == "postgresql" else "database.dump"
    archive = _archive(
        tmp_path / "other.tar.gz", {"format": 1, "created": "x", "database": other}, {other: b"x"}
    )
    with pytest.raises(CommandError, match="this archive holds"):
        call_command("restore", str(archive), interactive=False)


def test_restore_refuses_names_that_climb_out_of_the_storage(tmp_path):
    call_command("backup", output=str(tmp_path / "good.tar.gz"))
    with tarfile.open(tmp_path / "good.tar.gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    manifest = members.pop("manifest.json")
    import json

    members["files/default/../../etc/evil"] = b"x"
    archive = _archive(tmp_path / "evil.tar.gz", json.loads(manifest), members)
    storages["default"].save("products/still-here.jpg", ContentFile(b"kept"))
    with pytest.raises(CommandError, match="unsafe name"):
        call_command("restore", str(archive), interactive=False)
    # Refused before anything was replaced.
    assert every_file() == {("default", "products/still-here.jpg"): b"kept"}
