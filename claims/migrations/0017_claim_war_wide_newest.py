"""A conflict page (issue 14) on PostgreSQL only, as SQLite cannot index NULLS LAST (and its
databases are small): a conflict's approved war-wide claims per category, side and claimant,
newest first (undated last), with the columns the summary reads. The summary counts them and
takes the range of their figures from the index alone, and reads each claimant's latest claim
with one probe of it (claims.selectors._newest_claim_id). The claims of no claimant are keyed
as claimant 0, so that they form a group the probe can find too."""

from django.db import migrations

CREATE_INDEX = (
    "CREATE INDEX IF NOT EXISTS claim_war_wide_newest ON claims_claim "
    "(conflict_id, category, side, (COALESCE(claimant_id, 0)), claim_date DESC NULLS LAST, "
    "id DESC) INCLUDE (claimant_id, figure_low, figure_high) "
    "WHERE status = 'approved' AND battle_id IS NULL"
)
DROP_INDEX = "DROP INDEX IF EXISTS claim_war_wide_newest"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):
    dependencies = [("claims", "0016_cache_fallback_count")]

    operations = [migrations.RunPython(create_index, drop_index)]
