"""Conflicts through the API (issue 14): the list, one conflict, its summary of war-wide
claims, `battle=none` and `conflict=` on claims, and where each claim is placed in time."""

from datetime import date

import pytest

from claims.models import Claim
from tests.factories import (
    ArticleFactory,
    BattleFactory,
    ClaimFactory,
    ConflictFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


@pytest.fixture
def war():
    return ConflictFactory(name="War of the Marsh", slug="war-of-the-marsh")


def test_conflicts_list_counts_war_wide_and_battle_claims_approved_only(api_client, war):
    approved(battle=None, conflict=war)
    approved(battle=BattleFactory(conflict=war))
    ClaimFactory(battle=None, conflict=war, status=Claim.Status.DRAFT)

    listed = api_client.get("/api/v1/conflicts/").json()["results"]
    detail = api_client.get("/api/v1/conflicts/war-of-the-marsh/").json()

    assert [c["claims_count"] for c in listed if c["slug"] == "war-of-the-marsh"] == [2]
    assert detail["name"] == "War of the Marsh" and detail["claims_count"] == 2
    assert detail["summary_url"] == "http://testserver/api/v1/conflicts/war-of-the-marsh/summary/"
    assert detail["page_url"] == "http://testserver/conflicts/war-of-the-marsh/"
    assert api_client.get(detail["claims_url"]).json()["count"] == 2


def test_summary_compares_each_claimants_latest_war_wide_figure(api_client, war):
    staff, ministry = SourceFactory(name="Marsh staff"), SourceFactory(name="Marsh ministry")
    approved(battle=None, conflict=war, claimant=staff, figure_low=100, figure_high=100)
    staff_latest = approved(
        battle=None,
        conflict=war,
        claimant=staff,
        figure_low=900,
        figure_high=900,
        claim_date=date(2024, 5, 1),
    )
    ministry_latest = approved(
        battle=None,
        conflict=war,
        claimant=ministry,
        qualifier="at_least",
        figure_low=400,
        figure_high=None,
        claim_date=date(2024, 4, 1),
    )
    battle = BattleFactory(conflict=war, slug="marsh-ford")
    approved(battle=battle, figure_low=7, figure_high=7)
    approved(battle=None, conflict=ConflictFactory(name="Another war"))

    summary = api_client.get("/api/v1/conflicts/war-of-the-marsh/summary/").json()

    assert summary["conflict"] == {"slug": "war-of-the-marsh", "name": "War of the Marsh"}
    assert summary["claims_count"] == 3 and summary["battle_claims_count"] == 1
    [group] = summary["groups"]
    assert (group["category"], group["side"]) == ("killed", "russia")
    assert (group["figure_min"], group["figure_max"]) == (100, 900)
    assert group["latest_claim"]["id"] == staff_latest.id
    latest = {row["claimant"]["name"]: row["latest_claim"]["id"] for row in group["claimants"]}
    assert latest == {"Marsh staff": staff_latest.id, "Marsh ministry": ministry_latest.id}
    assert [(b["slug"], b["claims_count"]) for b in summary["battles"]] == [("marsh-ford", 1)]


def test_unknown_conflict_is_a_404(api_client):
    for url in ("/api/v1/conflicts/nowhere/", "/api/v1/conflicts/nowhere/summary/"):
        response = api_client.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_conflicts_are_read_only_for_anonymous_and_editors(
    api_client, token_client, editor, method
):
    ConflictFactory(slug="test-war")
    anonymous = getattr(api_client, method)("/api/v1/conflicts/test-war/", {})
    signed_in = getattr(token_client(editor), method)("/api/v1/conflicts/test-war/", {})
    assert anonymous.status_code in (401, 403, 405)
    assert signed_in.status_code == 405


def test_a_user_without_permissions_sees_only_approved_war_wide_claims(token_client, war):
    shown = approved(battle=None, conflict=war)
    ClaimFactory(battle=None, conflict=war, status=Claim.Status.DRAFT)
    client = token_client(UserFactory(username="reader"))

    summary = client.get("/api/v1/conflicts/war-of-the-marsh/summary/").json()

    assert summary["claims_count"] == 1
    assert summary["groups"][0]["latest_claim"]["id"] == shown.id


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/conflicts/", 2),  # count, page
        ("/api/v1/conflicts/{conflict}/", 1),
        # conflict, groups per claimant with their latest ids, claims, battles
        ("/api/v1/conflicts/{conflict}/summary/", 4),
    ],
)
def test_conflict_endpoints_query_counts_do_not_grow(
    api_client, django_assert_num_queries, war, url, queries
):
    for n in range(12):
        approved(
            battle=None if n % 2 else BattleFactory(conflict=war),
            conflict=war,
            claimant=SourceFactory(),
            article=ArticleFactory(outlet=SourceFactory(kind="media")),
        )
    with django_assert_num_queries(queries):
        assert api_client.get(url.format(conflict=war.slug)).status_code == 200


def test_battle_none_selects_war_wide_claims_alone_or_with_battles(api_client, war):
    war_wide = approved(battle=None, conflict=war)
    about_battle = approved(battle=BattleFactory(slug="marsh-ford", conflict=war))

    alone = api_client.get("/api/v1/claims/", {"battle": "none"}).json()["results"]
    both = api_client.get("/api/v1/claims/", {"battle": ["none", "marsh-ford"]}).json()

    assert [c["id"] for c in alone] == [war_wide.id]
    assert {c["id"] for c in both["results"]} == {war_wide.id, about_battle.id}


def test_conflict_filter_includes_war_wide_claims(api_client, war):
    war_wide = approved(battle=None, conflict=war)
    about_battle = approved(battle=BattleFactory(conflict=war))
    approved(battle=None, conflict=ConflictFactory(name="Another war"))

    results = api_client.get("/api/v1/claims/", {"conflict": "War of the Marsh"}).json()

    assert {c["id"] for c in results["results"]} == {war_wide.id, about_battle.id}
    assert results["results"][0]["conflict"] == {
        "slug": "war-of-the-marsh",
        "name": "War of the Marsh",
    }


def test_each_claim_says_where_it_is_placed_in_time_and_why(api_client):
    stated = approved(claim_date=date(2024, 5, 1), claim_date_precision="month")
    published = approved(claim_date=None, article=ArticleFactory(published_date=date(2024, 6, 2)))
    unplaced = approved(claim_date=None, article=ArticleFactory(published_date=None))

    results = api_client.get("/api/v1/claims/").json()["results"]
    placed = {c["id"]: (c["placed_date"], c["date_basis"], c["date_precision"]) for c in results}

    assert placed[stated.id] == ("2024-05-01", "stated", "month")
    assert placed[published.id] == ("2024-06-02", "published", "day")
    assert placed[unplaced.id] == (None, None, None)


def test_schema_documents_the_conflict_endpoints_and_placed_dates(api_client):
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()

    assert "/api/v1/conflicts/" in schema["paths"]
    assert "/api/v1/conflicts/{slug}/summary/" in schema["paths"]
    claim = schema["components"]["schemas"]["Claim"]["properties"]
    assert {"placed_date", "date_basis", "date_precision", "conflict"} <= set(claim)
