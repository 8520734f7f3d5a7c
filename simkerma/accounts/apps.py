from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "simkerma.accounts"
    label = "accounts"
