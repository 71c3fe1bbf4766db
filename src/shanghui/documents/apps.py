from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "shanghui.documents"
    label = "documents"
    verbose_name = _("资料库")

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.contributions import (
            OFFICE_NAV,
            PERSONAL_CENTER,
            NavItem,
            PersonalEntry,
        )
        from shanghui.documents import audit_labels  # noqa: F401

        OFFICE_NAV.register(
            NavItem(
                label=_("资料库"),
                url_name="documents:office_library",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_DOCUMENTS),
                order=55,
            )
        )
        PERSONAL_CENTER.register(
            PersonalEntry(
                title=_("资料库"),
                url_name="documents:library",
                icon="folder",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=60,
            )
        )
