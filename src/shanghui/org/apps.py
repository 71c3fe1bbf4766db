from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "shanghui.org"
    label = "org"

    def ready(self) -> None:
        from shanghui.members.selectors import register_committee_choices
        from shanghui.org.selectors import committee_choices

        register_committee_choices(committee_choices)
