from django.apps import AppConfig


class ConversationConfig(AppConfig):
    name = "bistand.conversation"

    def ready(self) -> None:
        # lazy: the services need the loaded apps.
        from bistand.conversation.services import remind_due_requests
        from bistand.core import periodic

        # Documentation requests due within two days: a reminder on Mina sidor.
        periodic.register("conversation.remind_due_requests", remind_due_requests, every=6)
