"""Local development: `make run`."""

from shanghui.config.env import env_str
from shanghui.config.settings.base import *  # noqa: F403

DEBUG = True
# A public development key (core.encryption.DEVELOPMENT_KEYS): NOT FOR PRODUCTION, where
# `check --deploy` refuses it. The environment's keys win when set.
FIELD_ENCRYPTION_KEYS = env_str(
    "FIELD_ENCRYPTION_KEYS",
    "dev-not-for-production:REREREREREREREREREREREREREREREREREREREREREQ=",
)
FIELD_BLIND_INDEX_KEY = env_str(
    "FIELD_BLIND_INDEX_KEY", "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI="
)
