"""The assessment layer in the API (issue 15, part 4): basis filter, corroborations, contested."""

from datetime import date

import pytest

from claims.models import Claim
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claims/"


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_basis_filter_takes_one_or_several_values(api_client):
    official = approved(basis="official")
    visual = approved(basis="visual")
    approved(basis="unknown")
    assert ids(api_client.get(LIST, {"basis": "official"})) == {official.pk}
    assert ids(api_client.get(f"{LIST}?basis=official&basis=visual")) == {official.pk, visual.pk}
    refused = api_client.get(LIST, {"basis": "rumour"})
    assert refused.status_code == 400 and "basis" in refused.json()["fields"]


def test_corroborations_count_the_other_reports_and_filter(api_client):
    alone = approved()
    twice = approved()
    twice.reported_by.add(ArticleFactory(), ArticleFactory())
    rows = {row["id"]: row for row in api_client.get(LIST).json()["results"]}
    assert rows[alone.pk]["corroborations"] == 0
    assert rows[twice.pk]["corroborations"] == 2
    assert ids(api_client.get(LIST, {"corroborations_min": 2})) == {twice.pk}
    assert ids(api_client.get(LIST, {"corroborations_min": 0})) == {alone.pk, twice.pk}
    assert api_client.get(LIST, {"corroborations_min": "-1"}).status_code == 400


@pytest.fixture
def dispute():
    """Two claimants far apart on one battle's dead in one month, and claims that look alike
    but do not contradict them."""
    battle = BattleFactory()
    officials, observers = SourceFactory(), SourceFactory()
    same = {"battle": battle, "side": "russia", "category": "killed"}
    day = date(2023, 5, 10)
    low = approved(claimant=officials, figure_low=900, figure_high=900, claim_date=day, **same)
    high = approved(
        claimant=observers,
        qualifier="range",
        figure_low=4000,
        figure_high=6000,
        claim_date=date(2023, 5, 28),
        **same,
    )
    return {
        "low": low,
        "high": high,
        # Same claimant as `high`, overlapping nothing: a claimant revising itself.
        "same_claimant": approved(claimant=observers, figure_low=100, figure_high=100, **same),
        # "At least 500" reaches up to `high`: no contradiction.
        "open_ended": approved(
            claimant=SourceFactory(),
            qualifier="at_least",
            figure_low=500,
            figure_high=None,
            claim_date=day,
            **same,
        ),
        "other_month": approved(
            claimant=SourceFactory(),
            figure_low=1,
            figure_high=1,
            claim_date=date(2023, 7, 1),
            **same,
        ),
        "other_side": approved(
            claimant=SourceFactory(),
            figure_low=1,
            figure_high=1,
            claim_date=day,
            **{
                **same,
                "side": "ukraine",
            },
        ),
        "draft": ClaimFactory(
            claimant=SourceFactory(), figure_low=1, figure_high=1, claim_date=day, **same
        ),
        "whole_war": approved(
            battle=None, claimant=SourceFactory(), figure_low=1, figure_high=1, claim_date=day
        ),
    }


def test_contested_flags_claims_other_claimants_contradict(api_client, dispute):
    rows = {row["id"]: row["contested"] for row in api_client.get(LIST).json()["results"]}
    contested = {dispute["low"].pk, dispute["high"].pk}
    assert {pk for pk, flag in rows.items() if flag} == contested
    assert ids(api_client.get(LIST, {"contested": "true"})) == contested
    assert ids(api_client.get(LIST, {"contested": "false"})) == set(rows) - contested
    refused = api_client.get(LIST, {"contested": "yes"})
    assert refused.status_code == 400 and "contested" in refused.json()["fields"]
    detail = api_client.get(f"{LIST}{dispute['low'].pk}/").json()
    assert detail["contested"] is True


def set_period(claim: Claim, **period) -> None:
    for name, value in period.items():
        setattr(claim, name, value)
    claim.save()  # a save, not update(): the public cache must see the change


def test_a_stated_period_is_compared_as_stated(api_client, dispute):
    spring = {"period_start": date(2023, 3, 1), "period_end": date(2023, 5, 31)}
    set_period(dispute["low"], **spring)
    # `high` has no period: it is about its month, not the spring.
    assert ids(api_client.get(LIST, {"contested": "true"})) == set()
    set_period(dispute["high"], **spring)
    assert ids(api_client.get(LIST, {"contested": "true"})) == {
        dispute["low"].pk,
        dispute["high"].pk,
    }


def test_conflicts_with_lists_the_claims_that_contradict_one(api_client, dispute):
    assert ids(api_client.get(LIST, {"conflicts_with": dispute["low"].pk})) == {dispute["high"].pk}
    assert ids(api_client.get(LIST, {"conflicts_with": dispute["open_ended"].pk})) == set()
    # A draft's id reveals nothing.
    assert ids(api_client.get(LIST, {"conflicts_with": dispute["draft"].pk})) == set()
    assert api_client.get(LIST, {"conflicts_with": "x"}).status_code == 400


def test_assessment_adds_no_query_per_row(api_client, dispute, django_assert_num_queries):
    for claim in Claim.objects.filter(status=Claim.Status.APPROVED)[:3]:
        claim.reported_by.add(ArticleFactory())
    # freshness, the page's ids, its claims (with `contested`), the reporting articles
    with django_assert_num_queries(4):
        api_client.get(LIST)
    # the page's ids, its claims (with `contested`), the reporting articles
    with django_assert_num_queries(3):
        api_client.get(f"{LIST}dump/")


def test_conflicts_with_an_unknown_claim_exports_an_empty_csv(api_client):
    approved()
    response = api_client.get(LIST, {"conflicts_with": 0, "format": "csv"})
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode().splitlines()) == 1  # the header
