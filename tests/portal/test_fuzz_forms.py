"""Fuzz every form in tests/url_matrix.py (routes with `fuzz_as`) with hypothesis.

Random unicode, huge strings, negative and enormous numbers, invalid dates, missing
fields and wrong types: the answer is never a 5xx, and when the form is shown again
(200) nothing at all was written to the database.
"""

import re

import pytest
from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import url_matrix as m

FUZZED = [r for r in m.ROUTES if r.fuzz_as]

# Text a browser could send: any unicode but lone surrogates, which cannot be encoded.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
VALUES = st.one_of(
    TEXT,
    st.text(st.characters(exclude_categories=("Cs",)), min_size=5_000, max_size=20_000),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["", " ", "0", "-1", "2025-02-30", "31/12/99999", "1e309", "NaN", "on", "true", "null"]
    ),
    st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", "\x00", "../../etc/passwd"]),
)


def field_names(html):
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', html))
    return sorted(names - {"csrfmiddlewaretoken", "next"})


def row_count():
    """Every row of every table the project's models manage, many-to-many tables too, in
    one query (a count a model per query was a fifth of this file's time)."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )
    # Table names from the models, quoted: nothing here comes from a request.
    counts = " + ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(t)})"  # noqa: S608
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.parametrize("route", FUZZED, ids=[r.name for r in FUZZED])
def test_form_survives_fuzzing(client, world, route):
    user = world["users"].get(route.fuzz_as)
    if user is not None:
        client.force_login(user)
    path = route.path(world)
    names = field_names(client.get(path).content.decode())
    assert names, f"no form fields found on {path}"

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,  # huge strings on purpose; forms with many fields
        ],
    )
    @given(data=st.dictionaries(st.sampled_from(names), VALUES, max_size=len(names)))
    def fuzz(data):
        before = row_count()
        response = client.post(path, data)
        assert response.status_code < 500, (path, data)
        if response.status_code == 200:
            assert row_count() == before, f"a refused form wrote to the database: {data}"

    fuzz()
