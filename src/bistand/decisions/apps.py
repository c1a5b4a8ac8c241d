from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "bistand.decisions"
    verbose_name = "Decisions: records, letters, corrections, replay"
