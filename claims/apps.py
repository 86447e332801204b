from typing import Any

from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.models.signals import post_migrate


def _groups_sync(sender: AppConfig, **kwargs: Any) -> None:
    from django.apps import apps as global_apps

    from claims.roles import groups_sync

    # A flush sends post_migrate without the migration state's registry.
    groups_sync(apps=kwargs.get("apps") or global_apps)


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Keeps the groups' permissions current after every migrate, and recreates the groups
        # after a flush (as between transactional tests).
        post_migrate.connect(_groups_sync, sender=self)
        from claims.public_cache import connect_signals
        from claimsite.shared_cache import save_fallbacks_after_request

        connect_signals()
        # Fallback counts live in this app's table (CacheFallbackCount).
        request_finished.connect(
            save_fallbacks_after_request, dispatch_uid="shared-cache-save-fallbacks"
        )
