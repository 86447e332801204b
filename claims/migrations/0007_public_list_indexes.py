"""Indexes in the order public lists show rows, so that a page is read off an index instead
of sorting every row: a claimant's approved claims, newest first when read backwards (also
what counts them), and, on PostgreSQL only, articles newest first with the undated last
(SQLite cannot index NULLS LAST, and its databases are small)."""

from django.db import migrations, models

CREATE_ARTICLE_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_newest_first ON claims_article "
    "(published_date DESC NULLS LAST, id DESC)"
)
DROP_ARTICLE_INDEX = "DROP INDEX IF EXISTS article_newest_first"


def create_article_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_ARTICLE_INDEX)


def drop_article_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_ARTICLE_INDEX)


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_article_text_search")]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["claimant", "claim_date", "id"],
                name="claim_claimant_newest",
            ),
        ),
        migrations.RunPython(create_article_index, drop_article_index),
    ]
