"""Settings for the Portal IKM Kabupaten Tangerang.

One module, read from the environment (and from a `.env` file beside
manage.py when present). Every variable is documented in README.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from tangerang_ikm.countries import cldr_overrides

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# --- Core -------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

# A development key exists only while DEBUG is on; production must bring its own.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=true for local development only)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}
if DEBUG and not env.bool("ALLOW_DEBUG_ON_PUBLIC_HOST", default=False):
    # DEBUG pages leak settings and source; refuse them on a real host name.
    public = [h for h in ALLOWED_HOSTS if h not in LOCAL_HOSTS]
    if public:
        raise ImproperlyConfigured(
            f"DEBUG is on while ALLOWED_HOSTS names public hosts {public}. "
            "Turn DEBUG off in production."
        )

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_countries",
    "import_export",
    "simple_history",
    # Login throttling (failed attempts and lock-outs live in the database).
    "axes",
    # The database task backend and its `db_worker` command.
    "tangerang_ikm.apps.TasksConfig",
    "ikm_registry",
    "gerai",
    "missions",
    # Last on purpose: its post_migrate handler syncs role permissions,
    # which exist only once every app above has created them.
    "tangerang_ikm",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (whitenoise compresses static files itself); Django adds random
    # bytes to every gzip header against BREACH-style guessing of tokens.
    "django.middleware.gzip.GZipMiddleware",
    # An ETag for every page, and 304 when the client's copy is current. Below GZip, so
    # the tag is taken of the page itself, not of its randomised compressed bytes.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tangerang_ikm.middleware.NulInQueryStringMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tangerang_ikm.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lock-out into our login page with a message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tangerang_ikm.urls"
WSGI_APPLICATION = "tangerang_ikm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tangerang_ikm.context_processors.portal",
            ],
        },
    },
]

# Forms and widgets through Jinja2 (Django's own templates for it), twice as fast as
# through the engine above; the admin's widgets keep theirs (tangerang_ikm/renderers.py).
FORM_RENDERER = "tangerang_ikm.renderers.FormRenderer"

# --- Data -------------------------------------------------------------------

# SQLite under var/ is the zero-setup default; production uses PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create its directory; `check` already opens the database (JSON fields).
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode (docs/deployment.md) a server-side cursor can
    # outlive the pooled connection it was declared on: set this to true there.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DISABLE_SERVER_SIDE_CURSORS", default=False
    )
    # Settings each connection starts with (docs/deployment.md):
    # - jit=off: the portal's queries are short reads, and at national scale JIT spent
    #   0.5-0.9 s compiling an admin NIB search whose execution took 31 ms;
    # - synchronize_seqscans=off: a search answers from its first 1,001 matches
    #   (ikm_registry.search), and a synchronized scan starts where another left off, so
    #   the same search showed other cards;
    # - random_page_cost=1.1: the data is on SSD and mostly cached, where PostgreSQL's
    #   default (4, for spinning disks) made the planner hash a commodity's 4,500
    #   businesses in a kecamatan against 300,000 rather than look each up (35 -> 6 ms,
    #   and the directory's p90 39 -> 26 ms at national scale).
    # Behind a pooler that refuses startup options set it empty and ALTER DATABASE instead.
    _startup = env.str(
        "DATABASE_SESSION_OPTIONS",
        default="-c jit=off -c synchronize_seqscans=off -c random_page_cost=1.1",
    )
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if _startup:
        _options["options"] = f"{_options.get('options', '')} {_startup}".strip()
    # Prepared statements (docs/deployment.md). Django binds values into the SQL text on
    # the client and prepares nothing, for the sake of transaction-mode poolers. Bound
    # on the server instead, a page's query has the same text for every slug or key, and
    # from its PREPARE_THRESHOLD-th run on a connection PostgreSQL keeps it parsed.
    # DATABASE_PREPARE_THRESHOLD=off goes back to Django's default.
    _prepare = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
    if _prepare != "off" and not _prepare.isdigit():
        raise ImproperlyConfigured(
            f"DATABASE_PREPARE_THRESHOLD is {_prepare!r}: a number of runs (5) or off."
        )
    if _prepare != "off":
        _options.setdefault("server_side_binding", True)
        _options.setdefault("prepare_threshold", int(_prepare))

# Local memory by default (one process); in production `redis://host:6379/0`, which
# django-environ maps to django-redis (installed: pyproject.toml says why), used as it is.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="ikm"))
# A cache that every worker process and app server sees (Redis, Memcached, the database).
# Process memory (locmem) and the dummy cache are each worker's own; a file cache is
# each machine's own.
SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(
    ("locmem.LocMemCache", "dummy.DummyCache", "filebased.FileBasedCache")
)
# Counts that must hold across every worker (rate limits, used form start times) live
# in the "limits" cache: the shared cache when there is one, else a table in the
# database (created by tangerang_ikm's migration 0002, so `migrate` alone sets it up).
RATELIMIT_CACHE_TABLE = "ikm_ratelimit_cache"
CACHES["limits"] = (
    {**CACHES["default"], "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-limits"}
    if SHARED_CACHE
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": RATELIMIT_CACHE_TABLE,
        # Expired windows are culled as the table grows past this many rows.
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    }
)
# Sessions live in the database, read through the cache only when the cache is shared:
# with a per-process cache, a logout on one worker would leave the session alive in
# another worker's memory.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)
# How many worker processes (gunicorn reads WEB_CONCURRENCY as its --workers) and app
# servers run this configuration. `check --deploy` refuses a per-process cache in
# production when either is above 1 (tangerang_ikm/checks.py): fragments cached by one
# worker would not be dropped by a change made through another.
WEB_CONCURRENCY = env.int("WEB_CONCURRENCY", default=1)
APP_SERVERS = env.int("APP_SERVERS", default=1)
# Public pages tell browsers and a reverse proxy that visitors without a session may
# get the same copy for this long (Cache-Control max-age), and a stale one while it is
# fetched again for this much longer (stale-while-revalidate): tangerang_ikm/cache.py,
# public_page. 0 marks them private, like every other page.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=60)
PUBLIC_CACHE_STALE_SECONDS = env.int("PUBLIC_CACHE_STALE_SECONDS", default=300)
# Mission reports and the program dashboard, computed once for all staff who may see
# them and dropped when missions, deals or the registry change (missions/reports.py).
REPORT_CACHE_SECONDS = env.int("REPORT_CACHE_SECONDS", default=600)

AUTH_USER_MODEL = "tangerang_ikm.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account or address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Confirmation and reset links stay valid for three days.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True
# Our own format modules fix Django's `id` date-time input order (d/m/Y, not m/d/Y).
FORMAT_MODULE_PATH = ["tangerang_ikm.formats"]
# Country names on Indonesian pages come from CLDR (django-countries has no `id` catalog).
COUNTRIES_OVERRIDE = cldr_overrides()

# --- Static and media -------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Private documents (certificates, deal documents): outside MEDIA_ROOT, never given a
# URL, served only by permission-checked views through tangerang_ikm.storage.serve_private.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
# Public media (product photos, logos, posters) on the filesystem: with DEBUG off the app
# serves MEDIA_URL itself (tangerang_ikm/views.py, media) unless SERVE_MEDIA=false says a
# proxy does. With MEDIA_ACCEL_REDIRECT set (an nginx `internal` location such as
# `/_media/` aliased to MEDIA_ROOT) the app only answers X-Accel-Redirect and nginx sends
# the bytes. Private documents are never under MEDIA_ROOT, so never served this way.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")

# STORAGE_BACKEND=filesystem (default) or s3 (any S3-compatible store via django-storages).
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "s3":
    _s3 = {
        "bucket_name": env.str("S3_BUCKET", default=env.str("AWS_STORAGE_BUCKET_NAME", default="")),
        "endpoint_url": env.str(
            "S3_ENDPOINT_URL", default=env.str("AWS_S3_ENDPOINT_URL", default="")
        )
        or None,
        "region_name": env.str("S3_REGION", default=env.str("AWS_S3_REGION_NAME", default=""))
        or None,
        # Credentials: S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY, else boto3's own lookup
        # (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, instance roles).
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    if not _s3["bucket_name"]:
        raise ImproperlyConfigured(
            "STORAGE_BACKEND=s3 needs S3_BUCKET (or AWS_STORAGE_BUCKET_NAME)."
        )
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "location": env.str("S3_MEDIA_PREFIX", default="media"),
            # Public media (product photos, posters): plain URLs when the bucket or a CDN
            # in front of it serves the prefix publicly, else short-lived signed URLs.
            "querystring_auth": env.bool("S3_MEDIA_SIGNED_URLS", default=True),
            "custom_domain": env.str("S3_MEDIA_CUSTOM_DOMAIN", default="") or None,
        },
    }
    _private_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env.str("S3_PRIVATE_BUCKET", default=_s3["bucket_name"]),
            "location": env.str("S3_PRIVATE_PREFIX", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
            # Presigned links handed out by permission-checked views live at most 5 minutes.
            "querystring_expire": min(env.int("S3_PRIVATE_URL_EXPIRE", default=120), 300),
            "custom_domain": None,
        },
    }
elif STORAGE_BACKEND == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _private_storage = {
        "BACKEND": "tangerang_ikm.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    }
else:
    raise ImproperlyConfigured(
        f"STORAGE_BACKEND must be 'filesystem' or 's3', not {STORAGE_BACKEND!r}."
    )
STORAGES = {
    "default": _default_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads above this many bytes are streamed to disk instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------

_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _email_options = {
        "host": _email.get("EMAIL_HOST", "localhost"),
        "port": _email.get("EMAIL_PORT") or 25,
        "username": _email.get("EMAIL_HOST_USER", ""),
        "password": _email.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": bool(_email.get("EMAIL_USE_TLS")),
        "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
        "timeout": 10,
    }
elif _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # filemail:// writes each message to a file (used by the multi-process proof).
    _email_options = {
        "file_path": env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
    }
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL",
    default="Portal IKM Kabupaten Tangerang <noreply@disperindag.tangerangkab.go.id>",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The office inbox that receives copies of buyer inquiries and notices.
OFFICE_EMAIL = env.str("OFFICE_EMAIL", default="disperindag@tangerangkab.go.id")
# The office's phone (shown in every e-mail's footer when set) and WhatsApp number in
# international digits (6281...): owners who opt in get a wa.me click-to-chat link to it
# (with no number, the link lets them forward the notice to any chat).
OFFICE_PHONE = env.str("OFFICE_PHONE", default="")
OFFICE_WHATSAPP = env.str("OFFICE_WHATSAPP", default="")

# --- Background tasks -------------------------------------------------------

# TASKS_BACKEND=immediate (default: run inside the request, for the quick start and tests)
# or database (production: queued in PostgreSQL, run by `manage.py db_worker`; nothing is
# lost while the worker is down).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
_task_backends = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "dummy": "django.tasks.backends.dummy.DummyBackend",
}
if TASKS_BACKEND not in _task_backends:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_task_backends)}.")
TASKS = {"default": {"BACKEND": _task_backends[TASKS_BACKEND]}}

# --- Security ---------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
# The language cookie (set by the language switcher) is read by the server only.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

if not DEBUG:
    # Behind a TLS-terminating load balancer that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP by the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Login throttling (django-axes). Failures are counted in the database, so every app
# server sees the same count. After AXES_FAILURE_LIMIT failures an account is locked,
# and so is the client address (each on its own), for AXES_COOLOFF_MINUTES; staff
# unlock earlier by deleting the "access attempts" row in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Our login form posts the e-mail as "username"; case and spaces do not make a new account.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "tangerang_ikm.ratelimit.login_username"
AXES_LOCKOUT_CALLABLE = "tangerang_ikm.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "tangerang_ikm.ratelimit.client_ip"
# Public forms (inquiries, sign-up, resend confirmation, password reset) refuse a post
# sent sooner than this after the form was shown: people read before they send, bots do
# not (tangerang_ikm/forms.py, GuardedFormMixin). Browser tests set it to 0.
FORM_MIN_FILL_SECONDS = env.int("FORM_MIN_FILL_SECONDS", default=3)
# How many reverse proxies (load balancers) stand in front of the app and append to
# X-Forwarded-For; 0 trusts no header and uses the socket address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# --- Logging ----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own "django" logger has a console handler of its own in DEBUG and also
        # passes records to the root one: every line printed twice. One handler here.
        "django": {
            "handlers": ["console"],
            "level": env.str("LOG_LEVEL", default="INFO"),
            "propagate": False,
        },
        "django.db.backends": {"level": "INFO"},
        # Failed logins and lock-outs are warnings; axes' chatter below that is noise.
        "axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")},
    },
}

# --- The portal -------------------------------------------------------------

# Fernet key that encrypts owners' NIK at rest (ikm_registry/crypto.py). Production must
# set its own: without it the key is derived from SECRET_KEY, so rotating that would make
# every stored NIK unreadable. `check --deploy` warns when it is missing.
NIK_ENCRYPTION_KEY = env.str("NIK_ENCRYPTION_KEY", default="")

# Serve /bench/floor, the trivial view benchmarks compare pages against (bench/run.py).
BENCHMARK_FLOOR = env.bool("BENCHMARK_FLOOR", default=False)

# IKM enrolled in the trade-mission program, the target shown on the dashboard.
PROGRAM_TARGET_IKM = env.int("PROGRAM_TARGET_IKM", default=200)

# --- Public API (/api/v1/, issue #23) -----------------------------------------

# Django REST Framework serves the read-only API and drf-spectacular its OpenAPI 3
# schema; views, pagination, throttling and CORS are set in tangerang_ikm/api.py.
INSTALLED_APPS += ["rest_framework", "drf_spectacular"]
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: the browsable API's inline scripts and styles break our strict CSP.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Anonymous and the same for everybody: no session, so no CSRF and no personal view.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portal IKM Kabupaten Tangerang API",
    "DESCRIPTION": "Open data of Disperindag Kabupaten Tangerang: verified IKM, their "
    "products, commodities, kecamatan, Gerai events and trade-mission results. "
    "Read-only; licensed CC BY 4.0.",
    "VERSION": "1.0.0",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# Requests per minute one address may make to the API before it gets 429.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=120)
