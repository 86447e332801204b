"""Migration 0010 turns each conflict name into a Conflict row and points claims at it
(issue 14)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("claims", "0009_claim_added_by_editor")]
AFTER = [("claims", "0010_conflicts_and_date_precision")]


@pytest.fixture
def latest_schema_after():
    """Leaves the database at the newest migrations, as the tests after this one expect."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_conflict_names_become_conflicts_and_claims_follow_their_battles_or_sides(
    latest_schema_after,
):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Battle, Article, Claim = (
        old.get_model("claims", name) for name in ("Battle", "Article", "Claim")
    )
    marsh_ford = Battle.objects.create(
        name="Marsh Ford", slug="marsh-ford", conflict="War of the Marsh"
    )
    Battle.objects.create(name="Cape Point", slug="cape-point", conflict="Coastal war")
    article = Article.objects.create(body="text", original_content=b"text", content_hash="h1")

    def claim(battle, side):
        return Claim.objects.create(
            article=article,
            battle=battle,
            side=side,
            category="killed",
            qualifier="exact",
            figure_low=5,
            figure_high=5,
            excerpt="x",
            start_offset=0,
            end_offset=1,
        ).pk

    about_battle = claim(marsh_ford, "marshland")
    war_wide = claim(None, "marshland")
    unknown_side = claim(None, "nobody")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Conflict = new.get_model("claims", "Conflict")
    Claim = new.get_model("claims", "Claim")
    marsh = Conflict.objects.get(name="War of the Marsh")

    assert marsh.slug == "war-of-the-marsh" and marsh.sides == ["marshland"]
    assert set(Conflict.objects.values_list("name", flat=True)) == {
        "War of the Marsh",
        "Coastal war",
    }
    assert new.get_model("claims", "Battle").objects.get(slug="marsh-ford").conflict_id == marsh.pk
    assert Claim.objects.get(pk=about_battle).conflict_id == marsh.pk
    assert Claim.objects.get(pk=war_wide).conflict_id == marsh.pk
    assert Claim.objects.get(pk=unknown_side).conflict_id is None
    assert Claim.objects.get(pk=war_wide).claim_date_precision == "day"
