"""Full-text index for the researcher search on PostgreSQL. The expression matches
SearchVector("excerpt", config="english") exactly, so the planner uses it; other databases
have no such index and search by substring instead."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS claim_excerpt_search ON claims_claim "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(excerpt, '')))"
)
DROP = "DROP INDEX IF EXISTS claim_excerpt_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_claim_status_battle_date")]

    operations = [migrations.RunPython(create_index, drop_index)]
