from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shanghui.core.types import Position


class PublishingConfig(AppConfig):
    name = "shanghui.publishing"
    label = "publishing"
    verbose_name = _("宣传信息发布")

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.contributions import (
            MEMBER_HOME,
            OFFICE_NAV,
            TODOS,
            VISITOR_HOME,
            HomePanel,
            NavItem,
            TodoSource,
            VisitorHome,
        )
        from shanghui.publishing import announcement_setup, audit_labels  # noqa: F401
        from shanghui.publishing.home import news_panel, notices_panel
        from shanghui.publishing.todos import ARTICLES_VERSION, article_todos
        from shanghui.publishing.views.site import site_home

        def edits_content(role: Position | None) -> bool:
            return has_perm(role, Perm.EDIT_CONTENT) or has_perm(role, Perm.PUBLISH_CONTENT)

        OFFICE_NAV.register(
            NavItem(
                label=_("资讯发布"),
                url_name="publishing:office_articles",
                visible_to=edits_content,
                order=45,
            )
        )
        OFFICE_NAV.register(
            NavItem(
                label=_("官网设置"),
                url_name="publishing:office_site_settings",
                visible_to=lambda role: has_perm(role, Perm.EDIT_SETTINGS),
                order=91,  # beside 商会设置
            )
        )
        MEMBER_HOME.register(
            HomePanel(
                key="publishing.notices",
                title=_("待读通知"),
                template="publishing/member/_home_notices.html",
                context=notices_panel,
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=10,  # first: what the association asks of the member
            )
        )
        MEMBER_HOME.register(
            HomePanel(
                key="publishing.news",
                title=_("最新资讯"),
                template="publishing/member/_home_panel.html",
                context=news_panel,
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=40,
            )
        )
        # A visitor at /a/<slug>/ gets the association's public site.
        VISITOR_HOME.register(VisitorHome(key="publishing.site", view=site_home))
        TODOS.register(
            TodoSource(
                title=_("资讯发布"),
                section="publishing:office_articles",
                visible_to=lambda role: has_perm(role, Perm.PUBLISH_CONTENT),
                items=article_todos,
                versions=(ARTICLES_VERSION,),
                order=35,
            )
        )
        announcement_setup.ready()
