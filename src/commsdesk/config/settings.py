"""Django settings for commsdesk, all read from the environment through `config.env`.

Defaults give the embedded set-up (SQLite file, database-backed task queue); production sets
DATABASE_URL, SECRET_KEY and COMMSDESK_DEBUG=false.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from commsdesk.config.env import (
    ImproperlyConfiguredEnv,
    data_dir,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

DEBUG = env_bool("COMMSDESK_DEBUG", default=True)
SECRET_KEY = env_str(
    "SECRET_KEY", "insecure-dev-key-change-me-in-production" if DEBUG else None, required=not DEBUG
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ("localhost", "127.0.0.1", "[::1]", "testserver"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "ninja",  # the REST API's browsable docs (Swagger UI served from its own static files)
    "commsdesk.web",
    "commsdesk.accounts",
    "commsdesk.monitoring",
    "commsdesk.ingest",
    "commsdesk.relations",
    "commsdesk.campaigns",
    "commsdesk.materials",
    "commsdesk.operations",
    "commsdesk.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "commsdesk.accounts.two_factor.RequireSecondFactorMiddleware",
    "auditlog.middleware.AuditlogMiddleware",  # the signed-in person is each change's actor
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commsdesk.config.urls"
WSGI_APPLICATION = "commsdesk.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commsdesk.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'commsdesk.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the worker writes; a busy timeout instead of
    # "database is locked" when two processes write at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-commsdesk.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out login before the password check
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failed logins: locked out per username and address together (so an attacker cannot
# lock a colleague out from elsewhere), for a while; a success resets the count.
AXES_FAILURE_LIMIT = env_int("COMMSDESK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("COMMSDESK_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Signed out this long after signing in (an absolute timeout: no write on every request).
SESSION_COOKIE_AGE = int(env_float("COMMSDESK_SESSION_HOURS", 12.0) * 3600)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link works for three hours
OTP_TOTP_ISSUER = env_str("COMMSDESK_OTP_ISSUER", "commsdesk")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Uploaded files (press-kit images and logos). Served only through views that check access,
# never as a public directory.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content Security Policy (django-csp): only our own scripts and styles run, nothing inline, no
# eval (htmx is configured not to need it, base.html), no framing, forms post only to us. A
# stored-XSS payload that slipped past escaping would still not execute.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
# Production (COMMSDESK_DEBUG=false) is served over HTTPS: redirect, and tell browsers to insist
# (HSTS). Behind a proxy that ends TLS, set COMMSDESK_PROXY_SSL_HEADER=X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("COMMSDESK_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("COMMSDESK_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("COMMSDESK_HSTS_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("COMMSDESK_HSTS_PRELOAD", default=False)
# Preloading commits the whole domain to HTTPS in browsers for a long time: the operator's call
# (COMMSDESK_HSTS_PRELOAD=true), so Django's reminder about it is not an error here.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_str("COMMSDESK_PROXY_SSL_HEADER", ""):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + env_str("COMMSDESK_PROXY_SSL_HEADER").upper().replace("-", "_"),
        "https",
    )

# The cache holds the API's rate-limit counters. Local memory counts per process, right for the
# one-process `commsdesk run`; several web processes should share one cache, e.g.
# COMMSDESK_CACHE_BACKEND=django.core.cache.backends.redis.RedisCache
# COMMSDESK_CACHE_LOCATION=redis://127.0.0.1:6379/1
CACHES = {
    "default": {
        "BACKEND": env_str(
            "COMMSDESK_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": env_str("COMMSDESK_CACHE_LOCATION", "commsdesk"),
    }
}

# The task backend: the database queue (embedded default) or RQ on Redis for distributed
# workers (`COMMSDESK_TASK_BACKEND=rq`, `REDIS_URL`); see docs/deployment.md.
TASK_BACKEND_ALIASES = {"db": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
_task_backend = env_str("COMMSDESK_TASK_BACKEND", "db")
TASKS = {
    "default": {
        "BACKEND": TASK_BACKEND_ALIASES.get(_task_backend, _task_backend),
        "QUEUES": ["default"],
    }
}
if TASKS["default"]["BACKEND"] == TASK_BACKEND_ALIASES["rq"]:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        "default": {
            "URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0"),
            # A job is a source's poll and its items; a stuck one is cut after this long.
            "DEFAULT_TIMEOUT": env_int("COMMSDESK_RQ_JOB_TIMEOUT", 1800),
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per HTTP request or task is noise on `commsdesk run`'s console.
        "httpx": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        # WeasyPrint logs every layout step of every PDF at INFO; font subsetting logs too.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- commsdesk's own settings -------------------------------------------------------------
# The fetcher refuses private, loopback and link-local addresses unless this is set (tests, demo).
COMMSDESK_ALLOW_PRIVATE_NETWORKS = env_bool("COMMSDESK_ALLOW_PRIVATE_NETWORKS", default=False)
COMMSDESK_USER_AGENT = env_str(
    "COMMSDESK_USER_AGENT", "commsdesk/0.1 (+https://github.com/commsdesk/commsdesk)"
)
COMMSDESK_FETCH_TIMEOUT = env_float("COMMSDESK_FETCH_TIMEOUT", 20.0)
COMMSDESK_FETCH_MAX_BYTES = env_int("COMMSDESK_FETCH_MAX_BYTES", 10 * 1024 * 1024)
COMMSDESK_FETCH_MAX_REDIRECTS = env_int("COMMSDESK_FETCH_MAX_REDIRECTS", 5)
COMMSDESK_POLITENESS_DELAY = env_float("COMMSDESK_POLITENESS_DELAY", 1.0)
COMMSDESK_RESPECT_ROBOTS = env_bool("COMMSDESK_RESPECT_ROBOTS", default=True)
# Restrict language identification to these ISO 639-1 codes (empty: all supported languages).
COMMSDESK_LANGUAGES = env_list("COMMSDESK_LANGUAGES")
# Default minutes between fetches of a source, and the cap of the failure backoff.
COMMSDESK_FETCH_INTERVAL_MINUTES = env_int("COMMSDESK_FETCH_INTERVAL_MINUTES", 30)
COMMSDESK_MAX_BACKOFF_MINUTES = env_int("COMMSDESK_MAX_BACKOFF_MINUTES", 24 * 60)
# How long a claimed source or item stays claimed before another worker may take it over.
COMMSDESK_LEASE_SECONDS = env_int("COMMSDESK_LEASE_SECONDS", 300)
# Keep raw HTML (compressed) for re-extraction this many days; 0 keeps none.
COMMSDESK_RAW_HTML_DAYS = env_int("COMMSDESK_RAW_HTML_DAYS", 90)

# --- alerts, digests and mail -------------------------------------------------------------
# Absolute links in emails, feeds and webhooks (no request to read the host from).
COMMSDESK_BASE_URL = env_str("COMMSDESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The demo (`make run`) writes mail to files here instead of sending it.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "commsdesk <commsdesk@localhost>")
# A delivery (or digest) that keeps failing is retried this many times in all, waiting
# COMMSDESK_ALERT_RETRY_SECONDS, then twice as long each time, before it is marked failed.
COMMSDESK_ALERT_MAX_ATTEMPTS = env_int("COMMSDESK_ALERT_MAX_ATTEMPTS", 6)
COMMSDESK_ALERT_RETRY_SECONDS = env_int("COMMSDESK_ALERT_RETRY_SECONDS", 60)
# A pitch copy the mail server turns away is retried this many times in all, waiting
# COMMSDESK_PITCH_RETRY_SECONDS, then twice as long each time, before it is marked failed.
COMMSDESK_PITCH_MAX_ATTEMPTS = env_int("COMMSDESK_PITCH_MAX_ATTEMPTS", 4)
COMMSDESK_PITCH_RETRY_SECONDS = env_int("COMMSDESK_PITCH_RETRY_SECONDS", 120)
# Seconds a webhook may take to answer: a slow endpoint must not hold up other alerts.
COMMSDESK_WEBHOOK_TIMEOUT = env_float("COMMSDESK_WEBHOOK_TIMEOUT", 10.0)

# A copy joins a story only if published within this many days of a placement already in it;
# the story index keeps its keys this long, so its size is bounded by the window.
COMMSDESK_STORY_WINDOW_DAYS = env_int("COMMSDESK_STORY_WINDOW_DAYS", 7)

# --- press inquiries ----------------------------------------------------------------------
# Reminders go to an inquiry's owner (or the team's staff) this many hours before its deadline.
try:
    COMMSDESK_INQUIRY_REMINDER_HOURS = [
        int(h) for h in env_list("COMMSDESK_INQUIRY_REMINDER_HOURS", ("24", "2"))
    ]
except ValueError as exc:
    raise ImproperlyConfiguredEnv(
        "COMMSDESK_INQUIRY_REMINDER_HOURS must be whole hours separated by commas, e.g. 24,2"
    ) from exc
# The press mailbox polled for inquiries; polling is off while COMMSDESK_IMAP_HOST is empty.
COMMSDESK_IMAP_HOST = env_str("COMMSDESK_IMAP_HOST", "")
COMMSDESK_IMAP_PORT = env_int("COMMSDESK_IMAP_PORT", 0)  # 0: 993 with SSL, else 143
COMMSDESK_IMAP_USER = env_str("COMMSDESK_IMAP_USER", "")
COMMSDESK_IMAP_PASSWORD = env_str("COMMSDESK_IMAP_PASSWORD", "")
COMMSDESK_IMAP_FOLDER = env_str("COMMSDESK_IMAP_FOLDER", "INBOX")
COMMSDESK_IMAP_SSL = env_bool("COMMSDESK_IMAP_SSL", default=True)
COMMSDESK_IMAP_TEAM = env_str("COMMSDESK_IMAP_TEAM", "")  # a team's slug; default the first team
COMMSDESK_IMAP_POLL_MINUTES = env_float("COMMSDESK_IMAP_POLL_MINUTES", 5.0)
COMMSDESK_IMAP_LOOKBACK_DAYS = env_int("COMMSDESK_IMAP_LOOKBACK_DAYS", 14)

# Wikipedia attention: the Wikimedia pageviews REST API (tests point it at a local server).
COMMSDESK_PAGEVIEWS_API = env_str(
    "COMMSDESK_PAGEVIEWS_API", "https://wikimedia.org/api/rest_v1/metrics/pageviews"
).rstrip("/")
COMMSDESK_PAGEVIEWS_DAYS = env_int("COMMSDESK_PAGEVIEWS_DAYS", 90)  # history kept per page
# Key statistics from a wiki's own API (siteinfo): empty asks the real hosts; tests and offline
# demos point it at a local stand-in that answers for every wiki (the real host kept in the path).
COMMSDESK_WIKIMEDIA_API_BASE = env_str("COMMSDESK_WIKIMEDIA_API_BASE", "").rstrip("/")

# REST API (/api/v1/): requests per token (or per address without a valid token), as
# "120/minute", "5000/hour" or "20000/day"; more are answered 429 with Retry-After.
COMMSDESK_API_RATE = env_str("COMMSDESK_API_RATE", "120/minute")
# Proxies in front of the web process: the client address for the rate limit is then read from
# X-Forwarded-For this many hops back. 0 (default) uses the connection's address, so a client
# cannot dodge the limit by sending a made-up X-Forwarded-For.
NINJA_NUM_PROXIES = env_int("COMMSDESK_API_PROXIES", 0)

# Press kits: the largest file accepted (uploads are stored under DATA_DIR/media).
COMMSDESK_KIT_FILE_MAX_MB = env_int("COMMSDESK_KIT_FILE_MAX_MB", 25)

# Social connectors: the public APIs Bluesky and Reddit sources read (Mastodon sources name their
# own instance). Tests point these at a local server.
COMMSDESK_BLUESKY_API = env_str("COMMSDESK_BLUESKY_API", "https://public.api.bsky.app").rstrip("/")
COMMSDESK_REDDIT_API = env_str("COMMSDESK_REDDIT_API", "https://www.reddit.com").rstrip("/")

# Who sees records marked sensitive (embargoed releases, crisis holding statements, contacts):
# team roles, comma-separated. Superusers always do.
COMMSDESK_SENSITIVE_ROLES = env_list("COMMSDESK_SENSITIVE_ROLES", ("admin", "editor"))
if unknown_roles := set(COMMSDESK_SENSITIVE_ROLES) - {"admin", "editor", "volunteer", "viewer"}:
    raise ImproperlyConfiguredEnv(
        "COMMSDESK_SENSITIVE_ROLES takes admin, editor, volunteer or viewer, not "
        + ", ".join(sorted(unknown_roles))
    )

# Writing assistant (off while COMMSDESK_LLM_URL is empty): an OpenAI-compatible HTTP API, e.g. a
# local server at http://127.0.0.1:8080/v1. Generated text is always marked until a person edits
# or approves it.
COMMSDESK_LLM_URL = env_str("COMMSDESK_LLM_URL", "").rstrip("/")
COMMSDESK_LLM_MODEL = env_str("COMMSDESK_LLM_MODEL", "")
COMMSDESK_LLM_API_KEY = env_str("COMMSDESK_LLM_API_KEY", "")
COMMSDESK_LLM_TIMEOUT = env_float("COMMSDESK_LLM_TIMEOUT", 120.0)

# Audit log (django-auditlog): entries carry the record's team (commsdesk.audit.models); a
# restore (`commsdesk import-all`, raw saves) is not logged as if people had made each record.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# auditlog's own migrations would create its default log table although our entry model replaces
# it; that orphan table's foreign keys stop PostgreSQL from truncating users and content types
# (test flushes, `commsdesk flush`). Without migrations, and with its only model swapped out,
# auditlog creates no table at all.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_DISABLE_ON_RAW_SAVE = True
