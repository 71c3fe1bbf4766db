from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "shanghui.providers"
    label = "providers"
    verbose_name = _("服务商")

    def ready(self) -> None:
        from shanghui.providers import contributions

        contributions.register()
