"""Battles (with their summary), sources and articles through the API."""

import json
from datetime import date

import pytest

from claims.models import Claim
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


def test_battle_counts_only_approved_claims(api_client):
    battle = BattleFactory(name="Battle of Bakhmut", slug="bakhmut")
    approved(battle=battle)
    ClaimFactory(battle=battle, status=Claim.Status.DRAFT)
    ClaimFactory(battle=battle, status=Claim.Status.REJECTED)

    listed = api_client.get("/api/v1/battles/").json()["results"]
    detail = api_client.get("/api/v1/battles/bakhmut/").json()

    assert [b["claims_count"] for b in listed if b["slug"] == "bakhmut"] == [1]
    assert detail["claims_count"] == 1 and detail["name"] == "Battle of Bakhmut"
    assert detail["summary_url"] == "http://testserver/api/v1/battles/bakhmut/summary/"
    assert detail["claims_url"] == "http://testserver/api/v1/claims/?battle=bakhmut"
    assert detail["page_url"] == "http://testserver/battles/bakhmut/"


def test_unknown_battle_is_a_404_with_the_error_body(api_client):
    for url in ("/api/v1/battles/nowhere/", "/api/v1/battles/nowhere/summary/"):
        response = api_client.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_summary_tabulates_range_latest_and_latest_per_claimant(api_client):
    battle = BattleFactory(slug="avdiivka")
    kyiv, moscow = SourceFactory(name="Kyiv"), SourceFactory(name="Moscow")
    approved(
        battle=battle, claimant=kyiv, figure_low=1000, figure_high=1000, claim_date=date(2024, 1, 1)
    )
    kyiv_latest = approved(
        battle=battle,
        claimant=kyiv,
        qualifier="range",
        figure_low=3000,
        figure_high=9000,
        claim_date=date(2024, 2, 1),
    )
    moscow_latest = approved(
        battle=battle,
        claimant=moscow,
        qualifier="at_least",
        figure_low=500,
        figure_high=None,
        claim_date=date(2024, 3, 1),
    )
    approved(battle=battle, claimant=moscow, side="ukraine", claim_date=date(2024, 1, 5))
    ClaimFactory(
        battle=battle,
        claimant=kyiv,
        figure_low=99999,
        figure_high=99999,
        claim_date=date(2025, 1, 1),
        status=Claim.Status.DRAFT,
    )

    summary = api_client.get("/api/v1/battles/avdiivka/summary/").json()

    assert summary["battle"]["slug"] == "avdiivka" and summary["claims_count"] == 4
    groups = {(g["category"], g["side"]): g for g in summary["groups"]}
    assert set(groups) == {("killed", "russia"), ("killed", "ukraine")}
    russia = groups[("killed", "russia")]
    assert russia["claims_count"] == 3
    assert russia["figure_min"] == 500 and russia["figure_max"] == 9000
    assert russia["latest_claim"]["id"] == moscow_latest.id
    latest_by = {c["claimant"]["name"]: c["latest_claim"]["id"] for c in russia["claimants"]}
    assert latest_by == {"Kyiv": kyiv_latest.id, "Moscow": moscow_latest.id}
    assert russia["claimants"][0]["latest_claim"]["figure_display"] == "3,000–9,000"


def test_summary_latest_claim_breaks_date_ties_by_id_and_keeps_undated_claimants(api_client):
    battle = BattleFactory(slug="kherson")
    dated, undated = SourceFactory(name="Dated"), SourceFactory(name="Undated")
    same_day = date(2024, 5, 1)
    approved(battle=battle, claimant=dated, claim_date=same_day)
    later_entered = approved(battle=battle, claimant=dated, claim_date=same_day)
    approved(battle=battle, claimant=dated, claim_date=None)
    approved(battle=battle, claimant=undated, claim_date=None)
    newest_undated = approved(battle=battle, claimant=undated, claim_date=None)
    # The same claimant's latest date in another battle must not pick a claim here.
    approved(claimant=undated, claim_date=same_day)

    summary = api_client.get("/api/v1/battles/kherson/summary/").json()

    (group,) = summary["groups"]
    latest_by = {c["claimant"]["name"]: c["latest_claim"]["id"] for c in group["claimants"]}
    assert latest_by == {"Dated": later_entered.id, "Undated": newest_undated.id}
    assert group["latest_claim"]["id"] == later_entered.id


def test_summary_of_a_battle_without_claims_is_empty(api_client):
    BattleFactory(slug="quiet")

    assert api_client.get("/api/v1/battles/quiet/summary/").json()["groups"] == []


def test_sources_show_claimants_of_approved_claims_only(api_client):
    known = approved().claimant
    only_in_a_draft = ClaimFactory(status=Claim.Status.DRAFT).claimant
    outlet = SourceFactory(name="Daily Outlet", kind="media")
    approved(article=ArticleFactory(outlet=outlet))

    slugs = [s["slug"] for s in api_client.get("/api/v1/sources/").json()["results"]]

    assert known.slug in slugs and outlet.slug in slugs
    assert only_in_a_draft.slug not in slugs
    assert api_client.get(f"/api/v1/sources/{only_in_a_draft.slug}/").status_code == 404
    detail = api_client.get(f"/api/v1/sources/{known.slug}/").json()
    assert detail["claims_count"] == 1 and detail["kind"] == "person"


def test_articles_are_public_only_with_an_approved_claim(api_client):
    public = approved(article=ArticleFactory(body="Public body text.")).article
    reporting = ArticleFactory()
    approved().reported_by.add(reporting)
    private = ClaimFactory(status=Claim.Status.DRAFT).article
    ArticleFactory()  # queued or parsed, no claims at all

    listed = api_client.get("/api/v1/articles/").json()["results"]

    assert sorted(a["id"] for a in listed) == sorted(
        [public.id, reporting.id, Claim.objects.get(reported_by=reporting).article_id]
    )
    assert all("body" not in a for a in listed)
    assert api_client.get(f"/api/v1/articles/{private.id}/").status_code == 404
    detail = api_client.get(f"/api/v1/articles/{public.id}/").json()
    assert detail["body"] == "Public body text." and detail["claims_count"] == 1


def test_reference_lists_and_details_send_an_etag_and_answer_304(api_client):
    claim = approved()
    for url in (
        "/api/v1/battles/",
        f"/api/v1/battles/{claim.battle.slug}/summary/",
        "/api/v1/sources/",
        "/api/v1/articles/",
        f"/api/v1/claims/{claim.id}/",
    ):
        etag = api_client.get(url)["ETag"]
        assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/battles/", 2),  # count, page
        ("/api/v1/battles/{battle}/", 1),
        # battle, groups per claimant, the ids on their latest dates, claims (then cached:
        # none)
        ("/api/v1/battles/{battle}/summary/", 4),
        ("/api/v1/sources/", 2),
        ("/api/v1/sources/{source}/", 1),
        ("/api/v1/articles/", 3),  # count, the page's ids, its rows
        ("/api/v1/articles/{article}/", 1),
    ],
)
def test_reference_endpoints_query_counts_do_not_grow(
    api_client, django_assert_num_queries, url, queries
):
    battle = BattleFactory()
    for _ in range(12):
        claim = approved(
            battle=battle,
            claimant=SourceFactory(),
            article=ArticleFactory(outlet=SourceFactory(kind="media")),
        )
    url = url.format(battle=battle.slug, source=claim.claimant.slug, article=claim.article_id)

    with django_assert_num_queries(queries):
        assert api_client.get(url).status_code == 200


def test_summary_is_served_from_cache_until_a_claim_changes(
    api_client, django_assert_num_queries, editor
):
    from claims.services import claim_return_to_draft

    claim = approved()
    other = approved(battle=claim.battle, figure_low=5, figure_high=5)
    url = f"/api/v1/battles/{claim.battle.slug}/summary/"
    first = api_client.get(url).json()
    assert first["claims_count"] == 2

    with django_assert_num_queries(0):
        assert api_client.get(url).json() == first

    claim_return_to_draft(claim=other, user=editor)
    assert api_client.get(url).json()["claims_count"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/battles/",
        "/api/v1/battles/{battle}/summary/",
        "/api/v1/sources/",
        "/api/v1/articles/",
        "/api/v1/claims/?battle={battle}",
        "/api/v1/claims/{claim}/",
    ],
)
def test_a_cached_json_answer_is_the_fresh_one_byte_for_byte(
    api_client, django_assert_num_queries, url
):
    claim = approved()
    url = url.format(battle=claim.battle.slug, claim=claim.id)
    fresh = api_client.get(url)

    with django_assert_num_queries(0):
        cached = api_client.get(url)

    assert cached.status_code == fresh.status_code == 200
    assert cached.content == fresh.content
    assert cached["Content-Type"] == fresh["Content-Type"] == "application/json"
    assert cached["ETag"] == fresh["ETag"]
    assert "Accept" in cached["Vary"]


def test_the_browsable_api_is_computed_for_each_request_and_not_served_as_json(api_client):
    claim = approved()
    url = f"/api/v1/battles/{claim.battle.slug}/summary/"
    api_client.get(url)  # the JSON answer is now cached

    page = api_client.get(url, HTTP_ACCEPT="text/html")

    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert b"<html" in page.content and str(claim.id).encode() in page.content


def test_a_summary_changed_a_while_ago_is_refreshed_after_an_answer_not_before_it(
    api_client, editor, settings, monkeypatch
):
    import time

    from claims.services import claim_approve

    settings.PUBLIC_CACHE_STALE_SECONDS = 60
    claim = approved()
    draft = ClaimFactory(battle=claim.battle, status=Claim.Status.DRAFT)
    url = f"/api/v1/battles/{claim.battle.slug}/summary/"
    assert api_client.get(url).json()["claims_count"] == 1
    claim_approve(claim=draft, user=editor)

    assert api_client.get(url).json()["claims_count"] == 1  # within the stale time
    later = time.time() + 31
    monkeypatch.setattr(time, "time", lambda: later)
    assert api_client.get(url).json()["claims_count"] == 1  # answered, then refreshed
    assert api_client.get(url).json()["claims_count"] == 2


def test_a_claim_taken_back_leaves_the_summary_at_once_despite_the_stale_time(
    api_client, editor, settings
):
    from claims.services import claim_return_to_draft

    settings.PUBLIC_CACHE_STALE_SECONDS = 60
    claim = approved()
    other = approved(battle=claim.battle)
    url = f"/api/v1/battles/{claim.battle.slug}/summary/"
    assert api_client.get(url).json()["claims_count"] == 2

    claim_return_to_draft(claim=other, user=editor)

    assert api_client.get(url).json()["claims_count"] == 1


def test_hand_written_summary_output_equals_the_declared_fields(rf):
    from claims.api.serializers import SummaryGroupSerializer
    from claims.selectors import battle_summary

    battle = BattleFactory(slug="summed")
    for claimant in (SourceFactory(), SourceFactory(), None):
        ClaimFactory(status=Claim.Status.APPROVED, battle=battle, claimant=claimant)
    ClaimFactory(status=Claim.Status.APPROVED, battle=battle, category="wounded")
    groups = battle_summary(battle=battle)["groups"]
    assert len(groups) == 2 and sum(len(group["claimants"]) for group in groups) == 4

    serializer = SummaryGroupSerializer(context={"request": rf.get("/")})
    for group in groups:
        generic = super(SummaryGroupSerializer, serializer).to_representation(group)
        assert serializer.to_representation(group) == json.loads(json.dumps(generic))
