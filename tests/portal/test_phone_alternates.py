"""Every public page names its canonical URL and its language alternates (issue #22)."""

import re

import pytest

from tests import url_matrix as m

PUBLIC = [r for r in m.ROUTES if r.public and r.expect.get(m.ANON) == 200]


def links(html):
    head = html.split("</head>", 1)[0]
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', head)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head))
    return canonical, alternates


@pytest.mark.django_db
def test_every_public_page_has_one_canonical_and_id_en_x_default(client, world):
    checked = 0
    for route in PUBLIC:
        path = route.path(world)
        for language, prefix in (("id", ""), ("en", "/en")):
            response = client.get(prefix + path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            canonical, alternates = links(response.content.decode())
            if not path.startswith("/api/"):
                own = f"http://testserver{prefix}{path.split('?')[0]}"
            else:  # one URL for both languages (?lang=): a canonical, no alternates
                assert canonical == [f"http://testserver{path}"] and not alternates
                continue
            assert canonical == [own], (route.name, language, canonical)
            assert alternates == {
                "id": f"http://testserver{path.split('?')[0]}",
                "en": f"http://testserver/en{path.split('?')[0]}",
                "x-default": f"http://testserver{path.split('?')[0]}",
            }, (route.name, language)
            checked += 1
    assert checked > 30  # the home page, catalog, events and missions, in both languages


@pytest.mark.django_db
def test_the_home_page_has_them(client):
    canonical, alternates = links(client.get("/en/").content.decode())
    assert canonical == ["http://testserver/en/"]
    assert alternates["x-default"] == "http://testserver/"
