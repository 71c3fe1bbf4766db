from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shanghui.accounts"
    label = "accounts"
