from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "simkerma.api"
    label = "api"
    verbose_name = _("JSON API")

    def ready(self) -> None:
        from simkerma.accounts.profile import register_profile_section
        from simkerma.api.views import token_section

        register_profile_section("api-tokens", token_section, template="api/_profile_tokens.html", order=20)
