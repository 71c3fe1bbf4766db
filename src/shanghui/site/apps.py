from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "shanghui.site"
    label = "site"

    def ready(self) -> None:
        from shanghui.core.contributions import OFFICE_NAV, NavItem

        # The back office's own ends: its 工作台 first, the way out to the member side last.
        OFFICE_NAV.register(
            NavItem(label=_("工作台"), url_name="site:office_dashboard", lit="exact", order=0)
        )
        OFFICE_NAV.register(
            NavItem(label=_("会员端"), url_name="members:home", lit="never", order=1000)
        )
