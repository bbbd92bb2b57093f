from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "Priorities"

    def ready(self) -> None:
        # Adds the priorities to every version of the agreement.
        from priorities import parts  # noqa: F401
