import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_english_catalog_is_complete():
    """Every Indonesian string has an English translation, none fuzzy."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    )
    stats = result.stderr
    assert "fuzzy" not in stats, stats
    assert "untranslated" not in stats, stats


def test_compiled_catalog_ships_with_the_project():
    mo = PO.with_suffix(".mo")
    assert mo.exists()
    assert mo.stat().st_mtime >= PO.stat().st_mtime - 1, "run `make messages` to recompile"
