"""Indexes in the order public lists show rows (newest first, undated last), so that a page is
read off an index instead of sorting every row: the articles list, and a claimant's approved
claims (partial: approved only; it also counts them). PostgreSQL only: SQLite cannot index
NULLS LAST, and its databases are small."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS article_newest_first ON claims_article "
    "(published_date DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS claim_claimant_newest_first ON claims_claim "
    "(claimant_id, claim_date DESC NULLS LAST, id DESC) WHERE status = 'approved'",
)
DROP = (
    "DROP INDEX IF EXISTS article_newest_first",
    "DROP INDEX IF EXISTS claim_claimant_newest_first",
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_article_text_search")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
