from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "shanghui.core"
    label = "core"

    def ready(self) -> None:
        from shanghui.core.rls import apply_row_level_security

        # Runs once per migrate (dispatch_uid), after the last app's migrations.
        post_migrate.connect(apply_row_level_security, dispatch_uid="shanghui_rls")
