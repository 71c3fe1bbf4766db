from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "shanghui.publishing"
    label = "publishing"

    def ready(self) -> None:
        from shanghui.publishing import announcement_setup

        announcement_setup.ready()
