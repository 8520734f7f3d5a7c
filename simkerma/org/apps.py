from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "simkerma.org"
    label = "org"
