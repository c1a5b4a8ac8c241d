from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "bistand.portal"

    def ready(self) -> None:
        # lazy: the services need the loaded apps.
        from bistand.core import periodic
        from bistand.portal.services import remind_due_requests

        # Documentation requests due within two days: a reminder on Mina sidor.
        periodic.register("portal.remind_due_requests", remind_due_requests, every=6)
