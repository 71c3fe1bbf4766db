from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "shanghui.org"
    label = "org"
