"""Conflict pages and placed dates on pages (issue 14)."""

from datetime import date

import pytest

from claims.models import Claim
from tests.factories import (
    ArticleFactory,
    BattleFactory,
    ClaimFactory,
    ConflictFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


@pytest.fixture
def war():
    return ConflictFactory(name="War of the Marsh", slug="marsh", start_date=date(2022, 2, 24))


def test_conflict_page_lists_war_wide_claims_their_comparison_and_battles(client, war):
    staff = SourceFactory(name="Marsh staff")
    approved(battle=None, conflict=war, claimant=staff, figure_low=410, figure_high=410)
    approved(
        battle=None,
        conflict=war,
        claimant=staff,
        figure_low=520,
        figure_high=520,
        claim_date=date(2024, 6, 1),
    )
    battle = BattleFactory(name="Battle of Marsh Ford", conflict=war)
    approved(battle=battle, figure_low=7, figure_high=7)
    # a draft (a figure with a separator: a factory slug such as "spokesperson-999" holds no comma)
    ClaimFactory(battle=None, conflict=war, figure_low=4321, figure_high=4321)

    response = client.get("/conflicts/marsh/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "2 war-wide claims" in html and "1 about its battles" in html
    assert 'href="/battles/' in html and "Battle of Marsh Ford" in html
    assert "520" in html and "410" in html and "4,321" not in html
    assert "No approved" not in html
    points = response.context["chart_points"]
    assert {p["value"] for p in points} == {410, 520}
    assert {p["tally"] for p in points} == {"cumulative"}


def test_conflict_page_keeps_daily_tallies_apart_from_running_totals(client, war):
    approved(battle=None, conflict=war, figure_low=600000, figure_high=600000)
    approved(
        battle=None,
        conflict=war,
        figure_low=1200,
        figure_high=1200,
        period_start=date(2024, 6, 1),
        period_end=date(2024, 6, 2),
    )
    approved(
        battle=None,
        conflict=war,
        figure_low=30000,
        figure_high=30000,
        period_start=date(2024, 5, 1),
        period_end=date(2024, 5, 31),
    )
    points = client.get("/conflicts/marsh/").context["chart_points"]
    tallies = {p["value"]: p["tally"] for p in points}
    assert tallies == {600000: "cumulative", 1200: "daily", 30000: "period"}
    assert len({p["panel"] for p in points}) == 3


def test_conflict_page_query_count_does_not_grow(client, war, django_assert_num_queries):
    for n in range(20):
        approved(
            battle=None if n % 3 else BattleFactory(conflict=war),
            conflict=war,
            claimant=SourceFactory(),
            article=ArticleFactory(published_date=None if n % 5 == 0 else date(2024, 1, 1)),
            claim_date=None if n % 2 else date(2024, 2, n + 1),
        )
    # conflict; summary: groups with their latest ids, latest rows, battles; the table: page
    # ids, page rows (the summary counted them); the timeline: stated ids, published ids,
    # rows; claims it cannot place
    with django_assert_num_queries(10):
        assert client.get("/conflicts/marsh/").status_code == 200


def test_unknown_conflict_is_404(client):
    assert client.get("/conflicts/nowhere/").status_code == 404


def test_home_leads_with_conflicts_and_links_their_pages(client, war):
    approved(battle=None, conflict=war)
    approved(battle=BattleFactory(name="Battle of Marsh Ford", conflict=war))
    html = client.get("/").content.decode()
    assert html.index("War of the Marsh") < html.index("Battle of Marsh Ford")
    assert 'href="/conflicts/marsh/"' in html and "2 approved claims" in html


def test_battle_with_only_undated_claims_never_says_none_yet(client):
    battle = BattleFactory(name="Battle of Undated Hill", slug="undated-hill")
    for figure in (10, 20):
        approved(
            battle=battle,
            claim_date=None,
            figure_low=figure,
            figure_high=figure,
            article=ArticleFactory(published_date=None),
        )
    page = client.get("/battles/undated-hill/").content.decode()
    home = client.get("/").content.decode()

    assert "No approved claims yet" not in page and "none yet" not in home
    assert "2 claims could not be placed on the chart" in page
    assert "undated" in page


def test_a_claim_without_a_stated_date_is_placed_at_its_articles_date(client):
    battle = BattleFactory(slug="ford")
    approved(
        battle=battle, claim_date=None, article=ArticleFactory(published_date=date(2024, 3, 9))
    )
    approved(battle=battle, claim_date=date(2024, 5, 1), claim_date_precision="month")
    response = client.get("/battles/ford/")
    html = response.content.decode()

    assert {(p["date"], p["date_basis"]) for p in response.context["chart_points"]} == {
        ("2024-03-09", "published"),
        ("2024-05-01", "stated"),
    }
    assert (
        '<time class="nowrap" datetime="2024-03-09">2024-03-09</time> <span class="meta date-basis"'
        in html
    )
    assert '<time class="nowrap" datetime="2024-05-01">May 2024</time>' in html
    assert "could not be placed" not in html


def test_conflict_page_compares_the_most_recently_active_claimants_of_a_group(client, war):
    for day in range(1, 15):
        approved(battle=None, conflict=war, claimant=SourceFactory(), claim_date=date(2024, 1, day))
    html = client.get("/conflicts/marsh/").content.decode()
    assert "The 12 most recently active of 14 claimants" in html
    comparison = html.split('id="compare-title"')[1].split('id="battles-title"')[0]
    assert "2024-01-14" in comparison and "2024-01-03" in comparison
    assert "2024-01-02" not in comparison


def test_conflict_page_compares_the_latest_claim_of_claims_with_no_claimant(client, war):
    approved(
        battle=None,
        conflict=war,
        claimant=None,
        figure_low=111,
        figure_high=111,
        claim_date=date(2024, 3, 1),
    )
    approved(
        battle=None,
        conflict=war,
        claimant=None,
        figure_low=222,
        figure_high=222,
        claim_date=date(2024, 3, 9),
    )
    approved(
        battle=None, conflict=war, claimant=None, figure_low=333, figure_high=333, claim_date=None
    )
    groups = client.get("/conflicts/marsh/").context["summary"]["groups"]
    [row] = groups[0]["claimants"]
    assert row["claimant"] is None
    assert row["latest_claim"].figure_low == 222
    assert groups[0]["claimants_count"] == 1
