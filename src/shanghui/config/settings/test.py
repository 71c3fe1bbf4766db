"""The test suite. The database comes from DATABASE_URL like everywhere else, so the same
suite runs on SQLite and on PostgreSQL."""

import os

from shanghui.config.settings.base import *  # noqa: F403
from shanghui.config.settings.base import DATABASES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 is tested
SMS_BACKEND = "memory"
# A public development key (core.encryption.DEVELOPMENT_KEYS): NOT FOR PRODUCTION.
FIELD_ENCRYPTION_KEYS = "dev-not-for-production:REREREREREREREREREREREREREREREREREREREREREQ="
FIELD_BLIND_INDEX_KEY = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI="
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
# One content store per test process: association ids repeat across pytest-xdist workers'
# databases, and one worker's removal must not take another's object.
CONTENT_ROOT = VAR_DIR / f"test-content-{os.getpid()}"
PICTURE_CACHE_DIR = VAR_DIR / f"test-pictures-{os.getpid()}"
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / f"test-uploads-{os.getpid()}")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test process (pytest-xdist worker) counts rate limits in its own file, emptied before
# every test (shanghui.testing.fixtures).
RATE_LIMIT_SQLITE_PATH = str(VAR_DIR / f"test-ratelimit-{os.getpid()}.sqlite3")
# Article view counters in the production store (a SQLite file of their own), one per test
# process, emptied before every test; Redis when the environment sets COUNTERS_REDIS_URL.
COUNTERS_SQLITE_PATH = str(VAR_DIR / f"test-counters-{os.getpid()}.sqlite3")
# Test processes share the machine's Redis: each its own keys.
COUNTERS_REDIS_PREFIX = f"shanghui-test-{os.getpid()}:views:"
# A test's connection is never closed for its age: a worker run inside a transactional test
# calls close_old_connections, which on a slow machine closed the test's own connection (and
# its SET ROLE) once it had lived past CONN_MAX_AGE — a test that failed only when slow.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = None
