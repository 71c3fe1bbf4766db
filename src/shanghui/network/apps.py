from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "shanghui.network"
    label = "network"
    verbose_name = _("供需对接")

    def ready(self) -> None:
        from shanghui.network import contributions

        contributions.register()
