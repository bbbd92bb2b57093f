from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KcspConfig(AppConfig):
    name = "kcsp"
    verbose_name = "Partnership directory"

    def ready(self) -> None:
        from kcsp import pagecache, registry, roles, security  # noqa: F401 - signals

        pagecache.connect()

        # Runs after every migrate, once all apps' permissions exist.
        post_migrate.connect(
            roles.sync_role_permissions, dispatch_uid="kcsp.sync_role_permissions"
        )
        registry.autodiscover()
