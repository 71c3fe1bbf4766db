from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "shanghui.events"
    label = "events"
