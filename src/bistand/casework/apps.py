from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "bistand.casework"

    def ready(self) -> None:
        # lazy: receivers are connected once the apps are loaded (models import at module level).
        from bistand.casework import handoffs  # noqa: F401
