from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "bistand.payments"
    verbose_name = "Payments: orders, ISO 20022 files, bank status, recovery assessments"
