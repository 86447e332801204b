"""Formats and fields of the claims API (issue 15, part 5): fields=, format=ndjson, integers."""

import csv
import io
import json

import pytest

from claims.models import Claim
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claims/"


def approved(**fields) -> Claim:
    return ClaimFactory(status=Claim.Status.APPROVED, **fields)


def ndjson(response) -> list[dict]:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/x-ndjson")
    text = b"".join(response.streaming_content).decode()
    assert text.endswith("\n") or text == ""
    return [json.loads(line) for line in text.splitlines()]


def test_fields_keeps_only_the_named_fields_in_list_dump_and_detail(api_client):
    claim = approved()
    wanted = {"id", "figure_low", "side"}
    for url in (
        f"{LIST}?fields=id,figure_low&fields=side",
        f"{LIST}dump/?fields=side,id,figure_low",
    ):
        rows = api_client.get(url).json()["results"]
        assert [set(row) for row in rows] == [wanted]
    detail = api_client.get(f"{LIST}{claim.pk}/", {"fields": "figure_low, contested"}).json()
    assert detail == {"figure_low": 1200, "contested": False}


def test_unknown_fields_are_a_400_listing_the_known_ones(api_client):
    response = api_client.get(LIST, {"fields": "id,figure,sidee"})
    assert response.status_code == 400
    message = response.json()["fields"]["fields"][0]
    assert "Unknown fields: figure, sidee." in message and "figure_low" in message


def test_fields_with_csv_is_a_400_saying_why(api_client):
    response = api_client.get(LIST, {"format": "csv", "fields": "id"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "fixed columns" in response.json()["detail"]


def test_ndjson_streams_every_matching_claim_as_the_list_shows_it(api_client, monkeypatch):
    monkeypatch.setattr("claims.api.ndjson.CHUNK_ROWS", 2)  # several chunks
    made = [approved(side="ukraine") for _ in range(5)]
    made[0].reported_by.add(ArticleFactory())
    approved(side="russia")

    lines = ndjson(api_client.get(LIST, {"format": "ndjson", "side": "ukraine"}))

    listed = api_client.get(LIST, {"side": "ukraine"}).json()["results"]
    assert lines == listed
    assert {line["id"] for line in lines} == {claim.pk for claim in made}


def test_ndjson_takes_fields_and_the_accept_header(api_client):
    approved()
    lines = ndjson(
        api_client.get(LIST, {"fields": "id,figure_high"}, HTTP_ACCEPT="application/x-ndjson")
    )
    assert [set(line) for line in lines] == [{"id", "figure_high"}]
    assert ndjson(api_client.get(LIST, {"format": "ndjson", "side": "nobody"})) == []


def test_ndjson_bad_filter_answers_a_json_error(api_client):
    response = api_client.get(LIST, {"format": "ndjson", "figure_min": "many"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "figure_min" in response.json()["fields"]


def test_ndjson_is_read_only(api_client, token_client, superuser):
    for client in (api_client, token_client(superuser)):
        assert client.post(LIST, {}).status_code == 405
        # A method the list does not take is refused as such, whatever the format.
        assert client.post(f"{LIST}?format=ndjson", {}).status_code == 405


def test_ndjson_query_count_is_one_per_chunk(api_client, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr("claims.api.ndjson.CHUNK_ROWS", 10)
    for _ in range(25):
        approved().reported_by.add(ArticleFactory())
    with django_assert_num_queries(1):  # freshness; the rows are read while streaming
        response = api_client.get(LIST, {"format": "ndjson"})
    # The rows (one query, read in chunks), the reporting articles of each of the three
    # chunks, and the savepoint pair of the stream's transaction.
    with django_assert_num_queries(6):
        assert len(ndjson(response)) == 25


def test_integer_columns_hold_only_whole_numbers(api_client):
    approved(qualifier="at_least", figure_low=20000, figure_high=None)
    approved(qualifier="at_most", figure_low=None, figure_high=500)
    approved(part_of=approved())
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(api_client.get(LIST, {"format": "csv"}).streaming_content).decode()
            )
        )
    )
    for row in rows:
        for column in ("id", "figure_low", "figure_high", "article_id", "parent"):
            assert row[column] == "" or row[column].isdigit(), (column, row[column])
    lines = ndjson(api_client.get(LIST, {"format": "ndjson"}))
    for line in lines:
        for field in ("id", "figure_low", "figure_high", "parent", "corroborations"):
            assert line[field] is None or type(line[field]) is int


def test_qualifier_and_claimant_kind_take_several_values(api_client):
    from tests.factories import SourceFactory

    floor = approved(qualifier="at_least", figure_high=None)
    ceiling = approved(qualifier="at_most", figure_low=None)
    approved()
    listed = api_client.get(f"{LIST}?qualifier=at_least&qualifier=at_most").json()["results"]
    assert {row["id"] for row in listed} == {floor.pk, ceiling.pk}

    army = approved(claimant=SourceFactory(kind="military"))
    state = approved(claimant=SourceFactory(kind="government"))
    listed = api_client.get(f"{LIST}?claimant_kind=military&claimant_kind=government").json()
    assert {row["id"] for row in listed["results"]} == {army.pk, state.pk}
    assert api_client.get(LIST, {"qualifier": "roughly"}).status_code == 400
