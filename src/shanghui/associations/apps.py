from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "shanghui.associations"
    label = "associations"

    def ready(self) -> None:
        from shanghui.associations import messages

        messages.register()  # its message kinds (core.notifications)
