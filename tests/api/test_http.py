"""CORS, throttling and the docs page in a real browser."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_cors_lets_browser_tools_read_and_revalidate(api_client):
    response = api_client.get("/api/v1/claims/", HTTP_ORIGIN="https://tool.example")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "etag" in response["Access-Control-Expose-Headers"].lower()


def test_cors_preflight_allows_reads_but_not_uploads(api_client):
    response = api_client.options(
        "/api/v1/articles/",
        HTTP_ORIGIN="https://tool.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    allowed = response["Access-Control-Allow-Methods"]
    assert "GET" in allowed and "POST" not in allowed


def test_anonymous_reads_are_throttled_from_settings(api_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "5/minute"},
    }
    assert api_client.get("/api/v1/battles/").status_code == 200
    assert api_client.get("/api/v1/battles/").status_code == 200

    refused = api_client.get("/api/v1/battles/")

    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled" and refused["Retry-After"]


def test_authenticated_reads_get_the_more_generous_rate(token_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "3/minute"},
    }
    client = token_client(UserFactory())

    assert [client.get("/api/v1/battles/").status_code for _ in range(4)] == [200, 200, 200, 429]


@pytest.mark.browser
def test_docs_page_renders_the_operations_without_console_errors(live_server, page, screenshot):
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/claims/", timeout=15000)

    screenshot("api-docs")
    assert page.console_errors == []
    assert page.locator(".opblock").count() >= 10
