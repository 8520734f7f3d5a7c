from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "simkerma.agreements"
    label = "agreements"
