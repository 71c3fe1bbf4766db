from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "shanghui.documents"
    label = "documents"
    verbose_name = _("资料库")

    def ready(self) -> None:
        from shanghui.documents import audit_labels  # noqa: F401
