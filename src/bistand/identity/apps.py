from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "bistand.identity"
    verbose_name = "Identity: accounts, roles, units, eID"
