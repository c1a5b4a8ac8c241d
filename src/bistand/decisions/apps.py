from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "bistand.decisions"
    verbose_name = "Decisions: records, letters, corrections, replay"

    def ready(self) -> None:
        # lazy: the task module needs the loaded apps.
        from bistand.core import periodic
        from bistand.decisions.tasks import sweep_unlettered

        # Decisions whose letter task a killed worker had claimed.
        periodic.register("decisions.sweep_unlettered", sweep_unlettered, every=6)
