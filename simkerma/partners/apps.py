from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "simkerma.partners"
    label = "partners"
