"""Production: every secret from the environment, HTTPS only, static files hashed."""

from django.core.exceptions import ImproperlyConfigured

from shanghui.config.env import env_bool, env_int, env_str
from shanghui.config.settings.base import *  # noqa: F403
from shanghui.config.settings.base import STORAGES

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set (50+ random characters) in production")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix makes the browser refuse these cookies unless Secure, Path=/ and without
# Domain: a neighbouring subdomain (or a man in the middle on plain HTTP) cannot plant a
# session or CSRF cookie for us. Development over plain HTTP keeps Django's names.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
