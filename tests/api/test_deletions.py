"""GET /api/v1/claims/deletions/: tombstones for sync clients, and the dump's link to them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimWithdrawal
from claims.services import claim_mark_report_of, claim_return_to_draft
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

DELETIONS = "/api/v1/claims/deletions/"


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


def test_anyone_can_list_withdrawn_claims_with_when_and_why(api_client, editor):
    original, copy, returned = approved(), approved(), approved()
    claim_mark_report_of(claim=copy, original=original, user=editor)
    claim_return_to_draft(claim=returned, user=editor)

    response = api_client.get(DELETIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {copy.pk, returned.pk}
    assert rows[copy.pk]["reason"] == "merged"
    assert rows[copy.pk]["merged_into"] == original.pk
    assert rows[returned.pk]["reason"] == "returned_to_draft"
    assert rows[returned.pk]["merged_into"] is None
    assert set(rows[copy.pk]) == {"id", "withdrawn_at", "reason", "merged_into"}


def test_since_keeps_only_later_withdrawals(api_client):
    now = timezone.now()
    ClaimWithdrawal.objects.create(
        claim_id=7, withdrawn_at=now - timedelta(days=2), reason="deleted"
    )
    ClaimWithdrawal.objects.create(claim_id=8, withdrawn_at=now, reason="deleted")

    since = (now - timedelta(days=1)).isoformat()
    response = api_client.get(DELETIONS, {"since": since})

    assert [row["id"] for row in response.json()["results"]] == [8]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"since": "yesterday"}, "since"), ({"updated_since": "2024-01-01"}, "updated_since")],
)
def test_bad_parameters_are_a_400_naming_them(api_client, params, field):
    response = api_client.get(DELETIONS, params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_the_list_is_read_only_even_with_a_token(api_client, token_client, superuser):
    ClaimWithdrawal.objects.create(claim_id=5, withdrawn_at=timezone.now(), reason="deleted")
    for client in (api_client, token_client(superuser)):
        assert client.post(DELETIONS, {"id": 9}).status_code == 405
        assert client.delete(DELETIONS).status_code == 405
    assert client.get(f"{DELETIONS}5/").status_code == 404
    assert ClaimWithdrawal.objects.count() == 1


def test_a_cursor_walks_every_tombstone_once(api_client):
    now = timezone.now()
    for claim_id in range(1, 8):
        # Several at the same instant: the claim id orders them.
        ClaimWithdrawal.objects.create(
            claim_id=claim_id, withdrawn_at=now + timedelta(seconds=claim_id // 3), reason="deleted"
        )
    seen, url = [], f"{DELETIONS}?page_size=3"
    while url:
        page = api_client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == list(range(1, 8))


def test_query_count_does_not_grow_with_rows(api_client, editor, django_assert_num_queries):
    for _ in range(20):
        original, copy = approved(), approved()
        claim_mark_report_of(claim=copy, original=original, user=editor)
    with django_assert_num_queries(1):  # the tombstones, with the merge targets' status
        assert len(api_client.get(DELETIONS).json()["results"]) == 20


def test_the_dump_links_to_the_deletions_since_the_same_time(api_client):
    approved()
    plain = api_client.get("/api/v1/claims/dump/").json()
    assert plain["deletions"] == f"http://testserver{DELETIONS}"

    since = "2024-05-01T00:00:00Z"
    page = api_client.get("/api/v1/claims/dump/", {"updated_since": since}).json()
    assert page["deletions"] == f"http://testserver{DELETIONS}?since=2024-05-01T00%3A00%3A00Z"
    assert api_client.get(page["deletions"]).status_code == 200


def test_since_with_an_offset_postgresql_refuses_is_read_in_utc(api_client):
    ClaimWithdrawal.objects.create(claim_id=3, withdrawn_at=timezone.now(), reason="deleted")
    response = api_client.get(DELETIONS, {"since": "2024-01-01T00:00:00+23:00"})
    assert [row["id"] for row in response.json()["results"]] == [3]
    far = api_client.get(DELETIONS, {"since": "0001-01-01T00:00:00+01:00"})
    assert far.status_code == 400 and "since" in far.json()["fields"]
