from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "shanghui.associations"
    label = "associations"

    def ready(self) -> None:
        from shanghui.associations import messages
        from shanghui.core.notifications import register_kinds

        register_kinds(messages.KINDS)  # its message kinds (core.notifications)
