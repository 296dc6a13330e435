from unittest import mock

from django.db import connection
from django.db.utils import OperationalError


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_503_when_database_unreachable(client, db):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content


def test_pages_answer_503_not_500_while_the_database_is_down(client, db):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("could not connect to server")
    ):
        response = client.get("/akun/masuk/?next=/", HTTP_ACCEPT_LANGUAGE="id")
        # The login page itself needs no query; a page that does must degrade to 503.
        assert response.status_code in (200, 503)
    with mock.patch(
        "tangerang_ikm.views.render", side_effect=OperationalError("server closed the connection")
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Layanan sedang tidak tersedia" in response.content.decode()


def test_other_database_errors_are_not_hidden(client, db):
    import pytest

    with (
        mock.patch("tangerang_ikm.views.render", side_effect=OperationalError("no such column: x")),
        pytest.raises(OperationalError),
    ):
        client.get("/")
