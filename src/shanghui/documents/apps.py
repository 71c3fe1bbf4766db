from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "shanghui.documents"
    label = "documents"
    verbose_name = _("资料库")

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.contributions import (
            LIBRARY,
            OFFICE_NAV,
            PERSONAL_CENTER,
            LibraryPicker,
            NavItem,
            PersonalEntry,
        )
        from shanghui.core.notifications import register_kinds
        from shanghui.core.storage.content import CORRUPTION_LISTENERS
        from shanghui.documents import audit_labels, messages, picker  # noqa: F401

        register_kinds(messages.KINDS)  # its message kinds (core.notifications)
        # Other modules attach the library's files without naming this app.
        LIBRARY.register(
            LibraryPicker(
                key="documents",
                choices=picker.library_choices,
                open=picker.library_open,
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
            )
        )
        # A read that finds stored content corrupt tells the association's administrators.
        if messages.tell_administrators not in CORRUPTION_LISTENERS:
            CORRUPTION_LISTENERS.append(messages.tell_administrators)
        OFFICE_NAV.register(
            NavItem(
                label=_("资料库"),
                url_name="documents:office_library",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_DOCUMENTS),
                order=57,  # after 通知公告
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
