"""Settings shared by every profile; each value a deployment changes comes from the environment."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent  # the opsmon package
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("OPSMON_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "opsmon.core",
    "opsmon.accounts",
    "opsmon.codes",
    "opsmon.approvals",
    "opsmon.customers",
    "opsmon.opportunities",
    "opsmon.projects",
    "opsmon.bids",
    "opsmon.resources",  # issue 22: presales resource requests and effort logs of a project
    "opsmon.contracts",
    "opsmon.receivables",  # issue 22: invoices and collections against contract milestones
    "opsmon.guarantees",  # issue 22: guarantee letters (保函) of bonds and contracts
    "opsmon.suppliers",  # issue 16: suppliers, qualifications, bank accounts, evaluations (采购管理)
    "opsmon.procurement",  # issue 16: settings, project purchase budgets, purchase requests
    "opsmon.sourcing",  # issue 16: sourcing (询价/比价), quotations, award
    "opsmon.purchasing",  # issue 16: purchase orders / contracts
    "opsmon.receiving",  # issue 16: receipts (到货验收)
    "opsmon.supplier_invoices",  # issue 16: supplier invoices, three-way match
    "opsmon.payments",  # issue 16: payment requests, retention
    "opsmon.evaluations",  # issue 16: supplier evaluations
    "opsmon.costs",  # issue 16: project cost, contract margin, procurement dashboards
    "opsmon.feed",  # issue 22: the change feed for outside systems and the desktop client
    "opsmon.summaries",  # issue 18: exact dashboard summaries, kept by the services
    "opsmon.insights",
    "opsmon.integrations",
    "opsmon.notifications",
    "opsmon.directory",  # issue 23: directory sign-in (off until LDAP_SERVER_URI is set)
    "opsmon.calendars",  # issue 23: private calendar feeds
    "opsmon.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opsmon.accounts.middleware.SessionTimeoutMiddleware",
    "opsmon.accounts.middleware.ViewerMiddleware",
    "opsmon.notifications.middleware.MarkOpenedMiddleware",  # opening a record's page reads its notifications
    "opsmon.integrations.middleware.IntegrationScopeMiddleware",  # an outside system's token reports status only
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "opsmon.core.middleware.ApplicationErrorMiddleware",
    "opsmon.web.views.errors.ErrorPagesInDebugMiddleware",  # DEBUG: the user's error page, not Django's
]

ROOT_URLCONF = "opsmon.urls"
WSGI_APPLICATION = "opsmon.wsgi.application"

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
                "opsmon.web.context.navigation",
                "opsmon.notifications.context.unread",
            ],
        },
    },
]


def database_config(url: str) -> dict:
    """Parse DATABASE_URL; SQLite gets WAL, a busy timeout and IMMEDIATE transactions so writers queue."""
    config = dj_database_url.parse(url, conn_max_age=0 if url.startswith("sqlite") else 60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
        # A database host that is down without refusing (no RST) must not hold a request for the kernel's
        # two minutes of SYN retries: after this many seconds the request gets the 503 page instead.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config


DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'opsmon.sqlite3'}"
DATABASES = {"default": database_config(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "opsmon.accounts.backends.ModelBackend",  # Django's, reading the roles with the session's user (issue 18)
    "opsmon.directory.backend.DirectoryBackend",  # issue 23: answers nothing until LDAP_SERVER_URI is set
    # Django's own, last: sessions signed in before issue 18 name it, and stay signed in until they end.
    "django.contrib.auth.backends.ModelBackend",
]
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures per username+address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "opsmon.web.views.auth.locked_out"

# Sessions: idle timeout refreshed on each request, absolute limit checked by middleware.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(8 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(24 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: refused above this size (bytes); Django itself streams large bodies to disk.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))
# A request body (JSON or form fields, files aside) above this size is refused with 413 (bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("API_BODY_MAX_BYTES", str(10 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Reading files users give (issue 21): what one file may expand to, and how long reading it may take. A file
# beyond them is refused with 413 / 422 and a message saying which limit it passed.
EXPAND_MAX_BYTES = int(os.environ.get("EXPAND_MAX_BYTES", str(200 * 1024 * 1024)))   # unzipped / decompressed
EXTRACT_MAX_SECONDS = int(os.environ.get("EXTRACT_MAX_SECONDS", "20"))                # tender text extraction
EXTRACT_MAX_PAGES = int(os.environ.get("EXTRACT_MAX_PAGES", "1000"))                  # PDF pages read
EXTRACT_MAX_MEMORY_BYTES = int(os.environ.get("EXTRACT_MAX_MEMORY_BYTES", str(1024 * 1024 * 1024)))  # its process
IMPORT_MAX_COLUMNS = int(os.environ.get("IMPORT_MAX_COLUMNS", "200"))                 # columns of an imported sheet
IMPORT_SYNC_MAX_ROWS = int(os.environ.get("IMPORT_SYNC_MAX_ROWS", "5000"))            # rows of the API's import
IMPORT_SYNC_MAX_SECONDS = int(os.environ.get("IMPORT_SYNC_MAX_SECONDS", "20"))        # its reading time
EXPORT_JOB_ROWS = int(os.environ.get("EXPORT_JOB_ROWS", "10000"))     # larger exports run as a job (core.jobs)
JOB_KEEP_DAYS = int(os.environ.get("JOB_KEEP_DAYS", "30"))  # finished jobs, their files and task records: then purged
# an export job refuses more (a sheet holds 1,048,576 rows)
EXPORT_MAX_ROWS = int(os.environ.get("EXPORT_MAX_ROWS", "1000000"))

# Content Security Policy: everything is served by the app itself, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"  # a preview view that is framed opts in with xframe_options_sameorigin
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "opsmon": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        # Every 5xx with its traceback (Django's default only mails it to ADMINS, which is empty).
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "opsmon.web.views.errors.csrf_failure"

# Background work: django-tasks with the database backend. Queue "default" holds the schedule's runs (reminders,
# digests, webhooks, messages), "jobs" users' imports and exports (opsmon.core.jobs); `opsmon serve` runs a
# `db_worker` for each next to gunicorn. A worker started by hand takes both with `--queue-name default,jobs`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "jobs"],
    },
}


# --- Several app nodes (issue 19; deploy/ and docs/operations.md) -----------------------------------------------------
# Each part is off unless its variable is set: one machine with SQLite and nothing else stays exactly as above.

# nginx (or another proxy) in front: its addresses/networks. The client's address is then taken from
# X-Forwarded-For, and only through these (opsmon.core.proxies); never the proxy's own address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
if TRUSTED_PROXIES:
    MIDDLEWARE.insert(0, "opsmon.core.proxies.TrustedProxyMiddleware")
# axes asks this for the address (never django-ipware's reading of a header anyone can send).
AXES_CLIENT_IP_CALLABLE = "opsmon.core.proxies.client_ip"

# Redis: the cache, sessions (cache in front of the database, so a lost Redis loses no session) and login
# throttling shared by every node. "default" hides a lost Redis (cache misses); "shared" does not, for the callers
# that must know (login throttling falls back to the database, read-your-writes to the primary).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    _redis_options = {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}
    CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "opsmon",
                    "OPTIONS": {**_redis_options, "IGNORE_EXCEPTIONS": True}},
        "shared": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "opsmon",
                   "OPTIONS": dict(_redis_options)},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    AXES_HANDLER = "opsmon.core.throttle.AxesRedisHandler"
    AXES_CACHE = "shared"

# PostgreSQL hot standby: dashboards, exports and the change feed read from it (opsmon.core.replica), with
# read-your-writes; unreachable or lagging past the limit → the primary, with a warning and /healthz detail.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "5"))
REPLICA_READ_YOUR_WRITES_SECONDS = int(os.environ.get("REPLICA_READ_YOUR_WRITES_SECONDS", "10"))
REPLICA_PROBE_SECONDS = 1.0
REPLICA_RETRY_SECONDS = float(os.environ.get("REPLICA_RETRY_SECONDS", "5"))
REPLICA_PIN_CACHE = "shared" if REDIS_URL else "default"
REPLICA_READ_PATHS = [r"^/(api/v1/)?insights(/|$)", r"^/(api/v1/)?changes(/|$)", r"/export\.xlsx$"]
REPLICA_PRIMARY_ONLY_APPS = {"sessions", "accounts", "auth", "contenttypes", "axes", "django_tasks_database"}
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["OPTIONS"]["connect_timeout"] = int(os.environ.get("REPLICA_CONNECT_TIMEOUT", "2"))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["opsmon.core.replica.ReplicaRouter"]
    MIDDLEWARE.append("opsmon.core.replica.ReplicaMiddleware")


def document_storage(url: str) -> dict:
    """STORAGE_URL → the documents' storage: s3://KEY:SECRET@host:port/bucket[/prefix][?region=…&tls=false]
    (any S3-compatible server: MinIO, Ceph, a cloud's object storage), through django-storages."""
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.hostname:
        raise ValueError("STORAGE_URL must look like s3://KEY:SECRET@host:port/bucket")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    tls = query.get("tls", "true").lower() not in {"0", "false", "no", "off"}
    bucket, _, prefix = parts.path.lstrip("/").partition("/")
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "location": prefix.strip("/"),
        "endpoint_url": f"{'https' if tls else 'http'}://{netloc}",
        "access_key": unquote(parts.username or ""), "secret_key": unquote(parts.password or ""),
        "region_name": query.get("region", "us-east-1"), "addressing_style": "path", "signature_version": "s3v4",
        "default_acl": None, "file_overwrite": True,  # names are random (core.files): no HEAD before each write
        "querystring_expire": 60,  # only if a signed URL is ever handed out; downloads stream through the app
    }}


STORAGE_URL = os.environ.get("STORAGE_URL", "")
DOCUMENT_STORAGE = document_storage(STORAGE_URL)
if STORAGE_URL:  # boto3 is imported only when configured
    from botocore.config import Config as _BotoConfig

    # A storage that does not answer fails the upload within seconds (503), instead of holding a worker.
    DOCUMENT_STORAGE["OPTIONS"]["client_config"] = _BotoConfig(
        connect_timeout=3, read_timeout=20, retries={"max_attempts": 2, "mode": "standard"})
STORAGES["default"] = DOCUMENT_STORAGE

# /healthz: the oldest task waiting longer than this means no worker is taking them.
HEALTH_TASK_AGE_LIMIT = int(os.environ.get("HEALTH_TASK_AGE_LIMIT", "300"))


# --- Directory sign-in, notifications out of the app, calendar feeds (issue 23; docs/operations.md) -----------------
# Everything here is off until its environment variables are set: no directory, no e-mail, no robots.
DIRECTORY = {
    "SERVER_URI": os.environ.get("LDAP_SERVER_URI", ""),          # ldap://host:389 or ldaps://host:636
    "BIND_DN": os.environ.get("LDAP_BIND_DN", ""),
    "BIND_PASSWORD": os.environ.get("LDAP_BIND_PASSWORD", ""),
    "START_TLS": env_bool("LDAP_START_TLS", False),
    "CA_FILE": os.environ.get("LDAP_CA_FILE", ""),
    "TIMEOUT": float(os.environ.get("LDAP_TIMEOUT", "5")),
    "USER_SEARCH_BASE": os.environ.get("LDAP_USER_SEARCH_BASE", ""),
    "USER_FILTER": os.environ.get("LDAP_USER_FILTER", "(uid=%(user)s)"),
    "GROUP_SEARCH_BASE": os.environ.get("LDAP_GROUP_SEARCH_BASE", ""),
    "GROUP_FILTER": os.environ.get("LDAP_GROUP_FILTER", "(objectClass=groupOfNames)"),
    "GROUP_TYPE": os.environ.get("LDAP_GROUP_TYPE", "groupOfNames"),
    "NAME_ATTRIBUTE": os.environ.get("LDAP_NAME_ATTRIBUTE", "displayName"),
    "EMAIL_ATTRIBUTE": os.environ.get("LDAP_EMAIL_ATTRIBUTE", "mail"),
    "PHONE_ATTRIBUTE": os.environ.get("LDAP_PHONE_ATTRIBUTE", "telephoneNumber"),
    "DEPARTMENT_ATTRIBUTE": os.environ.get("LDAP_DEPARTMENT_ATTRIBUTE", ""),
}
# E-mail: Django's SMTP settings; the e-mail channel is offered only when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OpsMon <opsmon@localhost>")
# The address users open OpsMon at, for the links in e-mails and robot posts (e.g. https://opsmon.corp.example).
SITE_URL = os.environ.get("SITE_URL", "")
# What a user who chose nothing gets, per kind of event (inapp, email, robot).
NOTIFY_DEFAULT_CHANNELS = env_list("NOTIFY_DEFAULT_CHANNELS", ["inapp"])
