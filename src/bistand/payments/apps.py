from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "bistand.payments"
    verbose_name = "Payments: orders, ISO 20022 files, bank status, recovery assessments"

    def ready(self) -> None:
        # lazy: receivers and periodic jobs are connected once the apps are loaded (their modules import models).
        from bistand.core import periodic
        from bistand.payments import handoffs  # noqa: F401
        from bistand.payments.services import sweep_unplanned_decisions

        # Decisions older than the signal that planned their money in the same transaction.
        periodic.register("payments.sweep_unplanned_decisions", sweep_unplanned_decisions, every=6)
