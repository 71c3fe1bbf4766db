from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shanghui.core.types import Position


class PublishingConfig(AppConfig):
    name = "shanghui.publishing"
    label = "publishing"
    verbose_name = _("宣传信息发布")

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.contributions import OFFICE_NAV, TODOS, NavItem, TodoSource
        from shanghui.publishing import announcement_setup, audit_labels  # noqa: F401
        from shanghui.publishing.todos import ARTICLES_VERSION, article_todos

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
