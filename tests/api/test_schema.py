"""The OpenAPI schema, its docs page, and a schemathesis run against the schema."""

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode

from claims.models import Claim
from claimsite.wsgi import application
from tests.factories import (
    ArticleFactory,
    BattleFactory,
    ClaimFactory,
    ConflictFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_spectacular_validates_the_schema_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    paths = yaml.safe_load(target.read_text())["paths"]
    assert {
        "/api/v1/claims/",
        "/api/v1/claims/dump/",
        "/api/v1/claims/{id}/",
        "/api/v1/battles/{slug}/summary/",
        "/api/v1/sources/{slug}/",
        "/api/v1/articles/",
        "/api/v1/articles/{id}/status/",
    } <= set(paths)
    claim_filters = {p["name"] for p in paths["/api/v1/claims/"]["get"]["parameters"]}
    assert {"battle", "overlaps", "updated_since", "q", "ordering", "page_size"} <= claim_filters


def test_only_operations_that_need_a_token_carry_a_security_requirement(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]

    secured = {
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if operation.get("security")
    }

    # Swagger UI draws a lock on every operation with one: not on the public reads.
    assert secured == {("POST", "/api/v1/articles/"), ("GET", "/api/v1/articles/{id}/status/")}


def test_api_root_says_what_the_api_is_and_links_its_documentation(api_client):
    root = api_client.get("/api/v1/").json()

    assert "casualty claims" in root["about"]
    assert root["docs"] == "http://testserver/api/v1/docs/"
    assert root["redoc"] == "http://testserver/api/v1/redoc/"
    assert root["schema"] == "http://testserver/api/v1/schema/"
    assert root["claims"] == "http://testserver/api/v1/claims/"


def test_browsable_api_root_is_ours_not_the_stock_page(client):
    html = client.get("/api/v1/", HTTP_ACCEPT="text/html").content.decode()

    assert "<title>claimsite API – claimsite API</title>" not in html
    assert "claimsite API" in html and 'href="/api/v1/docs/"' in html
    assert "The default basic root view" not in html
    assert "Django REST framework" not in html
    assert "favicon.svg" in html


def test_schema_endpoint_serves_openapi_3(api_client):
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_docs_page_loads_swagger_ui_from_our_static_files(client):
    html = client.get("/api/v1/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


KNOWN_SLUGS = {"battle": "known-battle", "claimant": "known-claimant", "conflict": "known-war"}


@pytest.fixture
def generated_request_data(db, settings):
    # Throttling would answer 429 to most generated requests and hide what they test.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    claim = ClaimFactory(
        status=Claim.Status.APPROVED,
        battle=BattleFactory(
            slug=KNOWN_SLUGS["battle"], conflict=ConflictFactory(name="Known War")
        ),
        claimant=SourceFactory(slug=KNOWN_SLUGS["claimant"]),
    )
    claim.reported_by.add(ArticleFactory())
    ClaimFactory(status=Claim.Status.DRAFT)
    # Requests go straight to the WSGI app, not through Django's test client, so do what the
    # client does: keep the test's database connection open across requests (PostgreSQL
    # would otherwise close it at the end of the first one).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded through the WSGI app itself: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


def _made_valid_beyond_the_schema(case) -> None:
    """Rules a schema cannot state, applied to a request generated as valid: which slugs
    exist is data (an unknown one is refused, 400, by design), so it names the battle,
    claimant and conflict the test made; an `overlaps` range has its LOW first."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE or not case.query:
        return
    for name, slug in KNOWN_SLUGS.items():
        if name in case.query:
            case.query[name] = slug
    # A `fields=` answer holds only the fields named, which no response schema can tie to
    # the query (tests/api/test_formats.py checks those answers).
    case.query.pop("fields", None)
    if isinstance(case.query.get("overlaps"), str) and "," in case.query["overlaps"]:
        low, high = sorted(case.query["overlaps"].split(","), key=int)
        case.query["overlaps"] = f"{low},{high}"


# An upload's acceptance depends on what the file holds and on giving a file or a text, not
# both: no schema says that, so only its refusals are checked against the schema.
CONTENT_DEPENDENT = {("POST", "/api/v1/articles/")}


# Bounded so the suite stays fast: a few examples per operation, no deadline on a shared CPU.
# Every check schemathesis has: no 5xx, and status codes, content types and bodies as the
# schema documents them, for anonymous clients and for an editor's token.
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_the_api_answers_as_its_schema_says(case, who, generated_request_data, editor):
    _made_valid_beyond_the_schema(case)
    headers = {}
    if who == "editor":
        token, _ = Token.objects.get_or_create(user=editor)
        headers["Authorization"] = f"Token {token.key}"
    excluded = []
    if (case.operation.method.upper(), case.operation.path) in CONTENT_DEPENDENT:
        excluded.append(schemathesis.checks.positive_data_acceptance)
    case.call_and_validate(headers=headers, excluded_checks=excluded)


@pytest.mark.parametrize(
    "query",
    ["page=", "page_size=", "page=1&page=2", "q=one&q=two", "ordering="],
)
def test_an_empty_page_or_a_parameter_given_twice_is_refused(api_client, query):
    response = api_client.get(f"/api/v1/claims/?{query}")

    if query == "ordering=":  # an empty filter is no filter, as the schema says
        assert response.status_code == 200
    else:
        assert response.status_code == 400, query
        assert response.json()["fields"]


def test_an_empty_dump_cursor_is_refused(api_client):
    assert api_client.get("/api/v1/claims/dump/?cursor=").status_code == 400


def test_several_battles_may_still_be_given(api_client):
    first, second = (
        ClaimFactory(status=Claim.Status.APPROVED),
        ClaimFactory(status=Claim.Status.APPROVED),
    )
    query = f"battle={first.battle.slug}&battle={second.battle.slug}"

    assert api_client.get(f"/api/v1/claims/?{query}").json()["count"] == 2


def test_a_path_no_api_route_matches_answers_the_api_error_body(api_client, client):
    response = api_client.get("/api/v1/claims/not-a-number/")

    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "detail": "Not found.",
        "fields": {},
    }
    assert "text/html" in client.get("/no-such-page/")["Content-Type"]


@pytest.mark.parametrize("field", ["author", "title", "outlet", "text"])
def test_an_upload_field_that_is_not_text_is_refused(token_client, editor, field):
    body = {"text": "The ministry said 400 soldiers were killed.", field: 12345}

    response = token_client(editor).post("/api/v1/articles/", body, format="json")

    assert response.status_code == 400 and field in response.json()["fields"]


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://news.example.org/2024/report?id=3", True),
        ("HTTP://example.org", True),
        ("ftp://example.org/file", False),
        ("https://localhost", False),
        ("https://exa mple.org", False),
    ],
)
def test_an_upload_url_is_checked_against_the_pattern_the_schema_states(
    token_client, editor, url, accepted
):
    body = {"text": f"The ministry said 400 soldiers were killed ({url}).", "url": url}

    response = token_client(editor).post("/api/v1/articles/", body, format="json")

    assert (response.status_code == 202) is accepted, response.content


@pytest.mark.parametrize("ordering", [",", ",,"])
def test_an_ordering_of_no_field_keeps_the_lists_own_order(api_client, ordering):
    claims = ClaimFactory.create_batch(3, status=Claim.Status.APPROVED)
    plain = api_client.get("/api/v1/claims/").json()["results"]

    response = api_client.get("/api/v1/claims/", {"ordering": ordering})

    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [c["id"] for c in plain]
    assert len(plain) == len(claims)
