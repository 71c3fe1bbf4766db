from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "shanghui.members"
    label = "members"
