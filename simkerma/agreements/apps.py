from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "simkerma.agreements"
    label = "agreements"

    def ready(self) -> None:
        from simkerma.agreements.models import Agreement
        from simkerma.agreements.selectors import home_panel
        from simkerma.core.panels import register_home_panel

        register_home_panel("agreements", home_panel, template="agreements/_home_panel.html", order=30)

        from simkerma.agreements.selectors import partner_agreements
        from simkerma.partners.sections import register_partner_section

        register_partner_section("agreements", partner_agreements, order=10)

        from simkerma.agreements.selectors import AGREEMENTS, PARTNERS
        from simkerma.core.versions import watch
        from simkerma.partners.models import Partner

        # The home page's cached counts (selectors.home_counts).
        watch(AGREEMENTS, Agreement)
        watch(PARTNERS, Partner)
