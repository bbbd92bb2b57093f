"""
Settings for the partnership portal.

Everything that differs between a laptop and production comes from the
environment; the README lists every variable. With no variables set the portal
runs on a SQLite file with DEBUG off and refuses to start without SECRET_KEY,
so `make run` sets DEBUG=1 for the demo.
"""

import datetime as dt
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG")

# Commands that only compare the code with itself (models against migration
# files) sign nothing, so they run without a key; so CI and a developer can
# check migrations with no secret in the environment.
KEYLESS_COMMANDS = {"makemigrations"}


def _manage_command() -> str:
    if len(sys.argv) > 1 and Path(sys.argv[0]).name == "manage.py":
        return sys.argv[1]
    return ""


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    elif _manage_command() in KEYLESS_COMMANDS:
        SECRET_KEY = secrets.token_urlsafe(50)  # used for nothing, kept nowhere
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set DEBUG=1 for local "
            "development or give a long random SECRET_KEY."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The partnership this portal serves. The name appears in every page header
# and PDF; the logo is optional and only shown when configured.
PORTAL_NAME = os.environ.get("PORTAL_NAME", "Kent Community Safety Partnership")
PORTAL_SHORT_NAME = os.environ.get("PORTAL_SHORT_NAME", "KCSP")
PORTAL_LOGO = os.environ.get("PORTAL_LOGO", "")
PORTAL_ORGANISATION = os.environ.get("PORTAL_ORGANISATION", "Kent County Council")
PORTAL_CONTACT_EMAIL = os.environ.get(
    "PORTAL_CONTACT_EMAIL", "communitysafetyunit@kent.gov.uk"
)
DHR_LABEL = os.environ.get("DHR_LABEL", "Domestic Homicide Review")
# The public address of the portal, for links in e-mails.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# Seconds one PDF may take to render before it is stopped with a clear error.
PDF_RENDER_TIMEOUT = env_int("PDF_RENDER_TIMEOUT", 30)

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
    "simple_history",
    "django_filters",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "kcsp",
    "meetings",
    "imports",
    "agreement",
    "priorities",
    "dhr",
    # Imports every app above and is imported by none.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the rest, so that a page from the cache costs none of it.
    "kcsp.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Straight after sign-in, so it knows who asked, and every view and the
    # middleware below have set their headers before it has the last word.
    "kcsp.security.PrivateResponsesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kcsp.security.SessionLimitsMiddleware",
    "kcsp.security.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kcsp.urls"
WSGI_APPLICATION = "kcsp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kcsp.context_processors.portal",
            ],
            "builtins": [
                "django.templatetags.static",
                "kcsp.templatetags.kcsp",
            ],
        },
    },
]

# Forms render with Django's templates, but drop-down lists, inputs and labels
# are written in Python (a template per option, tag and attribute list made
# filter forms slow).
FORM_RENDERER = "kcsp.renderers.FormRenderer"

# Database: DATABASE_URL, defaulting to a SQLite file for the quick start.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if env_bool("DATABASE_POOL", True):
        from psycopg_pool import ConnectionPool

        # A pool replaces persistent connections; check_connection drops a
        # connection that died with a database restart before it is handed out.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 8),
            "timeout": 10,
            "check": ConnectionPool.check_connection,
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    if env_bool("DATABASE_PGBOUNCER"):
        # PgBouncer in transaction mode hands each transaction whichever
        # server connection is free, so nothing may outlive a transaction:
        # no named cursors (iterator() would lose its cursor) and no prepared
        # statements (psycopg prepares a query after it has run five times).
        # The server's time zone must be UTC (ALTER DATABASE ... SET
        # timezone), so Django sets none on the connection.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "kcsp.roles.RoleBackend",
]
LOGIN_URL = "login"

# Sign-in hardening (kcsp.security): lockout after repeated failures, a
# second factor for staff, idle and absolute session limits.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kcsp.security.locked_out"
AXES_SENSITIVE_PARAMETERS = ["password"]
# Lockout is per account and client address, the address as the reverse proxy
# saw it (kcsp/proxy.py).
AXES_CLIENT_IP_CALLABLE = "kcsp.proxy.client_address"
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("PORTAL_SHORT_NAME", "KCSP")
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", 10) * 3600
# Each role's own starting page (`kcsp.views.start`).
LOGIN_REDIRECT_URL = "kcsp:start"
LOGOUT_REDIRECT_URL = "kcsp:home"

# Language, time and formats: British English, Europe/London.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["kcsp.formats"]
# "10.00 am" rather than Django's "10.00 a.m." wherever a time is formatted.
LOCALE_PATHS = [BASE_DIR / "kcsp" / "locale"]

# Static files and uploads.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded documents and rendered PDFs: files under MEDIA_ROOT on one node;
# S3-compatible object storage (STORAGE_S3_BUCKET) when several nodes share
# them. Credentials come from the usual AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY variables.
if os.environ.get("STORAGE_S3_BUCKET"):
    from botocore.config import Config as S3ClientConfig

    _default_storage: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["STORAGE_S3_BUCKET"],
            "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_S3_REGION") or None,
            # Files are private and reach readers only through the views,
            # which ask the visibility rule first.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            # A storage server that has gone away is noticed in seconds, not
            # after botocore's default minute.
            "client_config": S3ClientConfig(
                connect_timeout=2, read_timeout=20, retries={"max_attempts": 2}
            ),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DOCUMENT_MAX_UPLOAD_BYTES = env_int("DOCUMENT_MAX_UPLOAD_MB", 50) * 1024 * 1024

# Cache: Redis when REDIS_URL is set (shared by every web node), otherwise
# local memory, which is enough for one process.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "kcsp.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "kcsp",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages served to signed-out readers are cached for this long, keyed on
# the content version (kcsp/pagecache.py); 0 turns the page cache off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)
# Costly parts of pages (a meeting's agenda and minutes), for every audience,
# are cached for this long, keyed on the content version; 0 turns it off.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 300)

# Background work (PDF packs, reminders) runs on Django's tasks framework with
# a database-backed queue; `manage.py db_worker` processes it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# E-mail (Django's MAILERS). SMTP in production; the console in development.
EMAIL_BACKEND_PATH = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mailer_options: dict[str, object] = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mailer_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        "timeout": 30,
    }
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mailer_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")

# E-mail alerts (kcsp/alerts): how long a confirmation link works; when daily
# and weekly digests go (local hour); how many e-mails one run of the sender
# sends, and one address gets in an hour; how much one e-mail holds; how many
# alert requests one client address, and one e-mail address, may make.
ALERTS_CONFIRM_HOURS = env_int("ALERTS_CONFIRM_HOURS", 48)
ALERTS_DIGEST_HOUR = env_int("ALERTS_DIGEST_HOUR", 7)
ALERTS_MAX_PER_RUN = env_int("ALERTS_MAX_PER_RUN", 20000)
ALERTS_PER_ADDRESS_PER_HOUR = env_int("ALERTS_PER_ADDRESS_PER_HOUR", 20)
ALERTS_DIGEST_ITEMS = 50
ALERTS_EVENT_LINES = 20
ALERTS_REQUESTS_PER_HOUR = env_int("ALERTS_REQUESTS_PER_HOUR", 10)
ALERTS_CONFIRMATIONS_PER_DAY = 3
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Content Security Policy allows nothing from other origins and no
# inline script or style; a nonce is available for the rare script that needs it.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front of the portal, each appending to
# X-Forwarded-For; the client's address is read from the hop the outermost
# one added (kcsp/proxy.py). The documented deployment has one proxy, which
# terminates TLS, so BEHIND_TLS_PROXY alone means one; with none, the header
# is ignored and a client cannot choose its own address.
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_TLS_PROXY") else 0
)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT cannot be negative.")

# Open data API (kcsp.api): read-only, public content only, so it takes no
# sign-in and every client is limited per address. API_ANON_RATE is
# "<requests>/<second|minute|hour|day>"; empty turns the limit off.
API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/minute") or None
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["kcsp.api.policy.AnonymousApiThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "kcsp.api.policy.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kcsp.api.base.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,
    # The API's own throttle asks kcsp.proxy for the client's address; this
    # gives any throttle of REST framework's own the same reading.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PORTAL_NAME} open data API",
    "DESCRIPTION": (
        "Published meetings, agendas, papers, minutes, decisions, public actions "
        "and the Community Safety Agreement, read-only. Shapes follow Open Civic "
        "Data and Popolo where they fit; see /api/ for the mapping and examples."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "meetings.models.Document.Kind",
        "ResolutionKindEnum": "meetings.models.Resolution.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kcsp.api.schema.add_common_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "kcsp.security": {"level": "INFO"},
    },
}

# Public questions: how long a questioner's e-mail address is kept after the
# meeting, and how many questions one connection or address may ask.
QUESTION_EMAIL_RETENTION_DAYS = env_int("QUESTION_EMAIL_RETENTION_DAYS", 28)
QUESTIONS_PER_HOUR = env_int("QUESTIONS_PER_HOUR", 5)
QUESTION_CONFIRM_HOURS = env_int("QUESTION_CONFIRM_HOURS", 48)

# Petitions: how long signers' and petitioners' details are kept after a
# petition closes, and how many petitions or signatures one connection or
# address may send.
PETITION_DATA_RETENTION_DAYS = env_int("PETITION_DATA_RETENTION_DAYS", 90)
# Years a review's documents are kept after they are taken down and its
# action plan is completed (the host's policy); 0 keeps them.
DHR_DOCUMENT_RETENTION_YEARS = env_int("DHR_DOCUMENT_RETENTION_YEARS", 0)
PETITIONS_PER_HOUR = env_int("PETITIONS_PER_HOUR", 10)
PETITION_CONFIRM_HOURS = env_int("PETITION_CONFIRM_HOURS", 48)
