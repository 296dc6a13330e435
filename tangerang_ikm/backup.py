"""Backup and restore of the whole portal: the database and every stored file.

One archive (tar.gz) holds:

- ``manifest.json``: format, date, database vendor, file counts;
- ``database.dump``: ``pg_dump --format=custom`` on PostgreSQL, or ``database.sqlite3``: a
  consistent copy made with SQLite's online backup API;
- ``files/default/…`` and ``files/private/…``: every file of the public media storage and
  of the private documents storage, read through Django's storage API (so the same
  command works on the filesystem and on S3).

Used by ``manage.py backup`` and ``manage.py restore``.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import django
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, connections
from django.utils import timezone

FORMAT = 1
STORAGE_ALIASES = ("default", "private")


class BackupError(Exception):
    pass


# --- files ------------------------------------------------------------------


def walk(storage, directory=""):
    """Every file name in `storage`, recursively (an absent root is empty)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield str(PurePosixPath(directory, name)) if directory else name
    for sub in sorted(directories):
        yield from walk(storage, str(PurePosixPath(directory, sub)) if directory else sub)


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


# --- database ---------------------------------------------------------------


def _pg_env(settings_dict):
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _tool(name):
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} is not on PATH. Install the PostgreSQL client (apt install postgresql-client) "
            f"of the server's major version."
        )
    return path


def dump_database(target):
    vendor = connection.vendor
    if vendor == "postgresql":
        settings_dict = connection.settings_dict
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                settings_dict["NAME"],
            ],
            env=_pg_env(settings_dict),
            check=True,
            capture_output=True,
        )
        return "database.dump"
    if vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return "database.sqlite3"
    raise ImproperlyConfigured(f"backup does not support the {vendor} database")


def restore_database(source, member):
    vendor = connection.vendor
    if vendor == "postgresql":
        if member != "database.dump":
            raise BackupError("this archive holds an SQLite database; the portal runs PostgreSQL")
        settings_dict = connection.settings_dict
        connections.close_all()
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={settings_dict['NAME']}",
                str(source),
            ],
            env=_pg_env(settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    if vendor == "sqlite":
        if member != "database.sqlite3":
            raise BackupError("this archive holds a PostgreSQL dump; the portal runs SQLite")
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
        return
    raise ImproperlyConfigured(f"restore does not support the {vendor} database")


# --- the archive ------------------------------------------------------------


def create_backup(output, *, stdout=None):
    """Write the archive to `output` (a path) and return its manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "django": django.get_version(),
        "vendor": connection.vendor,
        "files": {},
    }
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "database"
        member = dump_database(dump)
        manifest["database"] = member
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=member)
            for alias in STORAGE_ALIASES:
                storage = storages[alias]
                count = 0
                for name in walk(storage):
                    with storage.open(name, "rb") as handle:
                        _add_bytes(archive, f"files/{alias}/{name}", handle.read())
                    count += 1
                manifest["files"][alias] = count
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    os.replace(partial, output)
    if stdout:
        stdout.write(
            f"Backup written to {output}: {connection.vendor} database, "
            + ", ".join(f"{n} {alias} files" for alias, n in manifest["files"].items())
        )
    return manifest


def _safe_member_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"unsafe name in archive: {name}")
    return path


def restore_backup(source, *, stdout=None):
    """Replace the database and every stored file with the archive's content."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no such archive: {source}")
    with tarfile.open(source, "r:gz") as archive:
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except KeyError as exc:
            raise BackupError("not a portal backup: manifest.json is missing") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        member = manifest.get("database")
        if member not in ("database.dump", "database.sqlite3"):
            raise BackupError("not a portal backup: the manifest names no database")
        # Check every name before anything is replaced: a bad archive changes nothing.
        files = []
        for info in archive.getmembers():
            if not info.isfile() or not info.name.startswith("files/"):
                continue
            path = _safe_member_name(info.name)
            if len(path.parts) < 3 or path.parts[1] not in STORAGE_ALIASES:
                raise BackupError(f"unknown storage in archive: {info.name}")
            files.append((info, path.parts[1], str(PurePosixPath(*path.parts[2:]))))
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / "database"
            with archive.extractfile(member) as handle, open(dump, "wb") as out:
                shutil.copyfileobj(handle, out)
            restore_database(dump, member)

        restored = {}
        for alias in STORAGE_ALIASES:
            storage = storages[alias]
            for name in list(walk(storage)):
                storage.delete(name)
            restored[alias] = 0
        for info, alias, name in files:
            with archive.extractfile(info) as handle:
                saved = storages[alias].save(name, ContentFile(handle.read()))
            if saved != name:
                raise BackupError(f"{alias}:{name} was stored as {saved}")
            restored[alias] += 1
    if stdout:
        stdout.write(
            f"Restored {source} ({manifest['created']}): database and "
            + ", ".join(f"{n} {alias} files" for alias, n in restored.items())
        )
    return manifest
