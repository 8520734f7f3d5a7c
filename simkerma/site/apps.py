from django.apps import AppConfig


class SiteConfig(AppConfig):
    """What composes the domain apps: the home page, navigation, notices page and the demo loader."""

    name = "simkerma.site"
    label = "site"
