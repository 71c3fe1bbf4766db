"""Settings shared by every environment. Values that differ per deployment come from the
environment through ``shanghui.config.env`` (see docs/deploy.md for the full list)."""

import json
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from shanghui.config.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("SHANGHUI_VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = env_str(
    "SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The address links in messages, calendar feeds and PDFs point at. Unset, it follows the port
# `make run` serves on (PORT=8080 make run → http://127.0.0.1:8080).
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # its own Swagger UI files for /api/v1/docs (else a CDN, refused by our CSP)
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    # In floor order (shanghui.floors): the demo seed runs each app's part in this order.
    "shanghui.core",
    "shanghui.associations",
    "shanghui.accounts",
    "shanghui.members",
    "shanghui.org",
    "shanghui.dues",
    "shanghui.events",
    "shanghui.publishing",
    "shanghui.documents",
    "shanghui.charity",
    "shanghui.network",
    "shanghui.providers",
    "shanghui.site",  # the top floor: what looks across the apps (last: it reads them all)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers, Brotli or gzip with Django's BREACH mitigation (core.compression).
    # After WhiteNoise, whose static files are compressed already; before everything that
    # reads or writes the body.
    "shanghui.core.compression.CompressionMiddleware",
    "shanghui.core.headers.ContentSecurityPolicyMiddleware",
    "shanghui.core.headers.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shanghui.accounts.middleware.IdleTimeoutMiddleware",
    "shanghui.core.middleware.LanguageMiddleware",
    "shanghui.core.middleware.RequestContextMiddleware",
    "shanghui.core.middleware.CleanInputMiddleware",
    "shanghui.core.middleware.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "shanghui.accounts.middleware.TenantMiddleware",
    "shanghui.providers.door.ProviderMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shanghui.config.urls"
WSGI_APPLICATION = "shanghui.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shanghui.site.context_processors.shell",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
# SQLite by default: WAL lets readers run beside the one writer, IMMEDIATE transactions take
# the write lock up front (no "database is locked" on upgrade), the busy timeout queues writers.
SQLITE_PATH = VAR_DIR / "shanghui.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
# WAL with synchronous=NORMAL survives a crash of the process or the system's software, but
# the last commits before a power cut may be lost (the WAL is not synced at every commit).
# FULL syncs it at every commit: nothing committed is lost, each write costs an fsync
# (docs/backup.md).
SQLITE_SYNCHRONOUS = env_str("SQLITE_SYNCHRONOUS", "normal").strip().upper()
if SQLITE_SYNCHRONOUS not in {"NORMAL", "FULL"}:
    raise ValueError(f"SQLITE_SYNCHRONOUS must be normal or full, not {SQLITE_SYNCHRONOUS!r}")


def database_from_url(url: str, *, synchronous: str = SQLITE_SYNCHRONOUS) -> dict[str, object]:
    config: dict[str, object] = dict(dj_database_url.parse(url))
    # Each gunicorn thread keeps its connection for this many seconds instead of opening one
    # per request (on SQLite that cost 4.5-6.3 ms of CPU a request: connecting, Django's SQL
    # functions, the init_command below). Django runs init_command on every new connection
    # and BEGINs each transaction in transaction_mode, so a kept SQLite connection keeps WAL,
    # the busy timeout and IMMEDIATE. Health checks only on PostgreSQL: SQLite's is_usable()
    # is always True.
    config["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                f"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; "
                "PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;"
            ),
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_from_url(DATABASE_URL)}
if DATABASE_URL.startswith("sqlite:///"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Every place that sets a password passes the person to validate_password: the similarity
# and phone checks need them.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("phone", "name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "shanghui.accounts.password_validation.PhoneDigitsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "site:home"

# Idle timeout: the session ends after this many seconds without a request.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 2 * 60 * 60)
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: five failures for the same phone number from the same address lock it out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "phone"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shanghui.accounts.views.signin.locked_out"
# The same client address as the audit log: X-Forwarded-For only with USE_X_FORWARDED_FOR
# (axes' own forwarded-address support needs django-ipware, which we do not install).
AXES_CLIENT_IP_CALLABLE = "shanghui.core.middleware.client_ip"
AXES_VERBOSE = False

# Rate limits (core.ratelimit): "COUNT/SECONDS" per key, each overridable from the
# environment as RATE_LIMIT_<NAME> (e.g. RATE_LIMIT_DIRECTORY_SEARCH=120/60). The counters live
# in a store shared by every process: a SQLite file of their own on one machine (default), or
# Redis when several app servers run (RATE_LIMIT_STORE=redis). See docs/security.md.
RATE_LIMIT_STORE = env_str("RATE_LIMIT_STORE", "sqlite")  # sqlite | redis
RATE_LIMIT_SQLITE_PATH = env_str("RATE_LIMIT_SQLITE_PATH", str(VAR_DIR / "ratelimit.sqlite3"))
RATE_LIMIT_REDIS_URL = env_str("RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:6379/0")
RATE_LIMITS = {
    name: env_str(f"RATE_LIMIT_{name.upper()}", default)
    for name, default in {
        # A member's directory searches, per user.
        "directory_search": "60/60",
        "directory_search_daily": "1000/86400",
        # The application form's referrer check, per client address.
        "referrer_check": "10/60",
        # Files kept on the server when a public form comes back with an error, per address.
        "upload_keep": "20/3600",
        # SMS codes (password reset, sign-in, guests): per phone, per address, platform-wide
        # (core.sms_codes); and one a minute per phone and purpose.
        "sms_code_resend": "1/60",
        "sms_code_phone": "5/3600",
        "sms_code_address": "10/3600",
        "sms_code_global": "2000/3600",
        # Failed sign-ins per client address, across phone numbers.
        "sign_in_failures_address": "30/3600",
        # Pages of personal data read in bulk through the API or the back office, per user.
        "personal_data_pages": "600/3600",
        # Wrong passwords of one document share link, per link and client address.
        "share_password": "10/3600",
        # Single records unmasked on request (a clerk's 显示完整号码), per user.
        "personal_data_reveals": "120/3600",
    }.items()
}

INVITATION_TTL_DAYS = 7
API_TOKEN_TTL_DAYS = env_int("API_TOKEN_TTL_DAYS", 180)
ONE_TIME_CODE_TTL_SECONDS = 10 * 60

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Named date formats per language (core/formats): "1月20日 14:00" / "Jan 20, 14:00".
FORMAT_MODULE_PATH = ["shanghui.core.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "filesystem")  # filesystem | s3
# MinIO, Aliyun OSS and Tencent COS all speak the S3 protocol; django-storages' S3Storage
# takes these options, for Django's FileFields and for the content store (core.storage).
S3_OPTIONS: dict[str, object] = {
    "bucket_name": env_str("S3_BUCKET"),
    "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
    "access_key": env_str("S3_ACCESS_KEY"),
    "secret_key": env_str("S3_SECRET_KEY"),
    "region_name": env_str("S3_REGION") or None,
    "default_acl": None,
    "querystring_auth": True,
    "file_overwrite": False,
}
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}
# The content store (core.storage): objects by SHA-256 under a/<association_id>/, verified
# block by block on every read.
CONTENT_ROOT = Path(env_str("CONTENT_ROOT", str(VAR_DIR / "content")))
# Smaller copies of stored pictures (thumbnails for lists, a phone-wide cover): derived from
# the verified picture, made on first request, kept on each app server's disk.
PICTURE_CACHE_DIR = Path(env_str("PICTURE_CACHE_DIR", str(VAR_DIR / "cache" / "pictures")))
CONTENT_BLOCK_SIZE = env_int("CONTENT_BLOCK_SIZE", 4 * 1024 * 1024)
# Each association's storage (versions and trash included) unless the operator sets its own.
STORAGE_QUOTA_DEFAULT = env_int("STORAGE_QUOTA_DEFAULT", 10 * 1024**3)
# The document library (资料库): the largest file, and how long the trash keeps what is
# deleted before the retention job removes it (never less than 30 days).
DOCUMENTS_MAX_BYTES = env_int("DOCUMENTS_MAX_BYTES", 2 * 1024**3)
DOCUMENTS_TRASH_DAYS = max(30, env_int("DOCUMENTS_TRASH_DAYS", 30))
# Sponsored students' personal data is erased this many years after their sponsorship ended
# (`manage.py charity_beneficiary_retention`).
CHARITY_BENEFICIARY_RETENTION_YEARS = env_int("CHARITY_BENEFICIARY_RETENTION_YEARS", 3)
# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE are parsed into files here, a directory of
# their own that `manage.py prune_uploads` empties of what interrupted requests left behind.
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "uploads")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# Pictures larger than this are refused from their header, before any decoding: a small
# PNG can declare a huge canvas. Decoding takes up to 4 bytes a pixel (160 MB at 40 million).
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_PIXELS", 40_000_000)

# --- Counters -----------------------------------------------------------------------------
# Buffered counters (article views, ``publishing.counters``): a page view writes here, never to
# the database; ``manage.py flush_article_views`` adds them up. The app servers and the command
# share it: a SQLite file of its own on one machine (default), or Redis (COUNTERS_REDIS_URL)
# across several. Counters never expire; a flush takes off exactly what it added.
COUNTERS_REDIS_URL = env_str("COUNTERS_REDIS_URL", "")
# The keys' prefix in Redis (one Redis may serve several installations).
COUNTERS_REDIS_PREFIX = env_str("COUNTERS_REDIS_PREFIX", "shanghui:views:")
COUNTERS_SQLITE_PATH = env_str("COUNTERS_SQLITE_PATH", str(VAR_DIR / "counters.sqlite3"))
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# --- Publishing: importing from WeChat official accounts -----------------------------------
# Where 公众号 articles are fetched from: only links on this host are accepted, and nothing
# else is ever requested (no redirects elsewhere). Tests point it at a local server.
WECHAT_ARTICLE_BASE_URL = env_str("WECHAT_ARTICLE_BASE_URL", "https://mp.weixin.qq.com")
WECHAT_ARTICLE_MAX_BYTES = env_int("WECHAT_ARTICLE_MAX_BYTES", 5 * 1024 * 1024)
WECHAT_ARTICLE_TIMEOUT = env_int("WECHAT_ARTICLE_TIMEOUT", 10)
# The articles' pictures: fetched only from WeChat's picture host, re-encoded and stored.
WECHAT_IMAGE_BASE_URL = env_str("WECHAT_IMAGE_BASE_URL", "https://mmbiz.qpic.cn")
# One import in all (the page and every picture): a deadline well inside gunicorn's 60 s
# and a byte budget; pictures past either are left out.
WECHAT_IMPORT_SECONDS = env_int("WECHAT_IMPORT_SECONDS", 40)
WECHAT_IMPORT_MAX_BYTES = env_int("WECHAT_IMPORT_MAX_BYTES", 30 * 1024 * 1024)

# --- Messages out: email and SMS --------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before an unanswering mail server is given up (a message at a time inside jobs,
# which must report progress within core.jobs.STALLED_AFTER).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "云商会 <noreply@localhost>")
# Personal data encrypted at rest (core.encryption): "id:base64key" items, commas or one a
# line (FIELD_ENCRYPTION_KEYS_FILE); the first encrypts, all decrypt. A separate key for the
# blind indexes that make an encrypted value findable by equality. No default here:
# development and test settings set a public key, and `check --deploy` refuses it or none.
FIELD_ENCRYPTION_KEYS = env_str("FIELD_ENCRYPTION_KEYS")
FIELD_BLIND_INDEX_KEY = env_str("FIELD_BLIND_INDEX_KEY")
# One of: console (log only), memory (kept in a list; tests), aliyun, tencent
# (core.notify.senders). `check --deploy` refuses console/memory/unknown or a gateway without
# its keys.
SMS_BACKEND = env_str("SMS_BACKEND", "console")
SMS_SIGN_NAME = env_str("SMS_SIGN_NAME", "云商会")
SMS_ACCESS_KEY = env_str("SMS_ACCESS_KEY")
SMS_ACCESS_SECRET = env_str("SMS_ACCESS_SECRET")
# The gateway's address: empty for the provider's own (tests point it at a local server).
SMS_ENDPOINT = env_str("SMS_ENDPOINT")
SMS_REGION = env_str("SMS_REGION")  # empty: cn-hangzhou (Aliyun), ap-guangzhou (Tencent)
SMS_SDK_APP_ID = env_str("SMS_SDK_APP_ID")  # Tencent's SmsSdkAppId
# Message kind → the template code the provider approved ({"events.cancelled": "SMS_123"}),
# or kind → {provider: code}; a JSON object in the environment.
SMS_TEMPLATES = json.loads(env_str("SMS_TEMPLATES", "{}"))
# WeChat messages: "" (off), console, memory (tests) or official (the official account).
WECHAT_BACKEND = env_str("WECHAT_BACKEND")
WECHAT_APP_ID = env_str("WECHAT_APP_ID")
WECHAT_APP_SECRET = env_str("WECHAT_APP_SECRET")
WECHAT_TEMPLATE_ID = env_str("WECHAT_TEMPLATE_ID")
# Message kind → template id, for kinds with their own keywords (else WECHAT_TEMPLATE_ID).
WECHAT_TEMPLATES = json.loads(env_str("WECHAT_TEMPLATES", "{}"))
WECHAT_API_BASE = env_str("WECHAT_API_BASE", "https://api.weixin.qq.com")
WECHAT_OAUTH_BASE = env_str("WECHAT_OAUTH_BASE", "https://open.weixin.qq.com")
# Where the 举报 link of the associations' public sites writes to: the platform operator's
# mailbox for reports of illegal or harmful content. Unset, the link leads to the national
# reporting centre (12377) only.
REPORT_EMAIL = env_str("REPORT_EMAIL")

# --- Background work --------------------------------------------------------------------
# Two queues: "messages" (core.notifications.deliver: SMS, WeChat, email to people) and
# "default" (jobs: exports, imports, bill runs …). A worker of its own serves "messages", so a
# code or a confirmation never waits behind a queue of exports (docs/deploy.md).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "messages"],
    }
}
# Days after which `manage.py prune_tasks` deletes finished tasks and empties what sent
# messages and finished jobs kept about people (phones, texts, an export's filters).
TASK_RETENTION_DAYS = env_int("TASK_RETENTION_DAYS", 7)

# --- Security ---------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "shanghui": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

PLATFORM_NAME = _("云商会")

# Behind nginx the client address arrives in X-Forwarded-For (the last hop is nginx's view).
# Read by core.middleware.client_ip (audit log, sign-in lockout, rate limits); see deploy.md.
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)
