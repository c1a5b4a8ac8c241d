from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "bistand.oversight"
    verbose_name = "Oversight: random checks, statistics, fairness, the transparency page"
