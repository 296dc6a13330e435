"""Indonesian forms speak Indonesian: no "- Select an option -", no label in lower case,
and country names from CLDR ("Belanda", "Korea Selatan", "Amerika Serikat")."""

import re

import pytest
from django.utils import translation
from django_countries import countries

from tests import url_matrix as m

LABEL = re.compile(r"<label\b[^>]*>(.*?)</label>", re.S)
TAGS = re.compile(r"<[^>]+>")
FORM_PAGES = [
    r
    for r in m.ROUTES
    if (r.public or r.owner_page) and m.OWNER_A in r.expect and r.expect[m.OWNER_A] == 200
]


def visible_labels(html):
    for raw in LABEL.findall(html):
        text = TAGS.sub("", raw).strip()
        if text:
            yield text


def form_problems(client, world, routes):
    client.force_login(world["users"]["owner_a"])
    problems, labels_seen = [], 0
    for route in routes:
        response = client.get(route.path(world), headers={"accept-language": "id"})
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if "Select an option" in html:
            problems.append(f"{route.name}: '- Select an option -'")
        for text in visible_labels(html):
            labels_seen += 1
            if text[0].islower():
                problems.append(f"{route.name}: label {text!r}")
    return sorted(set(problems)), labels_seen


@pytest.mark.django_db
def test_indonesian_owner_and_public_forms_have_no_english_blank_or_lower_case_label(client, world):
    routes = [r for r in FORM_PAGES if not r.name.startswith("missions:")]
    problems, labels_seen = form_problems(client, world, routes)
    assert labels_seen > 40  # the pages with forms were really rendered
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_indonesian_mission_forms_have_no_english_blank_or_lower_case_label(client, world):
    routes = [r for r in FORM_PAGES if r.name.startswith("missions:")]
    problems, labels_seen = form_problems(client, world, routes)
    assert labels_seen > 5
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("code", "indonesian", "english"),
    [
        ("NL", "Belanda", "Netherlands"),
        ("KR", "Korea Selatan", "South Korea"),
        ("US", "Amerika Serikat", "United States of America"),
    ],
)
def test_country_names_follow_the_active_language(code, indonesian, english):
    with translation.override("id"):
        assert countries.name(code) == indonesian
        assert (code, indonesian) in list(countries)
    with translation.override("en"):
        assert countries.name(code) == english


@pytest.mark.django_db
def test_the_export_form_lists_countries_in_indonesian(client, world):
    client.force_login(world["users"]["owner_a"])
    html = client.get(f"/ikm/usaha/{world['business_a'].pk}/").content.decode()
    assert '<option value="NL">Belanda</option>' in html
    assert "Korea Selatan" in html
    assert html.index("Afganistan") < html.index("Belanda") < html.index("Zambia")
