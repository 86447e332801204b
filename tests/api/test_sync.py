"""A sync client, as a researcher would write one against the documented protocol: store the
dump's rows since the last sync, drop the ids listed as deletions since then. After every step
of a scripted history of approvals, corrections, merges and withdrawals, its copy must equal
the public set exactly, field by field (issue 15)."""

import pytest

from claims.models import Claim
from claims.services import (
    article_delete,
    claim_approve,
    claim_delete,
    claim_mark_report_of,
    claim_reject,
    claim_return_to_draft,
    claim_update,
)
from tests.factories import ArticleFactory, BattleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

DUMP = "/api/v1/claims/dump/"


def walk(client, url: str, params: dict[str, str]) -> list[dict]:
    rows, response = [], client.get(url, {**params, "page_size": 2})
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        rows += page["results"]
        if not page["next"]:
            return rows
        response = client.get(page["next"])


class SyncClient:
    def __init__(self, client):
        self.client = client
        self.claims: dict[int, dict] = {}
        self.updated_since: str | None = None
        self.deleted_since: str | None = None

    def sync(self) -> None:
        params = {"updated_since": self.updated_since} if self.updated_since else {}
        for row in walk(self.client, DUMP, params):
            self.claims[row["id"]] = row
            self.updated_since = max(self.updated_since or "", row["updated_at"])
        params = {"since": self.deleted_since} if self.deleted_since else {}
        for tombstone in walk(self.client, "/api/v1/claims/deletions/", params):
            self.claims.pop(tombstone["id"], None)
            self.deleted_since = max(self.deleted_since or "", tombstone["withdrawn_at"])


def public_set(client) -> dict[int, dict]:
    return {row["id"]: row for row in walk(client, DUMP, {})}


def draft(**fields) -> Claim:
    return ClaimFactory(**fields)


def test_dump_and_deletions_replay_to_exactly_the_public_set(api_client, editor, superuser):
    battle, source = BattleFactory(), SourceFactory()
    same = {"battle": battle, "claimant": source}
    a, b, c, parent, e, f = (draft(**same) for _ in range(6))
    part = draft(part_of=parent, **same)
    doomed_article = ArticleFactory()
    g = draft(article=doomed_article, **same)
    h = draft(**same)
    reporter = ArticleFactory()
    h_again = draft(article=reporter, **same)  # the same claim, reported by another article
    client = SyncClient(api_client)

    def step(*changes) -> None:
        for change in changes:
            change()
        client.sync()
        assert client.claims == public_set(api_client)

    def approve(claim: Claim):
        return lambda: claim_approve(claim=claim, user=editor)

    # Approvals, a part of a claim, another article reporting a claim.
    step(*(approve(claim) for claim in (a, b, c, parent, part, e, f, g, h)))
    step(lambda: claim_mark_report_of(claim=h_again, original=h, user=editor))
    assert [report["id"] for report in client.claims[h.pk]["reports"]] == [reporter.pk]
    # Sent back, corrected (back in review), merged into another claim.
    step(
        lambda: claim_return_to_draft(claim=b, user=editor),
        lambda: claim_update(claim=c, user=editor, data={"figure_low": 9, "figure_high": 9}),
        lambda: claim_mark_report_of(claim=a, original=e, user=editor),
    )
    assert {a.pk, b.pk, c.pk}.isdisjoint(client.claims)
    # The corrected claim approved again; the parent withdrawn, so its part loses `parent`;
    # a claim deleted; an article deleted with its claim and its report of another claim.
    step(
        approve(c),
        lambda: claim_return_to_draft(claim=parent, user=editor),
        lambda: claim_delete(claim=f, user=superuser),
        lambda: article_delete(article=doomed_article, user=superuser),
        lambda: article_delete(article=reporter, user=superuser),
    )
    assert client.claims[part.pk]["parent"] is None
    assert client.claims[h.pk]["reports"] == []
    # Withdrawn and approved again between two syncs; rejected after being sent back.
    step(
        lambda: claim_return_to_draft(claim=e, user=editor),
        approve(e),
        approve(parent),
        lambda: claim_reject(claim=b, user=editor, reason="counted twice"),
    )
    assert client.claims[part.pk]["parent"] == parent.pk
    # A client starting from nothing ends in the same place.
    fresh = SyncClient(api_client)
    fresh.sync()
    assert fresh.claims == client.claims
    assert set(client.claims) == set(
        Claim.objects.filter(status=Claim.Status.APPROVED).values_list("pk", flat=True)
    )
