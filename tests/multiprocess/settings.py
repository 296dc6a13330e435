"""Settings for the multi-process proof: the real settings plus a few proof-only views.

Everything else comes from the environment that tests/multiprocess/run.py sets, exactly as
in production (PostgreSQL, Redis, S3, the database task backend).
"""

from tangerang_ikm.settings import *  # noqa: F403 - extend the one settings module

ROOT_URLCONF = "tests.multiprocess.urls"
# The proof talks plain HTTP to 127.0.0.1; production keeps its secure cookies.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic in the proof: plain static storage instead of the manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
