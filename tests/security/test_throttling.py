"""API throttling holds for writes as for reads: a client over its rate gets 429 with
Retry-After, and the refused upload is not saved. (Reads: tests/api/test_http.py.)"""

import pytest

from claims.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }


def test_uploads_over_the_rate_get_429_and_are_not_saved(
    low_rates, token_client, editor, django_capture_on_commit_callbacks
):
    client = token_client(editor)
    with django_capture_on_commit_callbacks(execute=False):
        answers = [
            client.post("/api/v1/articles/", {"text": f"About {n}00 soldiers were killed."})
            for n in range(1, 5)
        ]

    assert [a.status_code for a in answers] == [202, 202, 202, 429]
    assert answers[-1].json()["code"] == "throttled" and answers[-1]["Retry-After"]
    assert Article.objects.count() == 3


def test_anonymous_clients_are_counted_apart_from_each_other(low_rates, api_client):
    first = [api_client.get("/api/v1/battles/", REMOTE_ADDR="10.0.0.1").status_code for _ in "abc"]
    other = api_client.get("/api/v1/battles/", REMOTE_ADDR="10.0.0.2").status_code

    assert first == [200, 200, 429]
    assert other == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(low_rates, api_client):
    answers = [
        api_client.get("/api/v1/battles/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]


def test_behind_one_proxy_clients_are_told_apart_by_the_address_it_adds(
    low_rates, api_client, settings
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    forged_then_real = [
        api_client.get(
            "/api/v1/battles/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7"
        ).status_code
        for n in range(3)
    ]
    assert forged_then_real == [200, 200, 429]
