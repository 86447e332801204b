"""POST /api/v1/articles/ and the status URL it answers with."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

UPLOAD = "/api/v1/articles/"
TEXT = "Around 20,000 Russian troops were killed near Bakhmut, the ministry said on Monday."


def test_anonymous_upload_is_refused_with_401(api_client):
    response = api_client.post(UPLOAD, {"text": TEXT})

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Article.objects.exists()


def test_token_without_the_ingest_permission_is_refused_with_403(token_client):
    response = token_client(UserFactory()).post(UPLOAD, {"text": TEXT})

    assert response.status_code == 403
    assert "claims.add_article" in response.json()["detail"]
    assert not Article.objects.exists()


def test_editor_uploads_text_and_gets_202_with_the_status_url(
    token_client, editor, django_capture_on_commit_callbacks
):
    client = token_client(editor)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(UPLOAD, {"text": TEXT, "title": "Losses", "outlet": "Daily"})

    assert response.status_code == 202, response.content
    body = response.json()
    article = Article.objects.get()
    assert body["created"] is True and body["id"] == article.id and body["status"] == "queued"
    assert body["status_url"] == f"http://testserver/api/v1/articles/{article.id}/status/"
    assert response["Location"] == body["status_url"]
    assert article.uploaded_by == editor and article.title == "Losses"
    assert article.outlet.name == "Daily"
    assert client.get(body["status_url"]).json()["status"] == "queued"


def test_the_status_url_shows_parsed_once_the_article_was_parsed(
    token_client, editor, django_capture_on_commit_callbacks
):
    client = token_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        status_url = client.post(UPLOAD, {"text": TEXT}).json()["status_url"]

    status = client.get(status_url).json()

    assert status["status"] == "parsed" and status["parsed_at"] and status["error"] == ""


def test_editor_uploads_an_html_file_which_the_worker_reads(
    token_client, editor, django_capture_on_commit_callbacks
):
    html = f"<html><head><title>Front line</title></head><body><p>{TEXT}</p></body></html>"
    upload = SimpleUploadedFile("report.html", html.encode(), content_type="text/html")

    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(editor).post(
            UPLOAD, {"file": upload, "published": "2024-02-03"}, format="multipart"
        )

    assert response.status_code == 202, response.content
    article = Article.objects.get()
    assert "20,000 Russian troops" in article.body
    assert article.title == "Front line"  # from the page, as the uploader gave none
    assert article.published_date.isoformat() == "2024-02-03"


def test_a_large_html_upload_answers_before_the_page_is_read(
    token_client, editor, django_capture_on_commit_callbacks, monkeypatch
):
    # Issue 17 item 10: a 50,000-paragraph page held a web thread for 24.7 s while it was read.
    from ingest import documents

    pages_read = []
    html_to_text = documents.html_to_text
    monkeypatch.setattr(
        documents, "html_to_text", lambda html: pages_read.append(1) or html_to_text(html)
    )
    paragraphs = "".join(f"<p>Villages were shelled overnight ({i}).</p>" for i in range(50_000))
    html = f"<html><body><article><p>{TEXT}</p>{paragraphs}</article></body></html>"
    upload = SimpleUploadedFile("long.html", html.encode(), content_type="text/html")
    client = token_client(editor)

    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        response = client.post(UPLOAD, {"file": upload}, format="multipart")

    assert response.status_code == 202, response.content
    assert pages_read == []
    article = Article.objects.get()
    assert (article.status, article.body, article.content_hash) == ("queued", "", "")
    assert bytes(article.original_content) == html.encode()
    assert client.get(response.json()["status_url"]).json()["status"] == "queued"

    for send in enqueued:  # the worker's turn
        send()

    assert pages_read == [1]
    article.refresh_from_db()
    assert article.status == Article.Status.PARSED, article.error
    assert article.body.startswith(TEXT) and "shelled overnight (49999)" in article.body
    assert article.claims.filter(figure_low=20_000).exists()
    assert client.get(response.json()["status_url"]).json()["status"] == "parsed"


def test_a_page_without_article_text_fails_with_the_reason_on_its_status(
    token_client, editor, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("nav.html", b"<html><body><nav></nav></body></html>")
    client = token_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {"file": upload}, format="multipart")

    assert response.status_code == 202
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "failed"
    assert status["error"] == "nav.html: The HTML page has no readable article text."


def test_the_same_text_twice_answers_200_with_the_existing_article(token_client, editor):
    client = token_client(editor)
    first = client.post(UPLOAD, {"text": TEXT}).json()

    again = client.post(UPLOAD, {"text": TEXT})

    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["id"] == first["id"]
    assert "already" in again.json()["message"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, None),
        ({"text": TEXT, "file": "not a file"}, "file"),
        ({"text": TEXT, "url": "not a url"}, "url"),
        ({"text": TEXT, "published": "last tuesday"}, "published"),
    ],
)
def test_bad_uploads_are_a_400_with_the_error_body(token_client, editor, data, field):
    response = token_client(editor).post(UPLOAD, data, format="multipart")

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid" and body["detail"]
    assert list(body["fields"]) == ([field] if field else [])


def test_an_upload_over_the_size_limit_is_refused_by_name(token_client, editor, settings):
    settings.UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.txt", b"x" * 500, content_type="text/plain")

    response = token_client(editor).post(UPLOAD, {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert "big.txt" in response.json()["fields"]["file"][0]
    assert not Article.objects.exists()


def test_status_is_for_the_uploader_and_editors_only(api_client, token_client, editor, viewer):
    uploader = UserFactory()
    uploader.user_permissions.add(Permission.objects.get(codename="add_article"))
    article = ArticleFactory(
        uploaded_by=uploader, status=Article.Status.FAILED, error="ValueError: bad bytes"
    )
    url = f"/api/v1/articles/{article.id}/status/"

    assert api_client.get(url).status_code == 401
    assert token_client(UserFactory()).get(url).status_code == 403
    for user in (uploader, editor, viewer):
        response = token_client(user).get(url)
        assert response.status_code == 200
        assert response.json()["status"] == "failed"
        assert response.json()["error"] == "ValueError: bad bytes"
    assert token_client(editor).get("/api/v1/articles/999999/status/").status_code == 404
