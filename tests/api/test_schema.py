"""The OpenAPI document is valid, and the API keeps to it under property-based requests.

Schemathesis (a tool no one here wrote) reads /api/v1/openapi.json from the app itself
through WSGI, then sends generated requests to every operation of a small seeded
database: valid and invalid filters, cursors, languages. Any 5xx, any status code the
schema does not list, and any answer that breaks its schema fails the test.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    validate(document)  # raises on any violation of the OpenAPI 3.0 specification
    assert document["openapi"].startswith("3.")
    assert document["info"]["license"]["name"] == "CC BY 4.0"
    operations = [op for item in document["paths"].values() for op in item]
    assert set(operations) == {"get"}  # read-only


def test_the_schema_describes_the_filters_the_pages_have(client):
    document = client.get("/api/v1/openapi.json").json()
    products = document["paths"]["/api/v1/products/"]["get"]
    names = {p["name"] for p in products["parameters"]}
    assert {
        "q",
        "commodity",
        "kecamatan",
        "certificate",
        "size",
        "export_ready",
        "sort",
        "cursor",
        "page_size",
        "lang",
    } <= names
    events = document["paths"]["/api/v1/events/"]["get"]
    assert {"from", "to", "kind"} <= {p["name"] for p in events["parameters"]}


@pytest.fixture
def test_connection():
    """Keep the test's database connection across requests, as Django's test client does.

    A plain WSGI handler closes connections at each request's start and end when they
    are not in autocommit mode, and inside a test they never are: on PostgreSQL that
    would drop the test's transaction and its seeded data.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def generated_document():
    """The document drf-spectacular generates: what /api/v1/openapi.json serves."""
    from drf_spectacular.generators import SchemaGenerator

    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))


def test_the_served_schema_is_the_generated_one(client):
    assert client.get("/api/v1/openapi.json").json() == generated_document()


# Generated once at collection, without a request (a request would be counted by the
# rate limiter, which may use the database), and sent to the app through WSGI.
# Schemathesis' fixture-based loader (schemathesis.pytest.from_fixture) cannot run under
# pytest 9: it writes a private pytest attribute that no longer exists.
schema = schemathesis.openapi.from_dict(generated_document())
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, api_world, no_rate_limit, test_connection):
    # Schemathesis' WSGI transport asks for gzip but does not decompress: ask for none.
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS)
