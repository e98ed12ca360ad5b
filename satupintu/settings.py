"""Settings for Satu Pintu, read from the environment.

Defaults are safe for production (DEBUG off, HTTPS on, a secret key required); the demo and the
tests turn the relaxed ones on explicitly.
"""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("SATUPINTU_INSECURE_DEV_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-3f1b9c2d7e"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "satupintu.regions",
    "satupintu.accounts",
    "satupintu.audit",
    "satupintu.backups",
    "satupintu.parameters",
    "satupintu.registry",
    "satupintu.api",
    "satupintu.documents",
]

MIDDLEWARE = [
    "satupintu.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "satupintu.middleware.CSPMiddleware",
    "satupintu.middleware.NoStoreMiddleware",
    "satupintu.middleware.SessionMiddleware",
    "satupintu.middleware.SessionRefreshMiddleware",
    "satupintu.middleware.LanguageMiddleware",
    "satupintu.middleware.ControlCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "satupintu.accounts.middleware.AccountChecksMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "satupintu.middleware.LockTimeoutMiddleware",
]

ROOT_URLCONF = "satupintu.urls"
WSGI_APPLICATION = "satupintu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # A public page rendered once for many visitors carries a placeholder for the CSRF token.
                "satupintu.lib.page_cache.csrf_slot",
            ],
        },
    },
]
# Django's form renderer with its commonest widget templates written in Python (satupintu/lib/form_renderer.py).
FORM_RENDERER = "satupintu.lib.form_renderer.Renderer"

# Database: SQLite is the embedded default, PostgreSQL is production (DATABASE_URL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'satupintu.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN so two
    # workers queue on busy_timeout instead of failing with "database is locked" mid-transaction.
    # satupintu.sqlite: Django's backend storing raw SQL's datetimes as the ORM does (see there).
    DATABASES["default"]["ENGINE"] = "satupintu.sqlite"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;"
        ),
    }
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # satupintu.postgresql: Django's backend reading timestamps with psycopg's compiled loader (see there).
    DATABASES["default"]["ENGINE"] = "satupintu.postgresql"
if DATABASES["default"]["ENGINE"] == "satupintu.postgresql" and os.environ.get("DB_PREPARE_THRESHOLD", "5"):
    # Parameters bound by the server, and a statement run this many times on a connection prepared:
    # PostgreSQL then plans a page's joins once per connection instead of on every request. Off
    # (empty) behind a pooler in transaction mode, which cannot keep a connection's statements.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": int(os.environ.get("DB_PREPARE_THRESHOLD", "5")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every worker process (rate limits of the public tracking page count across
# workers). The database table needs `satupintu createcachetable` (run by `make demo`).
# The home page's counts of an area are recomputed at most this often (seconds).
HOME_SUMMARY_SECONDS = int(os.environ.get("HOME_SUMMARY_SECONDS", "300"))
# A signed-in home's queues, deadlines and on-time share, and the work queue's counts per tab, are
# reused this long per user (0: never).
HOME_WORK_SECONDS = int(os.environ.get("HOME_WORK_SECONDS", "60"))
# The public transparency figures are rebuilt, by one worker at a time, at most this often (seconds).
TRANSPARENCY_SECONDS = int(os.environ.get("TRANSPARENCY_SECONDS", "600"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": os.environ.get("CACHE_TABLE", "satupintu_cache"),
        # Expired entries are deleted by the forget-expired-cache schedule; beyond this many live ones
        # Django evicts a third of them (Django's default, 300, was reached by the attempt counters).
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "200000"))},
    }
}
# CACHE_URL=redis://host:6379/1 keeps the shared cache in Redis instead (Django's Redis backend, with
# lib/redis_cache.py's changes): an attempt counter is then one atomic round trip instead of a read
# and a write of the table (which counts the table before each write), and every server sharing that
# Redis shares the counts.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: a Redis address, e.g. redis://127.0.0.1:6379/1")
    CACHES = {"default": {"BACKEND": "satupintu.lib.redis_cache.RedisCache", "LOCATION": CACHE_URL}}
    # Sessions stay in the database (a restart of Redis signs nobody out) and are read through Redis:
    # a signed-in page asks Redis for its session instead of the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading a request's user, region and agency in one statement (accounts/backends.py).
    "satupintu.accounts.backends.Backend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Two-factor authentication (django-otp): the roles holding `accounts.permissions.TWO_FACTOR` enrol an
# authenticator app (TOTP) and get recovery codes, then give a code at every login (docs/operations.md).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Satu Pintu")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret or a recovery code
# Each wrong code doubles the wait before the next one is checked (1 s, 2 s, 4 s…), per device.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions end after inactivity (shared office PCs).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_TIMEOUT_SECONDS", str(30 * 60)))
# A session in use is saved (its expiry moved on) at most once per SESSION_REFRESH_SECONDS, not on
# every request (satupintu.middleware.SessionRefreshMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Front web servers whose X-Forwarded-For names the client (nginx on the same machine: 127.0.0.1);
# empty: the connection's own address is the client's (Caddy passes it in the PROXY protocol).
TRUSTED_PROXIES = [a.strip() for a in os.environ.get("TRUSTED_PROXIES", "").split(",") if a.strip()]
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Content Security Policy (django-csp): scripts, styles, fonts and frames from the site itself only,
# no inline script, style or event handler (the pages keep their behaviour in static/satupintu/js),
# images also as data: URIs (the QR codes of receipts and survey invitations).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get("STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "satupintu.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],  # a form cannot say null
    "DEFAULT_PAGINATION_CLASS": "satupintu.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "satupintu.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["satupintu.api.throttling.UserThrottle", "satupintu.api.throttling.AnonThrottle"],
    "EXCEPTION_HANDLER": "satupintu.api.throttling.exception_handler",
}
# API requests per user (a token or a session) and per address without one, counted in the shared
# cache (CACHES), as "N/second|minute|hour|day"; empty: no limit. ASSUMPTION: no regulation sets them.
API_THROTTLE_RATES = {
    "user": os.environ.get("API_THROTTLE_USER", "3000/hour") or None,
    "anon": os.environ.get("API_THROTTLE_ANON", "100/hour") or None,
}
# Days an API token is valid (`satupintu create-api-token --days` chooses otherwise).
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Satu Pintu API",
    "DESCRIPTION": "API of Satu Pintu, the one-stop service unit for poor households (UPT-PK).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "OAS_VERSION": "3.1.0",  # propertyNames: JSON member names are refused with control characters too
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "satupintu.api.schema.refuse_control_characters_hook",
    ],
}

# Poverty classification thresholds (configurable; the local weights are not public).
POVERTY_BPS14_POOR_MIN = int(os.environ.get("POVERTY_BPS14_POOR_MIN", "9"))
POVERTY_DESIL_POOR_MAX = int(os.environ.get("POVERTY_DESIL_POOR_MAX", "4"))
POVERTY_DESIL_VULNERABLE_MAX = int(os.environ.get("POVERTY_DESIL_VULNERABLE_MAX", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- The one-stop core (catalogue, cases) ---
INSTALLED_APPS += ["satupintu.catalogue", "satupintu.notifications", "satupintu.cases"]
# Public services are meant to run on cuti bersama: a deployment may count those days as working.
SATUPINTU_CUTI_BERSAMA_WORKING = env_bool("SATUPINTU_CUTI_BERSAMA_WORKING", False)
# A case is "due soon" when this many working days or fewer are left.
SATUPINTU_DUE_SOON_DAYS = int(os.environ.get("SATUPINTU_DUE_SOON_DAYS", "1"))
# Verification visits get their own deadline, in working days from assignment.
SATUPINTU_VERIFICATION_DAYS = int(os.environ.get("SATUPINTU_VERIFICATION_DAYS", "2"))
# Notifications: a dotted path to the gateway class; the HTTP gateway posts JSON to the URL.
SATUPINTU_NOTIFY_GATEWAY = os.environ.get("SATUPINTU_NOTIFY_GATEWAY", "satupintu.notifications.gateways.LogGateway")
SATUPINTU_NOTIFY_FILE = os.environ.get("SATUPINTU_NOTIFY_FILE", "")
SATUPINTU_NOTIFY_HTTP_URL = os.environ.get("SATUPINTU_NOTIFY_HTTP_URL", "")
SATUPINTU_NOTIFY_HTTP_TOKEN = os.environ.get("SATUPINTU_NOTIFY_HTTP_TOKEN", "")
SATUPINTU_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("SATUPINTU_NOTIFY_MAX_ATTEMPTS", "5"))
# Seconds a sender may hold a claimed text before another sender takes it again (same idempotency key).
SATUPINTU_NOTIFY_LEASE = int(os.environ.get("SATUPINTU_NOTIFY_LEASE", "300"))
# Public tracking: at most this many lookups per client address per window.
SATUPINTU_TRACK_LIMIT = int(os.environ.get("SATUPINTU_TRACK_LIMIT", "10"))
SATUPINTU_TRACK_WINDOW_SECONDS = int(os.environ.get("SATUPINTU_TRACK_WINDOW_SECONDS", "600"))
# PIN attempts on one receipt number from any address, per window (assumption: accounts/pins.py).
SATUPINTU_PIN_NUMBER_LIMIT = int(os.environ.get("SATUPINTU_PIN_NUMBER_LIMIT", "10"))
SATUPINTU_PIN_NUMBER_WINDOW_SECONDS = int(os.environ.get("SATUPINTU_PIN_NUMBER_WINDOW_SECONDS", "3600"))
# Openings of the QR verification page per client address, per window (assumption: documents/scans.py).
SATUPINTU_VERIFY_LIMIT = int(os.environ.get("SATUPINTU_VERIFY_LIMIT", "60"))
SATUPINTU_VERIFY_WINDOW_SECONDS = int(os.environ.get("SATUPINTU_VERIFY_WINDOW_SECONDS", "600"))
# Days a verification-page scan keeps the reader's IP address and browser (`forget-scan-addresses`).
SCAN_ADDRESS_RETENTION_DAYS = int(os.environ.get("SCAN_ADDRESS_RETENTION_DAYS", "30"))

# Official documents: the QR codes point to DOCUMENT_VERIFY_BASE_URL/v/<token> (by default the first
# allowed host); the Ed25519 key that signs them comes from DOCUMENT_SIGNING_KEY (PEM text) or a PEM
# file (`satupintu create-signing-key`), generated when missing only if DOCUMENT_SIGNING_KEY_CREATE
# (default: DEBUG); the public keys it replaced stay published from DOCUMENT_SIGNING_RETIRED_KEYS_FILE.
DOCUMENT_VERIFY_BASE_URL = os.environ.get(
    "DOCUMENT_VERIFY_BASE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if HTTPS else f"http://{ALLOWED_HOSTS[0]}:{os.environ.get('PORT', '8000')}",
)
DOCUMENT_SIGNING_KEY = os.environ.get("DOCUMENT_SIGNING_KEY", "")
DOCUMENT_SIGNING_KEY_FILE = Path(
    os.environ.get("DOCUMENT_SIGNING_KEY_FILE", BASE_DIR / "var" / "document-signing-key.pem")
)
DOCUMENT_SIGNING_KEY_CREATE = env_bool("DOCUMENT_SIGNING_KEY_CREATE", DEBUG)
DOCUMENT_SIGNING_RETIRED_KEYS_FILE = os.environ.get(
    "DOCUMENT_SIGNING_RETIRED_KEYS_FILE", str(BASE_DIR / "var" / "document-signing-retired-keys.pem")
)

# --- Complaints, satisfaction survey and the equity audit ---
INSTALLED_APPS += ["satupintu.complaints", "satupintu.survey", "satupintu.justice"]
# SP4N-LAPOR! deadlines in working days: first response; resolution per track.
SATUPINTU_COMPLAINT_DAYS = {
    "response": int(os.environ.get("SATUPINTU_COMPLAINT_RESPONSE_DAYS", "3")),
    "simple": int(os.environ.get("SATUPINTU_COMPLAINT_SIMPLE_DAYS", "5")),
    "standard": int(os.environ.get("SATUPINTU_COMPLAINT_STANDARD_DAYS", "14")),
    "field": int(os.environ.get("SATUPINTU_COMPLAINT_FIELD_DAYS", "60")),
}
# Members of this group handle the sensitive tier (bribe requests, discrimination); nobody else sees it.
SATUPINTU_INTEGRITY_GROUP = os.environ.get("SATUPINTU_INTEGRITY_GROUP", "Tim Integritas")
# Public reports: counts below this are suppressed.
SATUPINTU_MIN_CELL = int(os.environ.get("SATUPINTU_MIN_CELL", "5"))
# Bulk import, duplicate detection and batch eligibility (docs/imports.md).
INSTALLED_APPS += ["satupintu.imports", "satupintu.targeting"]
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "400")) * 2**20
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "2000000"))
IMPORT_XLSX_MAX_UNCOMPRESSED = int(os.environ.get("IMPORT_XLSX_MAX_UNCOMPRESSED_MB", "600")) * 2**20
IMPORT_XLSX_MAX_MEMBERS = 200
IMPORT_XLSX_MAX_RATIO = int(os.environ.get("IMPORT_XLSX_MAX_RATIO", "100"))
# Share of invalid + duplicate rows above which validation stops the batch (0.2 = 20%).
IMPORT_MAX_PROBLEM_SHARE = float(os.environ.get("IMPORT_MAX_PROBLEM_SHARE", "0.2"))
IMPORT_CHUNK_HOUSEHOLDS = int(os.environ.get("IMPORT_CHUNK_HOUSEHOLDS", "20000"))
IMPORT_FUZZY_MATCH = env_bool("IMPORT_FUZZY_MATCH", True)
# Plain CSV files are checked by columns (imports/vectorised.py); off: every file row by row.
IMPORT_VECTORISED = env_bool("IMPORT_VECTORISED", True)
# Days a final batch keeps its file, staged rows and quoted error values (`forget-import-files`).
IMPORT_RETENTION_DAYS = int(os.environ.get("IMPORT_RETENTION_DAYS", "90"))
# Uploading or approving a batch queues its work (imports/tasks.py); a run that raises is queued
# again at once, up to this many runs in all, then the batch fails with the error as its reason.
IMPORT_TASK_ATTEMPTS = int(os.environ.get("IMPORT_TASK_ATTEMPTS", "3"))
# An active batch whose heartbeat is older than this has lost its worker: the `resume-imports`
# schedule queues it again, and `satupintu run-imports` (by hand) takes it over.
IMPORT_STALE_SECONDS = int(os.environ.get("IMPORT_STALE_SECONDS", "600"))
# A web request waits at most this long for a table lock (PostgreSQL's lock_timeout, e.g. "5s",
# "500ms"; "0" waits forever), then answers 503 saying what holds the table. The first load of a
# regency locks the registry for tens of seconds, longer than gunicorn's 30 s worker timeout.
WEB_LOCK_TIMEOUT = os.environ.get("WEB_LOCK_TIMEOUT", "5s").strip()
if not re.fullmatch(r"\d+(ms|s|min)?", WEB_LOCK_TIMEOUT):
    raise ImproperlyConfigured(f"WEB_LOCK_TIMEOUT={WEB_LOCK_TIMEOUT!r}: a number with ms, s or min, e.g. 5s")
DEDUP_CERTAIN_SCORE = int(os.environ.get("DEDUP_CERTAIN_SCORE", "85"))
DEDUP_POSSIBLE_SCORE = int(os.environ.get("DEDUP_POSSIBLE_SCORE", "65"))

# --- Background work (django-q2): `satupintu qcluster` runs the periodic jobs of
# satupintu/ops/schedules.py and the long ones (imports, targeting); `satupintu serve` starts it
# beside the web server. The queue lives in the database (no other service needed) unless REDIS_URL
# names a Redis server (production with several servers).
# Budget programmes (docs/budgets.md) and the immediate services (docs/emergency.md).
INSTALLED_APPS += ["satupintu.budgets", "satupintu.allocation", "satupintu.raskin", "satupintu.emergency"]
INSTALLED_APPS += ["django_q", "satupintu.ops"]
REDIS_URL = os.environ.get("REDIS_URL", "")
# A task running longer than Q_TIMEOUT seconds is stopped (a regency's import is the longest); a task
# whose worker died is handed out again after Q_RETRY seconds, which must exceed Q_TIMEOUT so that no
# task runs twice at once.
Q_TIMEOUT = int(os.environ.get("Q_TIMEOUT", "3600"))
Q_CLUSTER = {
    "name": "satupintu",
    "label": "Tugas latar belakang",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": Q_TIMEOUT,
    "retry": int(os.environ.get("Q_RETRY", str(Q_TIMEOUT + 60))),
    # A failed run is kept in the admin's failed tasks; the import task queues its own next run.
    "ack_failures": True,
    "catch_up": False,  # after a stop, a schedule runs once, not once per missed interval
    **({"redis": REDIS_URL} if REDIS_URL else {"orm": "default"}),
}
# Every schedule runs at least this often, in minutes (the demo sets 1); 0 keeps their own intervals.
SCHEDULE_MAX_MINUTES = int(os.environ.get("SCHEDULE_MAX_MINUTES", "0"))
# A user's long job (card batch, equity export, targeting run: ops/jobs.py) that raises is queued
# again at once, up to this many runs in all, then it is marked failed with the error as its reason.
JOB_TASK_ATTEMPTS = int(os.environ.get("JOB_TASK_ATTEMPTS", "3"))
# A running job whose heartbeat (each progress step) is older than this has lost its worker: the
# `resume-jobs` schedule queues its next attempt. Above the longest step (a targeting run's one
# transaction takes seconds over a regency, bench/RESULTS.md).
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "600"))
# Hours a finished job keeps its file (cards with NIK, UU PDP: no longer than the printing needs);
# the daily `forget-job-files` schedule deletes older ones. ASSUMPTION: a week covers a desa's printing.
JOB_FILE_RETENTION_HOURS = int(os.environ.get("JOB_FILE_RETENTION_HOURS", str(7 * 24)))

# The demo data and its commands (`demo-setup`): above every other app, and imported by none.
INSTALLED_APPS += ["satupintu.demo"]
