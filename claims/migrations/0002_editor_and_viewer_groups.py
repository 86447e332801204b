"""Creates the Editors and Viewers groups with their permissions (issue 4)."""

from django.db import migrations

EDITOR_PERMISSIONS = [
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
]
VIEWER_PERMISSIONS = [
    "view_article",
    "view_claim",
    "view_historicalclaim",
    "view_battle",
    "view_source",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now so the
    # groups can refer to them on a fresh database.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in (
        ("Editors", EDITOR_PERMISSIONS),
        ("Viewers", VIEWER_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = Permission.objects.filter(
            content_type__app_label="claims", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Missing permissions for {group_name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Viewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
