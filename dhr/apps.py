from django.apps import AppConfig
from django.conf import settings


class DhrConfig(AppConfig):
    name = "dhr"
    verbose_name = "Domestic Homicide Reviews"

    def ready(self) -> None:
        # The back office names the app as the portal does: the label is a
        # setting ("Domestic Abuse Related Death Review" where renamed).
        self.verbose_name = f"{settings.DHR_LABEL}s"
