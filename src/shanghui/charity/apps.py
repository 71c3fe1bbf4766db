from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "shanghui.charity"
    label = "charity"
    verbose_name = _("慈善公益")

    def ready(self) -> None:
        from shanghui.charity import contributions

        contributions.register()
