"""Uploading articles in the admin, one or several at a time, and having them parsed again.
Every path calls ingest.services; refusals come back as messages on the form, never a 500."""

from datetime import date

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:claims_article_upload")
BULK = reverse("admin:claims_article_bulk_upload")
ARTICLES = reverse("admin:claims_article_changelist")
TEXT = "Kyiv, June 3. The general staff said around 2,000 Russian soldiers were killed last week."


def upload_fields(**changes) -> dict:
    fields = {"text": "", "url": "", "title": "", "outlet": "", "author": "", "published": ""}
    fields.update(changes)
    return fields


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_editor_uploads_pasted_text_and_lands_on_the_queued_article(client, editor):
    client.force_login(editor)
    response = client.post(
        UPLOAD,
        upload_fields(
            text=TEXT,
            url="https://example.org/news/1",
            outlet="Example Wire",
            published="2024-06-03",
        ),
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_article_change", args=[article.pk])
    assert article.status == Article.Status.QUEUED
    assert article.uploaded_by == editor
    assert article.url == "https://example.org/news/1"
    assert article.outlet.name == "Example Wire"
    assert article.published_date == date(2024, 6, 3)
    assert bytes(article.original_content) == TEXT.encode()
    assert article.body == ""  # the worker reads it

    page = client.get(response["Location"])
    assert b'http-equiv="refresh"' in page.content
    assert f"Article {article.pk} queued for parsing." in messages_of(page)
    assert "Queued" in page.content.decode()


def test_editor_uploads_a_file(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("report.txt", TEXT.encode(), content_type="text/plain")
    response = client.post(UPLOAD, {**upload_fields(), "file": upload})
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.original_filename == "report.txt"
    assert bytes(article.original_content) == TEXT.encode()


def test_uploading_the_same_text_again_names_the_existing_article(client, editor):
    client.force_login(editor)
    client.post(UPLOAD, upload_fields(text=TEXT))
    existing = Article.objects.get()

    response = client.post(UPLOAD, upload_fields(text=TEXT))

    assert response.status_code == 200
    assert Article.objects.count() == 1
    content = response.content.decode()
    assert "Not added:" in content
    assert f'href="{reverse("admin:claims_article_change", args=[existing.pk])}"' in content
    assert "already has this text" in content


def test_an_oversized_file_is_a_form_error(client, editor, settings):
    settings.UPLOAD_MAX_BYTES = 50
    client.force_login(editor)
    upload = SimpleUploadedFile("long.txt", TEXT.encode(), content_type="text/plain")
    response = client.post(UPLOAD, {**upload_fields(), "file": upload})
    assert response.status_code == 200
    assert b"the limit is 50" in response.content
    assert not Article.objects.exists()


def test_a_file_the_worker_cannot_read_shows_why_on_the_article_page(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    upload = SimpleUploadedFile("page.html", b"<html><body><!-- nothing --></body></html>")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {**upload_fields(), "file": upload})
    article = Article.objects.get()
    assert article.status == Article.Status.FAILED

    page = client.get(response["Location"]).content.decode()
    assert "page.html: The HTML page has no readable article text." in page
    assert ">Retry</button>" in page
    assert 'http-equiv="refresh"' not in page


@pytest.mark.django_db(transaction=True)
def test_with_in_process_tasks_the_upload_says_at_once_why_a_file_could_not_be_read(client, editor):
    # No Redis (make serve): the upload commits at once and the worker runs in the request.
    client.force_login(editor)
    upload = SimpleUploadedFile("zeros.txt", b"About 300 \x00\x00 were killed.")
    response = client.post(UPLOAD, {**upload_fields(), "file": upload}, follow=True)

    article = Article.objects.get()
    assert messages_of(response) == [
        f"Article {article.pk} could not be read: zeros.txt: The file contains NUL bytes: "
        "it looks like a binary file, not text."
    ]


def test_the_same_text_in_other_bytes_is_marked_a_duplicate_once_read(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(UPLOAD, upload_fields(text=TEXT))
    first = Article.objects.get()
    upload = SimpleUploadedFile("copy.txt", ("\n" + TEXT + "\n").encode("utf-16"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, {**upload_fields(), "file": upload})
    copy = Article.objects.exclude(pk=first.pk).get()

    assert copy.status == Article.Status.DUPLICATE
    page = client.get(response["Location"]).content.decode()
    assert f"Not parsed: article {first.pk} (Article {first.pk}) already has this text." in page


def test_a_binary_file_is_a_form_error(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")
    response = client.post(UPLOAD, {**upload_fields(), "file": upload})
    assert response.status_code == 200
    assert b"errornote" in response.content
    assert not Article.objects.exists()


def test_upload_form_needs_a_file_or_text(client, editor):
    client.force_login(editor)
    response = client.post(UPLOAD, upload_fields())
    assert response.status_code == 200
    assert b"Choose a file or paste the text" in response.content
    assert not Article.objects.exists()


def test_bulk_upload_reports_each_file(client, editor):
    ArticleFactory(body=TEXT)  # the first file is already known
    client.force_login(editor)
    files = [
        SimpleUploadedFile("known.txt", TEXT.encode(), content_type="text/plain"),
        SimpleUploadedFile("new.txt", b"Some 40 tanks were destroyed.", content_type="text/plain"),
        SimpleUploadedFile("empty.txt", b"", content_type="text/plain"),
    ]
    response = client.post(BULK, {"files": files, "outlet": "Example Wire", "published": ""})

    assert response.status_code == 200
    assert Article.objects.count() == 2
    new = Article.objects.get(original_filename="new.txt")
    assert new.outlet.name == "Example Wire"
    assert new.uploaded_by == editor
    assert "1 new, 1 duplicate, 1 refused." in messages_of(response)
    rows = {row["name"]: row for row in response.context["results"]}
    assert rows["known.txt"]["outcome"] == "duplicate"
    assert rows["new.txt"]["article"] == new
    assert rows["empty.txt"]["outcome"] == "refused"
    assert "empty" in rows["empty.txt"]["message"]


def test_bulk_upload_needs_files(client, editor):
    client.force_login(editor)
    response = client.post(BULK, {"outlet": ""})
    assert response.status_code == 200
    assert b"This field is required" in response.content


def test_reparse_action_queues_the_articles_again(client, editor):
    parsed = ArticleFactory(status=Article.Status.PARSED)
    client.force_login(editor)
    response = client.post(
        ARTICLES, {"action": "reparse_articles", ACTION_CHECKBOX_NAME: [parsed.pk]}, follow=True
    )
    parsed.refresh_from_db()
    assert parsed.status == Article.Status.QUEUED
    assert any("1 article(s) queued" in m for m in messages_of(response))


def test_retry_failed_action_queues_only_failed_articles(client, editor):
    failed = ArticleFactory(status=Article.Status.FAILED, error="boom")
    parsed = ArticleFactory(status=Article.Status.PARSED)
    client.force_login(editor)
    client.post(
        ARTICLES,
        {"action": "retry_failed_articles", ACTION_CHECKBOX_NAME: [failed.pk, parsed.pk]},
    )
    failed.refresh_from_db()
    parsed.refresh_from_db()
    assert (failed.status, failed.error) == (Article.Status.QUEUED, "")
    assert parsed.status == Article.Status.PARSED


def test_retry_button_on_the_article_page(client, editor):
    failed = ArticleFactory(status=Article.Status.FAILED, error="boom")
    client.force_login(editor)
    response = client.post(reverse("admin:claims_article_reparse", args=[failed.pk]))
    assert response["Location"] == reverse("admin:claims_article_change", args=[failed.pk])
    failed.refresh_from_db()
    assert failed.status == Article.Status.QUEUED


def test_viewer_cannot_reparse(client, viewer):
    article = ArticleFactory(status=Article.Status.PARSED)
    client.force_login(viewer)
    client.post(ARTICLES, {"action": "reparse_articles", ACTION_CHECKBOX_NAME: [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.PARSED


def test_uploaded_text_is_parsed_into_drafts_shown_on_the_article_page(
    client, editor, django_capture_on_commit_callbacks
):
    # Without REDIS_URL Celery runs the parse in-process once the upload commits.
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(UPLOAD, upload_fields(text=TEXT, published="2024-06-03"))
    article = Article.objects.get()
    assert article.status == Article.Status.PARSED, article.error
    claim = article.claims.get()
    assert claim.status == "draft"
    assert article.body[claim.start_offset : claim.end_offset] == "2,000"

    page = client.get(response["Location"]).content.decode()
    assert b'http-equiv="refresh"' not in page.encode()
    claim_url = reverse("admin:claims_claim_change", args=[claim.pk])
    assert f'<a class="figure figure-draft" href="{claim_url}"' in page
