from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "simkerma.intake"
    label = "intake"

    def ready(self) -> None:
        from simkerma.core.notices import register_planner
        from simkerma.intake.imap import plan_mail_intake

        # Before the notices are sent: a receipt for a request taken in this run goes out in the same run.
        register_planner(plan_mail_intake, order=10)
