from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "shanghui.documents"
    label = "documents"
    verbose_name = _("资料库")

    def ready(self) -> None:
        from shanghui.core.storage.content import CORRUPTION_LISTENERS
        from shanghui.documents import audit_labels, messages  # noqa: F401

        messages.register()
        if messages.tell_administrators not in CORRUPTION_LISTENERS:
            CORRUPTION_LISTENERS.append(messages.tell_administrators)
