"""The OpenAPI schema, its docs page, and a schemathesis run against the schema."""

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from claims.models import Claim
from claimsite.wsgi import application
from tests.factories import ArticleFactory, ClaimFactory

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


@pytest.fixture
def generated_request_data(db, settings):
    # Throttling would answer 429 to most generated requests and hide what they test.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    claim = ClaimFactory(status=Claim.Status.APPROVED)
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


# Bounded so the suite stays fast: a few examples per operation, no deadline on a shared CPU.
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_no_generated_request_causes_a_server_error(case, generated_request_data):
    case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])
