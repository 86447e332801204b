"""Crafted query values and bodies answer 2xx or 4xx with a clear message, on the API and the
pages alike: never a 500, never a 200 cut short."""

import base64
import csv
import io
from datetime import UTC, datetime

import pytest

from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return ClaimFactory(status=Claim.Status.APPROVED)


def _paths(claim) -> list[str]:
    slug = claim.battle.slug
    return [
        "/api/v1/claims/",
        "/api/v1/claims/dump/",
        "/api/v1/claims/?format=csv",
        f"/battles/{slug}/",
        f"/battles/{slug}/claims.csv",
    ]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("offset", ["+16:00", "-23:59", "+15:59"])
def test_an_offset_postgresql_refuses_is_read_as_the_same_moment_in_utc(client, claim, offset):
    # Python takes offsets up to ±23:59; the claim was updated after 2000 in any of them.
    for path in _paths(claim):
        joiner = "&" if "?" in path else "?"
        since = f"2000-01-01T00:00:00{offset}".replace("+", "%2B")
        response = client.get(f"{path}{joiner}updated_since={since}")

        assert response.status_code == 200, path
        assert str(claim.pk).encode() in _body(response), path


def test_a_moment_utc_cannot_hold_is_refused_with_the_reason(client, claim):
    since = "9999-12-31T23:00:00-05:00"
    api = client.get(f"/api/v1/claims/?updated_since={since}")
    page_csv = client.get(f"/battles/{claim.battle.slug}/claims.csv?updated_since={since}")

    assert api.status_code == 400
    assert api.json()["fields"]["updated_since"] == ["This date-time is out of range in UTC."]
    assert page_csv.status_code == 400 and b"out of range in UTC" in page_csv.content


def test_a_moment_in_utc_selects_what_changed_since_then(client, claim):
    later = datetime(2100, 1, 1, tzinfo=UTC).isoformat().replace("+", "%2B")

    response = client.get(f"/api/v1/claims/?updated_since={later}")

    assert response.status_code == 200 and response.json()["count"] == 0


def _cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor("p=abc"),
        _cursor("p=1.5"),
        _cursor(f"p={2**64}"),
        _cursor("o=-1"),
        _cursor("r=x"),
        "not base64 at all!",
    ],
)
def test_a_dump_cursor_that_was_not_ours_is_refused_with_the_reason(api_client, claim, cursor):
    response = api_client.get("/api/v1/claims/dump/", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["fields"]["cursor"] == [
        "Invalid cursor: follow the next or previous link of an earlier page."
    ]


def test_a_dump_cursor_of_ours_still_works(api_client):
    claims = ClaimFactory.create_batch(3, status=Claim.Status.APPROVED)
    first = api_client.get("/api/v1/claims/dump/", {"page_size": 2}).json()

    second = api_client.get(first["next"]).json()

    assert [c["id"] for c in first["results"] + second["results"]] == [c.pk for c in claims]


def test_a_json_upload_nested_too_deeply_is_a_400(token_client, editor):
    body = "[" * 100_000 + "]" * 100_000

    response = token_client(editor).post("/api/v1/articles/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "JSON parse error - the body is nested too deeply."


def test_a_csv_whose_query_fails_answers_an_error_not_a_cut_200(client, claim, monkeypatch):
    from django.db import OperationalError

    from claims import exports

    def database_gone(*args, **kwargs):
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(exports, "_battle_csv_row", database_gone)

    response = client.get(f"/battles/{claim.battle.slug}/claims.csv")

    assert response.status_code == 503


def test_the_battle_csv_with_no_rows_is_the_header_alone(client, claim):
    response = client.get(f"/battles/{claim.battle.slug}/claims.csv?side=nobody")

    rows = list(csv.reader(io.StringIO(_body(response).decode())))
    assert response.status_code == 200 and len(rows) == 1 and rows[0][0] == "id"
