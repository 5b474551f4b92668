"""Settings for the portal, read from the environment (see README, "Settings")."""

import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal import env, services

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.flag("DEBUG", False)
SECRET_KEY = env.text("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env.words("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.words("CSRF_TRUSTED_ORIGINS")
SITE_URL = env.text("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The newspaper's PEM key and certificate that sign certificates' PDFs (submissions/results/keys.py).
CERTIFICATE_SIGNING_KEY = env.text("CERTIFICATE_SIGNING_KEY", "")
CERTIFICATE_SIGNING_CERT = env.text("CERTIFICATE_SIGNING_CERT", "")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "submissions.apps.PortalAdminConfig",  # django.contrib.admin with the newsroom's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "simple_history",
    "django_q",  # background tasks (docs/tasks.md)
    "django_prometheus",  # metrics (docs/operations.md)
    "submissions",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "portal.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.CleanInputMiddleware",  # NUL refused (400), control characters removed from posts
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # who made an admin edit, for the audit trail
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "portal.dbrouter.ReplicaMiddleware",  # the column's reads from the replica, writers pinned to the primary (only with one)
    # Innermost: a public page this process keeps is answered here, past every middleware above.
    "submissions.platform.pagecache.CachedPageMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "csp.context_processors.nonce",
                "submissions.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL through a postgres:// URL.
DB_STATEMENT_TIMEOUT_MS = env.number("DB_STATEMENT_TIMEOUT_MS", 30000)
DATABASE_POOLER = env.pooler("DATABASE_POOLER")  # "", pgbouncer or django (docs/deploy.md)
# PostgreSQL itself, past the pooler, for pg_dump and pg_restore (backup, restore): they set session
# settings before their transaction, which transaction pooling could hand to another client.
DATABASE_DIRECT_URL = env.text("DATABASE_DIRECT_URL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A read replica (a PostgreSQL streaming standby) for the public column's pages: portal/dbrouter.py,
# docs/deploy.md "Read replica". A client that wrote reads the primary for REPLICA_PIN_SECONDS; a
# replica that does not answer (REPLICA_CONNECT_TIMEOUT) is left alone for REPLICA_RETRY_SECONDS.
REPLICA_DATABASE_URL = env.text("REPLICA_DATABASE_URL")
REPLICA_PIN_SECONDS = env.number("REPLICA_PIN_SECONDS", 10)
REPLICA_RETRY_SECONDS = env.number("REPLICA_RETRY_SECONDS", 30)
DATABASES, DATABASE_ROUTERS = services.databases(
    env.text("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    statement_timeout_ms=DB_STATEMENT_TIMEOUT_MS,
    pooler=DATABASE_POOLER,
    replica_url=REPLICA_DATABASE_URL,
    replica_connect_timeout=env.number("REPLICA_CONNECT_TIMEOUT", 2),
)

# Cache: Redis when REDIS_URL is set (shared by every process); otherwise a table in
# the database, which is still shared by every process of one deployment.
REDIS_URL = env.text("REDIS_URL")
REDIS_TIMEOUT = env.number("REDIS_TIMEOUT_MS", 500) / 1000
# Redis behind Sentinel (docs/deploy.md): the sentinels' host:port list and the master's name;
# when set, REDIS_URL is not used.
REDIS_SENTINELS = env.text("REDIS_SENTINELS")
CACHES, _sessions = services.caches(
    REDIS_URL, REDIS_SENTINELS, timeout=REDIS_TIMEOUT, key_prefix=env.text("CACHE_KEY_PREFIX", "portal")
)
if _sessions:
    SESSION_ENGINE = _sessions

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",  # permissions on a kind of thing, through the role groups
    "submissions.workflow.rules.Authority",  # permissions on one entry, article or assignment: has_perm(perm, obj)
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The audit trail of admin edits (django-simple-history): read only, never a way around the workflow.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Login throttling (django-axes): lock a username+IP pair after repeated failures, and an IP
# after more failures whatever the user names (submissions/platform/login_throttle.py).
AXES_HANDLER = "submissions.platform.login_throttle.AddressThrottlingHandler"
AXES_FAILURE_LIMIT = env.number("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env.number("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # the handler relies on this order
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address as the rate limits see it: REMOTE_ADDR, or behind PROXY_COUNT trusted
# proxies the address the nearest proxy recorded in X-Forwarded-For (a client's own, forged
# entries sit further left and are ignored). django-ipware is not installed, so axes would
# otherwise key on REMOTE_ADDR: the proxy's address, locking out everyone at once.
AXES_CLIENT_IP_CALLABLE = "submissions.platform.abuse.client_ip"
AXES_USERNAME_CALLABLE = "submissions.platform.abuse.login_username"  # cut to 150 characters: the log's column is 255
AXES_LOCKOUT_CALLABLE = "submissions.views.errors.lockout"
AXES_HTTP_RESPONSE_CODE = 429

# Language and time: Chinese and Beijing time by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATETIME_FORMAT = "Y-m-d H:i:s"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_FORMAT = "Y-m-d"
FORMAT_MODULE_PATH = ["portal.formats"]

# Static files: served by WhiteNoise, compressed and with hashed names.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.text("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.text("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "portal.storage.AtomicFileSystemStorage"},  # no partial file on a full disk
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several machines: media on S3-compatible object storage (django-storages), private by
# default (signed, expiring URLs), so nothing depends on one machine's disk.
MEDIA_STORAGE = env.text("MEDIA_STORAGE", "filesystem").strip().lower()
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = services.s3_storage()
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3; got {MEDIA_STORAGE!r}.")
MEDIA_ORIGINS = services.media_origins(STORAGES["default"]["OPTIONS"]) if MEDIA_STORAGE == "s3" else []
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# The share posters' CJK font, `path` or `path:face` (empty: what fc-match finds for Noto Sans CJK SC).
POSTER_FONT = env.text("POSTER_FONT", "")
POSTER_FONT_BOLD = env.text("POSTER_FONT_BOLD", "")
# Behind nginx with media on its disk: photos are sent by nginx after the access decision
# (X-Accel-Redirect to this internal location, deploy/nginx.conf). Empty: Django sends them.
MEDIA_ACCEL_REDIRECT = env.text("MEDIA_ACCEL_REDIRECT", "") if MEDIA_STORAGE == "filesystem" else ""
# Published renditions on a public path nginx serves from disk like static files
# (submissions/platform/public_media.py, deploy/nginx.conf location /pub/). Empty: photos go through the media view.
MEDIA_PUBLIC_ROOT = env.text("MEDIA_PUBLIC_ROOT", "") if MEDIA_STORAGE == "filesystem" else ""
MEDIA_PUBLIC_URL = env.text("MEDIA_PUBLIC_URL", "/pub/")

# Uploads: large files stream to disk; the request as a whole is bounded.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
DATA_UPLOAD_MAX_NUMBER_FILES = 30
FILE_UPLOAD_PERMISSIONS = 0o640

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = env.text("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.text("EMAIL_HOST", "localhost")
EMAIL_PORT = env.number("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.text("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.text("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.flag("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.flag("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.number("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "党建品牌征集 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: strict by default outside DEBUG; see README for running behind a proxy.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A comment sent without its token gets its form back with what was typed (submissions/views/errors.py).
CSRF_FAILURE_VIEW = "submissions.views.errors.csrf_failure"
SESSION_COOKIE_SECURE = not DEBUG and env.flag("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = not DEBUG and env.flag("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env.number("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.number("PROXY_COUNT", 0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
        # the articles' videos (submissions/video), from the portal, its public path or the object store
        "media-src": ["'self'", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"

# Logs: plain lines, or one JSON object per line with LOG_FORMAT=json; each record carries
# the request's id (portal/observability.py).
LOG_FORMAT = env.text("LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.observability.RequestIdFilter"},
        "not_found": {"()": "portal.observability.NotFoundFilter"},
    },
    "formatters": {
        # Times with their offset (portal/observability.iso_time), as gunicorn's own lines carry one.
        "text": {
            "()": "portal.observability.IsoTimeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {
            "()": "portal.observability.json_formatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.request": {"filters": ["not_found"]},
        # The worker's own lines through the same handler (django-q2 adds a handler of its own, with local
        # times and no offset, to a logger that has none).
        "django-q": {"handlers": ["console"], "propagate": False},
    },
}

PORTAL_NAME = _("党建品牌征集展示平台")

# Abuse guards of the public forms (submissions/platform/abuse.py, submissions/intake/views/calls.py): the least
# seconds between showing a form and posting it, and per-IP limits per hour on new entries and on
# posts of the entry form. 0 turns a limit off. The defaults are production's; raise them only
# where many honest people share one address (a load test on loopback, a training room).
FORM_MIN_SECONDS = env.number("FORM_MIN_SECONDS", 3)
# Extra certificates trusted for the campaign mailbox's IMAP server (a private CA); empty: the system's.
MAILBOX_CA_FILE = env.text("MAILBOX_CA_FILE")
# The authserv-id the campaign's own mail server writes in Authentication-Results (RFC 8601),
# comma-separated if several: only its results verify a sender (submissions/mailbox/senders.py);
# empty: the topmost header, the one the receiving server prepends.
MAILBOX_AUTHSERV_ID = env.text("MAILBOX_AUTHSERV_ID")
# The separate process each Word document is read in (submissions/documents/sandbox.py): wall
# clock seconds, CPU seconds, and megabytes of memory it may add to what it inherits.
DOCUMENT_READ_SECONDS = env.number("DOCUMENT_READ_SECONDS", 25)
DOCUMENT_READ_CPU_SECONDS = env.number("DOCUMENT_READ_CPU_SECONDS", 20)
DOCUMENT_READ_MEMORY_MB = env.number("DOCUMENT_READ_MEMORY_MB", 512)
# LibreOffice converting an old .doc / .wps in the worker: its address space (docs/security.md).
DOCUMENT_CONVERT_MEMORY_MB = env.number("DOCUMENT_CONVERT_MEMORY_MB", 1536)
SUBMIT_RATE_LIMIT = env.number("SUBMIT_RATE_LIMIT", 5)
SUBMIT_POST_RATE_LIMIT = env.number("SUBMIT_POST_RATE_LIMIT", 60)
# Bytes of photos and attachments a refused entry form may stage per client address per day
# (submissions/intake/forms/bundle.py): one entry at most is ~150 MB of uploads. 0: no limit.
STAGED_BYTES_PER_ADDRESS = env.number("STAGED_MB_PER_ADDRESS", 400) * 1024 * 1024

# Seconds a process serves its in-memory copy of a public page before it checks the shared
# version again (submissions/platform/pagecache.py): an edit reaches the other processes within this.
# 0: check on every request.
PAGE_CACHE_LOCAL_SECONDS = env.number("PAGE_CACHE_LOCAL_SECONDS", 1)

# Benchmarks only (bench/pages.py): mount /bench/floor, a minimal view for comparison. Off in production.
BENCH_FLOOR_VIEW = env.flag("BENCH_FLOOR_VIEW", False)

# --- Background tasks and operations (issue 16; docs/tasks.md, docs/operations.md) ---
# The queue (django-q2) on the broker TASK_BROKER names (docs/tasks.md, "Brokers"): "orm", the
# portal's database (SQLite in the quick start: no server), or "redis" (TASK_REDIS_URL, else the
# master REDIS_SENTINELS name, else REDIS_URL: the queue off the database). Workers
# (`manage.py worker`) on any number of machines.
# A task is leased for TASK_RETRY seconds and its worker renews the lease while it runs
# (portal/taskbroker.py): a task whose worker died is handed out again within TASK_RETRY, however
# long TASK_TIMEOUT (the bound of the longest task: a backup, a video's conversion) is.
TASKS_EAGER = env.flag("TASKS_EAGER", False)  # run tasks inside the caller (tests only)
TASK_TIMEOUT = env.number("TASK_TIMEOUT", 1800)
TASK_RETRY = env.number("TASK_RETRY", 45)
TASK_BROKER = env.text("TASK_BROKER", "orm")
Q_CLUSTER = services.q_cluster(
    TASK_BROKER,
    timeout=TASK_TIMEOUT,
    retry=TASK_RETRY,
    workers=env.number("TASK_WORKERS", 2),
    max_attempts=env.number("TASK_MAX_ATTEMPTS", 5),
    redis_url=env.text("TASK_REDIS_URL") or REDIS_URL,
    sentinels="" if env.text("TASK_REDIS_URL") else REDIS_SENTINELS,
    label=_("后台任务"),
)

# django-q2 warns when retry < timeout (its brokers re-hand a running task); ours renew the lease.
warnings.filterwarnings("ignore", message="Retry and timeout are misconfigured", module="django_q.conf")
CACHES["worker-stats"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "worker-stats"}
# Seconds a worker holds an outbox message it is sending before another may try (a worker that
# died mid-send); well above EMAIL_TIMEOUT.
OUTBOX_CLAIM_SECONDS = env.number("OUTBOX_CLAIM_SECONDS", 300)


# Days before a review round's due date (ReviewDeadline) when reviewers with unscored entries are
# reminded by the hourly remind_reviewers task.
REVIEW_REMINDER_DAYS = env.days("REVIEW_REMINDER_DAYS", "3,1")
# Days before a commentary's due date when the expert is reminded (submissions/experts: remind_experts, hourly).
EXPERT_REMINDER_DAYS = env.days("EXPERT_REMINDER_DAYS", "3,1")
# An Excel export of more entries than this runs as a task (progress and download in the admin).
EXPORT_ASYNC_THRESHOLD = env.number("EXPORT_ASYNC_THRESHOLD", 3000)
BACKUP_DIR = Path(env.text("BACKUP_DIR", str(BASE_DIR / "backups")))
# Prometheus metrics at /metrics, readable from these addresses or with this bearer token only.
METRICS_ALLOWED_IPS = env.words("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
METRICS_TOKEN = env.text("METRICS_TOKEN")
SECURE_REDIRECT_EXEMPT += [r"^metrics$"]  # scraped over plain HTTP on the private network
PROMETHEUS_EXPORT_MIGRATIONS = False
# Database metrics: the same engines, wrapped by django-prometheus.
for _alias in DATABASES:
    DATABASES[_alias]["ENGINE"] = DATABASES[_alias]["ENGINE"].replace("django.db.backends.", "django_prometheus.db.backends.")
