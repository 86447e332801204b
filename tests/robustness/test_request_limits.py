"""Bodies over the upload limit are refused from their Content-Length, before anything reads
them, with a 413 that says the limit: a page in the admin, the API's error body in the API."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import Article

pytestmark = pytest.mark.django_db

ADMIN_UPLOAD = reverse("admin:claims_article_upload")
API_UPLOAD = "/api/v1/articles/"
TOO_MUCH = "About 300 soldiers were killed. " * (11 * 1024 * 1024 // 32)


def test_pasted_text_over_the_limit_gets_a_413_page_that_states_the_limit(client, editor):
    client.force_login(editor)
    response = client.post(ADMIN_UPLOAD, {"text": TOO_MUCH})

    assert response.status_code == 413
    assert "an upload may be at most 10,485,760 bytes" in response.content.decode()
    assert not Article.objects.exists()


def test_json_text_over_the_limit_gets_the_api_error_body(token_client, editor):
    response = token_client(editor).post(API_UPLOAD, {"text": TOO_MUCH}, format="json")

    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "request_too_large"
    assert "at most 10,485,760 bytes" in body["detail"]


def test_the_limit_is_checked_before_the_body_is_read(client, editor):
    # The header claims a gigabyte and the body is one byte: reading it would hang or break.
    client.force_login(editor)
    response = client.generic(
        "POST", ADMIN_UPLOAD, b"x", content_type="text/plain", CONTENT_LENGTH=str(2**30)
    )

    assert response.status_code == 413


def test_the_bulk_upload_takes_several_files_up_to_ten_times_the_limit(client, editor):
    client.force_login(editor)
    bulk = reverse("admin:claims_article_bulk_upload")
    response = client.generic(
        "POST", bulk, b"x", content_type="text/plain", CONTENT_LENGTH=str(20 * 1024 * 1024)
    )
    assert response.status_code != 413
    response = client.generic(
        "POST", bulk, b"x", content_type="text/plain", CONTENT_LENGTH=str(2**30)
    )
    assert response.status_code == 413


def test_ordinary_requests_pass(client):
    assert client.get("/").status_code == 200


def test_ingest_articles_refuses_an_oversized_file_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as file:
        file.truncate(11 * 1024 * 1024)  # sparse: no 11 MB written to disk

    def no_reading(self):
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    err = StringIO()
    call_command("ingest_articles", str(big), stdout=StringIO(), stderr=err)

    assert "refused: big.txt is 11,534,336 bytes; the limit is 10,485,760." in err.getvalue()
