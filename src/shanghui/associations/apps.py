from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "shanghui.associations"
    label = "associations"
