"""The Editors and Viewers groups and what they may do. Created by migration 0002 and kept
in sync after every migrate (and every test-database flush) by a post_migrate handler."""

from django.apps import apps as global_apps
from django.apps.registry import Apps

GROUP_PERMISSIONS = {
    "Editors": [
        "view_article",
        "add_article",
        "view_claim",
        "change_claim",
        "approve_claim",
        "reject_claim",
        "view_historicalclaim",
        "view_battle",
        "add_battle",
        "change_battle",
        "delete_battle",
        "view_source",
        "add_source",
        "change_source",
        "delete_source",
    ],
    "Viewers": [
        "view_article",
        "view_claim",
        "view_historicalclaim",
        "view_battle",
        "view_source",
    ],
}


def groups_sync(*, apps: Apps = global_apps) -> None:
    """Creates the groups if missing and sets their permissions. `apps` is the migration
    state's registry inside a migration."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure they exist.
    # Migration-state app configs have no models module, which create_permissions requires.
    for app_config in apps.get_app_configs():
        stateless = getattr(app_config, "models_module", None) is None
        if stateless:
            # Any truthy placeholder will do: create_permissions only checks it is set.
            app_config.models_module = True  # type: ignore[assignment]
        create_permissions(app_config, verbosity=0, apps=apps)
        if stateless:
            app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = Permission.objects.filter(
            content_type__app_label="claims", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Missing permissions for {group_name}: {sorted(missing)}")
        group.permissions.set(permissions)
