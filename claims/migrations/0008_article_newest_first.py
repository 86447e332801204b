"""An index in the order public lists show articles (newest first, undated last), so that a
page's ids are read off it instead of sorting every article. PostgreSQL only: SQLite cannot
index NULLS LAST, and its databases are small."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS article_newest_first ON claims_article "
    "(published_date DESC NULLS LAST, id DESC)"
)
DROP = "DROP INDEX IF EXISTS article_newest_first"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_claim_status_claimant")]

    operations = [migrations.RunPython(create_index, drop_index)]
