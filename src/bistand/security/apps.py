from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "bistand.security"
    verbose_name = "Security: two-factor sign-in, login throttling, sessions, hostile uploads"

    def ready(self) -> None:
        # Failed and successful sign-ins feed the login throttle.
        # lazy: receivers and checks connect once every app is loaded
        from bistand.security import checks, throttle  # noqa: F401
