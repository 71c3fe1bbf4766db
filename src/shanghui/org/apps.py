from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "shanghui.org"
    label = "org"

    def ready(self) -> None:
        from shanghui.core.audience import register_audience_kind
        from shanghui.org.audience import AUDIENCE_KINDS

        for kind in AUDIENCE_KINDS:  # committees, posts, the council
            register_audience_kind(kind)
