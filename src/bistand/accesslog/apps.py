from django.apps import AppConfig


class AccessLogConfig(AppConfig):
    name = "bistand.accesslog"
    verbose_name = "Access log: hash-chained and append-only"
