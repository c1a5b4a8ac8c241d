from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "bistand.ops"
    verbose_name = "Operations: the worker, demo data"
