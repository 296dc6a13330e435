"""Media storages: the filesystem default, S3 (against moto), and private documents."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import RequestFactory, override_settings

from tangerang_ikm.storage import PrivateURLRefused, private_storage, serve_private
from tests.s3server import CREDENTIALS, REGION, create_buckets, moto_server, s3_client

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\nsertifikat halal\n%%EOF\n"


class FieldFileStub:
    """What a FileField gives a view: a name and its storage."""

    def __init__(self, storage, name):
        self.storage, self.name = storage, name

    def __bool__(self):
        return bool(self.name)


def settings_storages(env):
    """STORAGES exactly as tangerang_ikm/settings.py builds them from `env`."""
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    base.update(DEBUG="false", SECRET_KEY="x" * 50, **env)
    code = (
        "import json; from tangerang_ikm import settings as s;"
        "print(json.dumps(s.STORAGES, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "tangerang_ikm.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def test_private_files_live_outside_media_root_and_have_no_url(settings, private_root):
    storage = private_storage()
    name = storage.save("certificates/halal.pdf", ContentFile(PDF))
    path = Path(storage.path(name))
    assert path.read_bytes() == PDF
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    with pytest.raises(PrivateURLRefused):
        storage.url(name)


def test_private_storage_without_a_location_uses_private_media_root(settings, tmp_path):
    from tangerang_ikm.storage import PrivateFileSystemStorage

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"
    assert Path(PrivateFileSystemStorage().location) == tmp_path / "elsewhere"


def test_default_settings_keep_private_out_of_media():
    from django.conf import settings

    assert settings.STORAGES["private"]["BACKEND"].endswith("PrivateFileSystemStorage")
    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    assert not private.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_serve_private_streams_an_attachment_with_safe_headers(private_root):
    storage = private_storage()
    name = storage.save("certificates/halal sertifikat.pdf", ContentFile(PDF))
    response = serve_private(RequestFactory().get("/"), FieldFileStub(storage, name))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "halal" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert "no-store" in response["Cache-Control"]


def test_serve_private_gives_404_for_a_missing_file(private_root):
    from django.http import Http404

    with pytest.raises(Http404):
        serve_private(RequestFactory().get("/"), FieldFileStub(private_storage(), "gone.pdf"))
    with pytest.raises(Http404):
        serve_private(RequestFactory().get("/"), FieldFileStub(private_storage(), ""))


def test_unknown_storage_backend_is_refused():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="false", SECRET_KEY="x" * 50, STORAGE_BACKEND="ftp")
    result = subprocess.run(
        [sys.executable, "-c", "import tangerang_ikm.settings"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "STORAGE_BACKEND must be" in result.stderr


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with moto_server(log_dir=tmp_path_factory.mktemp("moto")) as endpoint:
        create_buckets(endpoint, "ikm-media", "ikm-private")
        yield endpoint


@pytest.fixture
def s3_storages(s3, monkeypatch):
    for key, value in CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    configured = settings_storages(
        {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": "ikm-media",
            "S3_PRIVATE_BUCKET": "ikm-private",
            "S3_ENDPOINT_URL": s3,
            "S3_REGION": REGION,
            "S3_PRIVATE_URL_EXPIRE": "900",  # asked for 15 min: capped at 5
            **CREDENTIALS,
        }
    )
    with override_settings(STORAGES=configured):
        yield configured


def test_s3_settings_from_the_environment(s3_storages):
    assert s3_storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    private = s3_storages["private"]["OPTIONS"]
    assert private["bucket_name"] == "ikm-private"
    assert private["querystring_auth"] is True
    assert private["querystring_expire"] == 300
    assert private["default_acl"] == "private"


def test_public_media_round_trip_on_s3(s3, s3_storages):
    default = storages["default"]
    name = default.save("products/kerupuk.jpg", ContentFile(b"\xff\xd8\xff jpeg bytes"))
    assert name.startswith("products/kerupuk")
    with default.open(name) as handle:
        assert handle.read() == b"\xff\xd8\xff jpeg bytes"
    objects = s3_client(s3).list_objects_v2(Bucket="ikm-media")
    assert [o["Key"] for o in objects["Contents"]] == [f"media/{name}"]
    assert requests.get(default.url(name), timeout=10).content == b"\xff\xd8\xff jpeg bytes"


def test_private_document_on_s3_is_a_short_lived_presigned_redirect(s3, s3_storages):
    storage = private_storage()
    name = storage.save("certificates/halal.pdf", ContentFile(PDF))
    response = serve_private(RequestFactory().get("/"), FieldFileStub(storage, name))
    assert response.status_code == 302
    assert response["Cache-Control"].startswith("private")
    url = response["Location"]
    query = parse_qs(urlparse(url).query)
    assert urlparse(url).path == f"/ikm-private/private/{name}"
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert "X-Amz-Signature" in query
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == PDF
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert fetched.headers["Content-Type"] == "application/pdf"
    acl = s3_client(s3).get_object_acl(Bucket="ikm-private", Key=f"private/{name}")
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in acl["Grants"])
