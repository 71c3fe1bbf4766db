"""Local development: `make run`."""

from shanghui.config.settings.base import *  # noqa: F403

DEBUG = True
