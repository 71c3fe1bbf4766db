"""`make run`: the platform as production serves it — DEBUG off, static files hashed, compressed
(gzip and Brotli) and served by WhiteNoise with far-future cache headers, several gunicorn
workers — over plain HTTP on this machine or the local network. What needs HTTPS stays off
(Secure cookies, the HTTPS redirect, HSTS), so a phone on the same Wi-Fi keeps its session.
`make dev` keeps Django's development server with code reloading (settings.dev)."""

from shanghui.config.env import env_list, env_str
from shanghui.config.settings.base import *  # noqa: F403
from shanghui.config.settings.base import STORAGES

DEBUG = False
# Phones on the local network reach the machine by its address (make run HOST=0.0.0.0).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"])
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
# A public development key (core.encryption.DEVELOPMENT_KEYS): NOT FOR PRODUCTION, where
# `check --deploy` refuses it. The environment's keys win when set.
FIELD_ENCRYPTION_KEYS = env_str(
    "FIELD_ENCRYPTION_KEYS",
    "dev-not-for-production:REREREREREREREREREREREREREREREREREREREREREQ=",
)
FIELD_BLIND_INDEX_KEY = env_str(
    "FIELD_BLIND_INDEX_KEY", "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI="
)
