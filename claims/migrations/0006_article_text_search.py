"""Full-text index for the search over public articles on PostgreSQL. The expression is the
one SearchVector("title", Left("body", 100_000), config="english") compiles to, so that the
planner uses it instead of reading every article's text; other databases search by
substring and get no such index."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS article_text_search ON claims_article USING gin "
    "(to_tsvector('english'::regconfig, ((COALESCE(title, ''::character varying))::text "
    "|| ' '::text) || COALESCE(\"left\"(body, 100000), ''::text)))"
)
DROP = "DROP INDEX IF EXISTS article_text_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_claim_public_filters_covering")]

    operations = [migrations.RunPython(create_index, drop_index)]
