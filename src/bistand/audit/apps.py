from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bistand.audit"
    verbose_name = "Audit: the access log's screens, register extracts and retention (gallring)"

    def ready(self) -> None:
        # lazy: the task module needs the loaded apps.
        from bistand.audit.tasks import schedule_daily
        from bistand.core import periodic

        # Retention (gallring): the daily cull, enqueued once a day (docs/security.md).
        periodic.register("audit.schedule_daily_cull", schedule_daily, every=6)
