"""The period a claim covers in the API (issue 14 part 3): period_kind, its words, and the
period_kind= and period_covers= filters."""

from datetime import date

import pytest

from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claims/"


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.fixture
def tallies() -> dict[str, Claim]:
    return {
        "daily": approved(
            period_kind="daily", period_start=date(2024, 10, 11), period_end=date(2024, 10, 12)
        ),
        "cumulative": approved(
            period_kind="cumulative",
            period_start=date(2022, 2, 24),
            period_end=date(2024, 10, 12),
        ),
        "month": approved(
            period_kind="period", period_start=date(2024, 5, 1), period_end=date(2024, 5, 31)
        ),
        "unstated": approved(),
    }


def test_each_claim_says_its_period_kind_and_the_period_in_words(api_client, tallies):
    items = {item["id"]: item for item in api_client.get(LIST).json()["results"]}
    daily = items[tallies["daily"].id]
    assert daily["period_kind"] == "daily"
    assert daily["period_display"] == "covering 24 hours to 12 Oct 2024"
    assert items[tallies["cumulative"].id]["period_display"] == (
        "since 24 Feb 2022, as of 12 Oct 2024"
    )
    assert items[tallies["month"].id]["period_display"] == "covering May 2024"
    unstated = items[tallies["unstated"].id]
    assert (unstated["period_kind"], unstated["period_display"]) == (None, None)


def test_period_kind_filters_by_kind_and_none_finds_claims_without_one(api_client, tallies):
    assert ids(api_client.get(LIST, {"period_kind": "daily"})) == {tallies["daily"].id}
    both = api_client.get(LIST, {"period_kind": ["daily", "period"]})
    assert ids(both) == {tallies["daily"].id, tallies["month"].id}
    assert ids(api_client.get(LIST, {"period_kind": "none"})) == {tallies["unstated"].id}


def test_period_covers_finds_the_claims_whose_period_holds_the_day(api_client, tallies):
    on_day = api_client.get(LIST, {"period_covers": "2024-10-12"})
    assert ids(on_day) == {tallies["daily"].id, tallies["cumulative"].id}
    assert ids(api_client.get(LIST, {"period_covers": "2024-05-15"})) == {
        tallies["cumulative"].id,
        tallies["month"].id,
    }


@pytest.mark.parametrize(
    "params", [{"period_kind": "weekly"}, {"period_covers": "2024-13-45"}, {"period_covers": "x"}]
)
def test_a_bad_period_filter_is_a_400_that_says_why(api_client, params):
    response = api_client.get(LIST, params)
    assert response.status_code == 400
    assert next(iter(params)) in response.json()["fields"]
