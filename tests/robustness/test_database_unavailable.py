"""A database that is away (restarting, unreachable) gives a short 503 with Retry-After, never
a 500 traceback page, on pages and in the API alike."""

import pytest
from django.db import InterfaceError, OperationalError

from claims import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[OperationalError, InterfaceError])
def database_down(request, monkeypatch):
    def down(*args, **kwargs):
        raise request.param("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "battle_list_summary", down)
    monkeypatch.setattr(selectors, "claim_list_api", down)


def test_a_page_answers_503_with_retry_after(client, database_down):
    client.raise_request_exception = False
    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "briefly unavailable" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_the_api_answers_503_in_its_error_body(client, database_down):
    client.raise_request_exception = False
    response = client.get("/api/v1/claims/")

    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"


def test_other_errors_are_left_to_django(client, monkeypatch):
    def bug(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(selectors, "battle_list_summary", bug)
    client.raise_request_exception = False
    assert client.get("/").status_code == 500
