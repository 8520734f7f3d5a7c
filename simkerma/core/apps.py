from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "simkerma.core"
    label = "core"
