"""What a newcomer relies on: the Makefile's messages, the README, .env.example, the catalog.

These read the repository's own files (and run `make` where the Makefile is the subject);
none needs the database.
"""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
LOCALE = ROOT / "locale" / "en" / "LC_MESSAGES"
needs_make = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def make(*args, tmp_path=None):
    return subprocess.run(
        ["make", "--no-print-directory", "-s", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- The English catalog -------------------------------------------------------------


def po_messages(po_path):
    """{(context, msgid): translation} of every entry msgfmt compiles (translated, not fuzzy)."""
    messages = {}
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
            continue
        if entry.msgid_plural:
            translation = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            translation = entry.msgstr
        messages[(entry.msgctxt, entry.msgid)] = translation
    return messages


def mo_messages(mo_path):
    """The same mapping read from a compiled catalog by the standard library's reader."""
    with open(mo_path, "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # no public accessor exists
    messages = {}
    for key, value in catalog.items():
        if key == "":
            continue  # the header entry
        if isinstance(key, tuple):  # plural: ((msgid, n), text) per form
            msgid, n = key
            context, _, msgid = msgid.rpartition("\x04")
            forms = messages.setdefault((context or None, msgid), {})
            forms[n] = value
        else:
            context, _, msgid = key.rpartition("\x04")
            messages[(context or None, msgid)] = value
    return {
        key: tuple(value[i] for i in sorted(value)) if isinstance(value, dict) else value
        for key, value in messages.items()
    }


def plural_ids(po_path):
    """Plural entries are keyed by their singular msgid in both readings."""
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if e.msgid_plural}


def test_committed_mo_has_exactly_the_po_messages():
    """`make run` uses the committed .mo when gettext is absent: it must be the .po's."""
    po, mo = LOCALE / "django.po", LOCALE / "django.mo"
    expected, committed = po_messages(po), mo_messages(mo)
    missing = sorted(set(expected) - set(committed), key=str)[:5]
    extra = sorted(set(committed) - set(expected), key=str)[:5]
    changed = [k for k in expected if k in committed and committed[k] != expected[k]][:5]
    assert not (missing or extra or changed), (
        f"django.mo is out of date with django.po (run `make messages` or msgfmt): "
        f"missing {missing}, extra {extra}, different {changed}"
    )
    assert len(expected) > 500  # the catalog really was read


def test_committed_mo_matches_a_fresh_compile(tmp_path):
    """Compiled again (msgfmt when present, else polib), the catalog has the same messages."""
    po = LOCALE / "django.po"
    fresh = tmp_path / "django.mo"
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)
    else:
        catalog = polib.pofile(str(po))
        for entry in list(catalog):
            if "fuzzy" in entry.flags:
                catalog.remove(entry)  # msgfmt leaves fuzzy entries out; so does the portal
        catalog.save_as_mofile(str(fresh))
    assert mo_messages(fresh) == mo_messages(LOCALE / "django.mo")


@needs_make
def test_make_run_compiles_the_catalog_only_when_the_po_is_newer():
    plan = make("-n", "run", "PYTHON=python3").stdout
    assert "compilemessages" not in plan
    # The .mo rule: msgfmt only when it exists, else a note that the committed .mo is used.
    rule = (ROOT / "Makefile").read_text()
    assert "locale/%.mo: locale/%.po" in rule
    assert "command -v msgfmt" in rule


# --- The Makefile -------------------------------------------------------------------------


@needs_make
def test_without_python_312_the_makefile_names_ways_that_work_on_debian_12(tmp_path):
    # An empty PYTHON is what the Makefile's search yields when no Python >= 3.12 is found.
    result = make("install", "PYTHON=", f"VENV={tmp_path}/venv")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert not (tmp_path / "venv").exists()
    assert "Python 3.12 or newer is needed" in out
    assert "Debian 12" in out and "no python3.12 package" in out
    assert "uv python install 3.12" in out
    assert "pyenv install 3.12" in out
    assert "deadsnakes" in out and "Ubuntu 22.04" in out
    assert "PYTHON=/path/to/python3.12" in out
    # The old advice does not work on Debian 12.
    assert "sudo apt install python3.12 python3.12-venv (or use pyenv)" not in out


@needs_make
def test_make_help_and_readme_name_port_and_host():
    help_text = make("help").stdout
    assert "PORT=8001" in help_text and "HOST=0.0.0.0" in help_text
    assert "make run HOST=0.0.0.0 PORT=8001" in README
    plan = make("-n", "run", "PORT=8123", "HOST=0.0.0.0", "PYTHON=python3").stdout
    assert "runserver 0.0.0.0:8123" in plan


@needs_make
def test_make_run_sends_seeding_mail_to_files_and_serves_quietly():
    plan = make("-n", "run", "PYTHON=python3").stdout
    seed = next(line for line in plan.splitlines() if "seed_demo" in line)
    assert "EMAIL_URL=filemail://" in seed and "EMAIL_FILE_PATH=var/mail" in seed
    assert "migrate --noinput -v0" in plan


# --- README, .env.example and CI ------------------------------------------------------


def readme_variables():
    table = README[README.index("| Variable | Default | Meaning |") :]
    table = table[: table.index("\n\n")]
    names = set()
    for line in table.splitlines()[2:]:
        names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1]))
    return names


def env_example_variables():
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+)=", text, re.M))


def test_env_example_lists_exactly_the_readme_variables():
    readme, example = readme_variables(), env_example_variables()
    assert len(readme) > 20
    assert readme - example == set(), "in README's table but not in .env.example"
    assert example - readme == set(), "in .env.example but not in README's table"


def test_every_readme_variable_is_read_by_the_settings():
    """A removed setting leaves no row behind (PAGE_CACHE_SECONDS once did)."""
    settings = (ROOT / "tangerang_ikm" / "settings.py").read_text()
    unread = sorted(name for name in readme_variables() if f'"{name}"' not in settings)
    assert unread == []
    for gone in ("PAGE_CACHE_SECONDS", "STAFF_PAGE_CACHE_SECONDS", "redis_cache.py"):
        assert gone not in README.replace("PUBLIC_CACHE_SECONDS", "")


def test_readme_ci_paragraph_names_everything_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text()
    paragraph = README[README.index("`.ci/run` is what CI runs") :]
    paragraph = paragraph[: paragraph.index("\n\n")]
    code = "\n".join(line for line in ci.splitlines() if not line.lstrip().startswith("#"))
    targets = set(re.findall(r"\bmake ([a-z-]+)", code))
    assert {"install", "test", "check-deploy", "multiprocess", "fault", "load"} <= targets
    for target in targets:
        assert f"make {target}" in paragraph, f"README's CI paragraph leaves out make {target}"
    for tool in ("ruff", "makemigrations --check", "nginx", "Chromium"):
        assert tool in paragraph


def test_readme_lists_the_prerequisites_in_one_place():
    section = README[README.index("## Prerequisites") : README.index("## The two commands")]
    for name in ("Python ≥ 3.12", "gettext", "Chromium", "PostgreSQL", "Redis"):
        assert name in section
    assert re.search(r"How long it takes: .*? took \d+ minutes", README, re.S)


# --- The test run's header ------------------------------------------------------------------


def test_the_test_run_names_its_database_in_its_first_lines():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:randomly", __file__],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    first = result.stdout.splitlines()[:8]
    line = next((line for line in first if line.startswith("database: ")), "")
    from django.db import connection

    vendor = {"sqlite": "SQLite ", "postgresql": "PostgreSQL "}[connection.vendor]
    assert line.startswith(f"database: {vendor}"), first
    assert re.search(r"\d+\.\d+", line), line  # the server's version
    assert any(line.startswith("browser tests: ") for line in first), first
