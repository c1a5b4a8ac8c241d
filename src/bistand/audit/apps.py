from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bistand.audit"
    verbose_name = "Audit: the access log, register extracts and retention (gallring)"
