"""``make run``'s settings (``settings.local``) with the floor views mounted beside the app's
URLs, and the floor templates found (``floor`` as an installed app)."""

from shanghui.config.settings.local import *  # noqa: F403
from shanghui.config.settings.local import INSTALLED_APPS

ROOT_URLCONF = "floor.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "floor"]
