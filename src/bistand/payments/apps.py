from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "bistand.payments"
    verbose_name = "Payments: orders, ISO 20022 files, bank status, recovery assessments"

    def ready(self) -> None:
        # lazy: receivers are connected once the apps are loaded (models import at module level).
        from bistand.payments import handoffs  # noqa: F401
