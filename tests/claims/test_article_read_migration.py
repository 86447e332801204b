"""Migration 0013 hashes the bytes of the articles uploaded before it, so that the same file
sent again is found as a duplicate at upload (issue 17 item 10)."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("claims", "0012_dataset_release")]
AFTER = [("claims", "0013_article_read_in_worker")]


@pytest.fixture
def latest_schema_after():
    """Leaves the database at the newest migrations, as the tests after this one expect."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_uploads_get_the_hash_of_their_bytes_once(latest_schema_after):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Article = executor.loader.project_state(BEFORE).apps.get_model("claims", "Article")

    def article(content: bytes, text_hash: str) -> int:
        return Article.objects.create(
            body="text", original_content=content, content_hash=text_hash
        ).pk

    uploaded = article(b"About 300 were killed.", "h1")
    # The same bytes once declared as text, once as HTML made two texts, so two articles.
    same_bytes = article(b"About 300 were killed.", "h2")
    generated = article(b"", "h3")  # generate_demo_data keeps no upload

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Article = executor.loader.project_state(AFTER).apps.get_model("claims", "Article")

    hashes = dict(Article.objects.values_list("pk", "original_hash"))
    assert hashes == {
        uploaded: hashlib.sha256(b"About 300 were killed.").hexdigest(),
        same_bytes: "",
        generated: "",
    }
