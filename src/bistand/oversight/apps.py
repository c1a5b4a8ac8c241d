from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "bistand.oversight"
    verbose_name = "Oversight: random checks, statistics, fairness, the transparency page"

    def ready(self) -> None:
        # lazy: the task module needs the loaded apps.
        from bistand.core import periodic
        from bistand.oversight.tasks import schedule_monthly_draw

        # Random checks (stickprov): last month's draw, once per municipality.
        periodic.register("oversight.schedule_monthly_draw", schedule_monthly_draw, every=6)
