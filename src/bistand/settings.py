"""Django settings, read from the environment with safe defaults.

The embedded default needs no configuration: SQLite in WAL mode and a generated secret key, both in the
data folder (`BISTAND_DATA_DIR`, default `var/` beside the source tree). See the README's table.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("BISTAND_DATA_DIR", PROJECT_DIR / "var")).resolve()
# The data folder holds the SQLite database, uploads, letters and the register cache: personal data. Only
# the account Bistånd runs as may read it — files it creates from here on (umask), and the folder itself,
# so that files made before (world-readable under the usual umask 022) cannot be reached either.
os.umask(0o077)
DATA_DIR.mkdir(parents=True, exist_ok=True)
if DATA_DIR.stat().st_uid == os.getuid():  # a folder another account owns is that account's to set
    DATA_DIR.chmod(0o700)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
(DATA_DIR / "static").mkdir(exist_ok=True)


# In production every secret comes from the environment; `check --deploy` warns when the key did not.
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("SECRET_KEY"))


def _secret_key() -> str:
    """The given secret key, or one generated on first run and kept in the data folder."""
    if given := os.environ.get("SECRET_KEY"):
        return given
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # O_EXCL: two processes starting together must not end up with different keys.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
# Demo mode turns on the development eID page and the demo data. Never in production.
DEMO_MODE = env_bool("BISTAND_DEMO")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "bistand.core",
    "bistand.ops",
    "bistand.identity",
    "bistand.accesslog",
    "bistand.intake",
    "bistand.cases",
    "bistand.casework",
    "bistand.decisions",
    "bistand.payments",
    "bistand.conversation",
    "bistand.portal",
    "bistand.api",
    "bistand.oversight",
    "bistand.audit",
    "bistand.security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Security (docs/security.md): login lockout, staff idle timeout and second factor, then the access
    # log (which also keeps protected cases closed), then headers.
    "bistand.security.middleware.LoginThrottleMiddleware",
    "bistand.security.middleware.StaffSessionMiddleware",
    "bistand.audit.middleware.AccessLogMiddleware",
    "bistand.security.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost, so its 413 page has the user and the headers above; it runs before any view or
    # process_view (CSRF) reads the body.
    "bistand.security.bodysize.BodySizeMiddleware",
]

ROOT_URLCONF = "bistand.urls"
WSGI_APPLICATION = "bistand.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bistand.ops.context_processors.site",
            ],
        },
    },
]

# SQLite: the web process and the worker write the same file, hence WAL and IMMEDIATE transactions.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if database_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "bistand.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
            "TEST": {"NAME": DATA_DIR / "test-bistand.sqlite3"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "letters": decision letters render on their own queue, off the robot's critical path (decisions/tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "letters"]}}

AUTH_USER_MODEL = "identity.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "identity:staff-login"

LANGUAGE_CODE = "sv"
# Each language is offered in its own name (an endonym), whatever the page language.
LANGUAGES = [("sv", "Svenska"), ("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "bistand_language"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The design system and axe-core come from npm (package.json); `npm ci` puts them in node_modules.
STATICFILES_DIRS = [
    ("designsystemet", PROJECT_DIR / "node_modules" / "@digdir" / "designsystemet-css" / "dist" / "src"),
    ("designsystemet-theme", PROJECT_DIR / "node_modules" / "@digdir" / "designsystemet-theme" / "brand"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the finders, so `make run` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "files"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS: HSTS and the redirect are for production, behind TLS (see docs/security.md and operations.md).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# The load balancer's health check speaks plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and X-Forwarded-For, read by the login
# throttle). Only when the proxy is the sole way in: otherwise a client could claim HTTPS itself.
BEHIND_PROXY = env_bool("BISTAND_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content security policy: everything from our own origin, no inline scripts or styles, no frames.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Staff: signed out after this long without a request, and (unless turned off, which only the test suite
# does) signed in with a second factor — a TOTP code from an authenticator app.
STAFF_IDLE_SECONDS = int(os.environ.get("BISTAND_STAFF_IDLE_MINUTES", "30")) * 60
STAFF_TWO_FACTOR = env_bool("BISTAND_STAFF_2FA", default=True)
# Login lockout: this many failures for one account name, or from one address, within the window.
LOGIN_MAX_FAILURES_PER_USER = int(os.environ.get("BISTAND_LOGIN_MAX_FAILURES", "5"))
LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("BISTAND_LOGIN_MAX_FAILURES_PER_IP", "20"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("BISTAND_LOGIN_LOCKOUT_MINUTES", "15"))
# Retention (gallring), SoL 16 kap. 1 §: a case's personal content is culled this many years after its
# last entry.
RETENTION_YEARS = int(os.environ.get("BISTAND_RETENTION_YEARS", "5"))

# The registers: SSBTEK and Navet over SOAP and mutual TLS — the simulator in development, the agencies in
# production (BISTAND_SSBTEK_URL, BISTAND_NAVET_URL, BISTAND_REGISTERS_CERT/_KEY/_CA, BISTAND_SSBTEK_ORGNR …;
# see docs/registers.md).
REGISTERS_URL = os.environ.get("BISTAND_REGISTERS_URL", "https://127.0.0.1:8001")
# The citizen's e-application: drafts are kept this many days after they were last saved, with a warning
# this many days before they go; uploads are limited to this size.
DRAFT_LIFETIME_DAYS = int(os.environ.get("BISTAND_DRAFT_DAYS", "14"))
DRAFT_WARNING_DAYS = int(os.environ.get("BISTAND_DRAFT_WARNING_DAYS", "3"))
UPLOAD_MAX_BYTES = int(os.environ.get("BISTAND_UPLOAD_MAX_MB", "10")) * 1024 * 1024
# Images are decoded to be re-encoded: larger ones are refused before decoding (decompression bombs).
UPLOAD_MAX_PIXELS = int(os.environ.get("BISTAND_UPLOAD_MAX_MEGAPIXELS", "40")) * 1_000_000
UPLOAD_MAX_PDF_PAGES = int(os.environ.get("BISTAND_UPLOAD_MAX_PDF_PAGES", "200"))
# How many months back an application may be made for (intake.schema.open_months): last month by default.
APPLY_MONTHS_BACK = int(os.environ.get("BISTAND_APPLY_MONTHS_BACK", "1"))
# Request bodies, per channel (security.bodysize answers 413 before anything reads a larger one): the API's
# JSON, a form with files (at most UPLOAD_MAX_FILES of UPLOAD_MAX_BYTES each), and any other form.
API_BODY_MAX_BYTES = int(os.environ.get("BISTAND_API_BODY_MAX_KB", "256")) * 1024
UPLOAD_MAX_FILES = int(os.environ.get("BISTAND_UPLOAD_MAX_FILES", "10"))
UPLOAD_BODY_MAX_BYTES = UPLOAD_MAX_FILES * UPLOAD_MAX_BYTES + 1024 * 1024
FORM_BODY_MAX_BYTES = int(os.environ.get("BISTAND_FORM_BODY_MAX_KB", "1024")) * 1024
# Django's own bounds, the same as ours (a body read past them is a 400, never a 500).
DATA_UPLOAD_MAX_MEMORY_SIZE = FORM_BODY_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES

# Citizen sign-in through the municipality's eID broker (OpenID Connect); off when OIDC_ISSUER is empty.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_PERSONNUMMER_CLAIM = os.environ.get("OIDC_PERSONNUMMER_CLAIM", "personal_number")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid")

# How old the worker's last heartbeat may be before /healthz answers 503.
WORKER_HEARTBEAT_MAX_AGE = int(os.environ.get("BISTAND_WORKER_MAX_AGE", "60"))
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("BISTAND_WORKER_HEARTBEAT", "10"))
# A pipeline run that has not moved for this long is taken up again (its worker died mid-step).
PIPELINE_STALLED_SECONDS = float(os.environ.get("BISTAND_PIPELINE_STALLED_AFTER", "120"))
# A register that does not answer: the robot asks again this often, for this long, before the case goes to
# a person with the gap named (nödbistånd goes at once).
REGISTER_GAP_RETRY_SECONDS = float(os.environ.get("BISTAND_REGISTER_GAP_RETRY", "60"))
REGISTER_GAP_WAIT_SECONDS = float(os.environ.get("BISTAND_REGISTER_GAP_WAIT", str(6 * 3600)))

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "bistand.core.logging.RedactPersonalData"}},
    "formatters": {"json": {"()": "bistand.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Per-request chatter from libraries: our own logs say what happened, once.
        "httpx": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
