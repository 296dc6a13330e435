"""The Nu HTML checker over the public pages of the URL inventory (issue #22).

Needs Java and the Nu checker's jar: `npm install --prefix /tmp/vnu vnu-jar`, or set
VNU_JAR to the jar. Without them the test skips with one line saying so.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import url_matrix as m

JAR = Path(os.environ.get("VNU_JAR", "/tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))
PUBLIC = [r for r in m.ROUTES if r.public and r.expect.get(m.ANON) == 200]


def nu_errors(files):
    result = subprocess.run(
        ["java", "-jar", str(JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # The checker writes its JSON report to stderr and exits 1 when it finds errors.
    return json.loads(result.stderr or '{"messages": []}')["messages"]


@pytest.mark.django_db
def test_public_pages_have_no_nu_checker_errors(client, world, tmp_path):
    if not shutil.which("java") or not JAR.exists():
        pytest.skip(
            f"Nu HTML checker absent (java and {JAR}): npm install --prefix /tmp/vnu vnu-jar"
        )
    pages = {}
    for language in ("id", "en"):
        for route in PUBLIC:
            path = route.path(world)
            if language == "en":
                path = "/en" + path
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            page = tmp_path / f"{language}-{route.name.replace(':', '-')}.html"
            page.write_bytes(response.content)
            pages[page.name] = path
    assert len(pages) > 20
    errors = []
    for error in nu_errors(sorted(tmp_path.glob("*.html"))):
        page = pages.get(Path(error.get("url", "")).name, error.get("url"))
        errors.append(f"{page}:{error.get('lastLine')}: {error['message']}")
    assert not errors, "\n".join(errors)
