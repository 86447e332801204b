"""A corpus of hostile values, sent in every filter of the API and the battle pages, in
headers and in upload bodies: each answer is 2xx or 4xx, never a 5xx."""

import pytest

from claims.filtersets import ClaimFilterSet
from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    # empty, white space, control characters
    "",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x7f",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\x0b\x0c",
    # long
    "x" * 10_000,
    "9" * 400,
    "-" + "9" * 400,
    "1" * 19,
    "1" * 309,
    "9" * 310 + ".5",
    # numbers
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1.5",
    "0x10",
    "0b101",
    "1_000",
    "\u0661\u0662\u0663",
    "\u00b2",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "00000000000000000001",
    "+5",
    "5-",
    "1,000",
    "1.000",
    "1 000",
    "\u0967\u0968",
    # dates and date-times
    "2024-02-30",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2024-13-01",
    "-2024-01-01",
    "2024-1-1",
    "20240101",
    "yesterday",
    "2024-01-01T00:00:00+16:00",
    "2024-01-01T00:00:00-23:59",
    "2024-01-01T25:00:00",
    "2024-01-01T00:00:00+99:99",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "1970-01-01T00:00:00Z",
    "2024-01-01T00:00:00.123456789Z",
    "2024-01-01 00:00",
    "2024-W01-1",
    "2024-001",
    # ranges and lists
    ",",
    ",,",
    "1,",
    ",1",
    "1,2,3",
    "5,1",
    "1, 2",
    "a,b",
    "-1,5",
    "1,99999999999999999999",
    "0,0",
    "1;2",
    "[1,2]",
    # orderings
    "-",
    "--figure",
    "figure,figure",
    "id",
    "?",
    "claim_date,-claim_date",
    "-updated_at,",
    # injection and markup
    "' OR 1=1 --",
    '"; DROP TABLE claims_claim; --',
    "<script>alert(1)</script>",
    "{{7*7}}",
    "${jndi:ldap://example.invalid/a}",
    "%00",
    "%",
    "_",
    "\\",
    "%%",
    "\\x00",
    "../../etc/passwd",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+1+1",
    "javascript:alert(1)",
    "' UNION SELECT password FROM auth_user --",
    "*",
    "()",
    "[]",
    "{}",
    "null",
    "true",
    # unicode
    "\U0001f600" * 100,
    "\u02bc",
    "\uff22\uff41\uff4b\uff48\uff4d\uff55\uff54",
    "\u0130",
    "e\u0301" * 1000,
    "\u0000\u0000",
    "\u2028",
    "\u00a0",
    "\U0010ffff",
    # slugs
    "a" * 300,
    "UPPER",
    "with space",
    "slug/with/slashes",
    "-leading-dash",
    "known-battle",
]


def test_the_corpus_has_at_least_a_hundred_kinds():
    assert len(set(HOSTILE_VALUES)) >= 100


@pytest.fixture
def battle_slug():
    return ClaimFactory(status=Claim.Status.APPROVED).battle.slug


def _answer(client, path, params, **headers) -> int:
    response = client.get(path, params, **headers)
    if response.streaming:
        b"".join(response.streaming_content)  # to its end: a failure while streaming shows
    return response.status_code


def _filters_accepting(value: str) -> list[str]:
    """The filters whose validation lets `value` through to the query."""
    return [
        name
        for name in ClaimFilterSet.base_filters
        if ClaimFilterSet(data={name: value}, queryset=Claim.objects.none()).is_valid()
    ]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=range(len(HOSTILE_VALUES)))
def test_no_filter_value_makes_a_server_error(client, battle_slug, value):
    list_paths = ["/api/v1/claims/", f"/battles/{battle_slug}/"]
    csv_paths = ["/api/v1/claims/?format=csv", f"/battles/{battle_slug}/claims.csv"]
    answers = {}
    # Every filter at once: each one's validation, in the API, the page and the CSVs.
    every_filter = {name: value for name in ClaimFilterSet.base_filters}
    for path in list_paths + csv_paths:
        answers[(path, "every filter")] = _answer(client, path, every_filter)
    # Each filter that takes the value, alone: the value reaches the database.
    for name in _filters_accepting(value):
        answers[("/api/v1/claims/", name)] = _answer(client, "/api/v1/claims/", {name: value})
        csv_path = f"/battles/{battle_slug}/claims.csv"
        answers[(csv_path, name)] = _answer(client, csv_path, {name: value})
    for name in ("page", "page_size", "cursor", "sort"):
        path = "/api/v1/claims/dump/" if name == "cursor" else "/api/v1/claims/"
        if name == "sort":
            path = f"/battles/{battle_slug}/"
        answers[(path, name)] = _answer(client, path, {name: value})

    server_errors = {where: status for where, status in answers.items() if status >= 500}
    assert not server_errors


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_IF_NONE_MATCH": "\x00" * 100},
        {"HTTP_IF_NONE_MATCH": '"' * 5000},
        {"HTTP_IF_MODIFIED_SINCE": "Mon, 32 Foo 99999 99:99:99 GMT"},
        {"HTTP_IF_MODIFIED_SINCE": "0"},
        {"HTTP_ACCEPT": "text/csv;q=abc, */*;q=-1"},
        {"HTTP_ACCEPT": "application/x-unknown"},
        {"HTTP_ACCEPT_LANGUAGE": "x" * 5000},
        # A server hands headers over as latin-1 text: UTF-8 bytes arrive so.
        {"HTTP_AUTHORIZATION": "Token " + ("\U0001f600" * 10).encode().decode("latin-1")},
        {"HTTP_AUTHORIZATION": "Token a b c"},
        {"HTTP_AUTHORIZATION": "Basic !!!"},
        {"HTTP_X_FORWARDED_FOR": "not-an-address, ::::, 999.1.1.1"},
        {"HTTP_HOST": "testserver:99999"},
    ],
)
def test_no_header_value_makes_a_server_error(client, battle_slug, headers):
    for path in ("/api/v1/claims/", "/api/v1/claims/?format=csv", f"/battles/{battle_slug}/"):
        assert _answer(client, path, {}, **headers) < 500, path


@pytest.mark.parametrize(
    "body",
    [
        {"text": "\x00"},
        {"text": "x", "published": "9999-99-99"},
        {"text": "x", "published": 20240101},
        {"text": ["a", "b"]},
        {"text": {"nested": "object"}},
        {"text": "x", "url": "https://" + "a" * 3000 + ".org"},
        {"text": "x", "title": "t" * 10_000},
        {"text": "x", "file": "not a file"},
        {"text": None},
        {},
        [],
        "just a string",
        {"text": "x", "unknown_field": "\U0001f600"},
        {"text": "The ministry said " + "9" * 400 + " soldiers were lost."},
    ],
    ids=range(14),
)
def test_no_json_upload_body_makes_a_server_error(token_client, editor, body):
    response = token_client(editor).post("/api/v1/articles/", body, format="json")

    assert response.status_code < 500, response.content
