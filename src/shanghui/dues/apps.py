from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "shanghui.dues"
    label = "dues"
