"""Every file of the bad-input corpus (tests/data/bad/) through the three ways in: the admin
upload, the API and `manage.py ingest_articles`. Each one is refused at once with a message
naming the file and what is wrong with it (what the upload request can tell cheaply), or
becomes an article that keeps the original upload, which the worker then parses or marks
failed with such a message (what only reading the file tells). Never a 500, never an article
left waiting."""

import mimetypes
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from claims.models import Article
from tests.data.bad.make_corpus import generate

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
FILES = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".py")
ADMIN_UPLOAD = reverse("admin:claims_article_upload")
API_UPLOAD = "/api/v1/articles/"

# What each refused file is told at upload; the others become articles.
REFUSED = {
    "empty.txt": "The file is empty.",
    "whitespace_only.txt": "The file holds only white space.",
    "newlines_only.html": "The file holds only white space.",
    "image.png": "The file is a PNG image, not text or HTML.",
    "image_named_as_text.txt": "The file is a PNG image, not text or HTML.",
    "document.pdf": "The file is a PDF document, not text or HTML.",
    "archive.zip": "The file is a ZIP archive",
    "word_document.docx": "The file is a ZIP archive (or a Word/Excel file)",
    "compressed.txt.gz": "The file is a gzip archive, not text or HTML.",
    "photo.jpg": "The file is a JPEG image, not text or HTML.",
    "animation.gif": "The file is a GIF image, not text or HTML.",
    "old_office.doc": "The file is an old Microsoft Office file, not text or HTML.",
}
# What the worker writes on the article of each file it cannot read; every other file of the
# corpus must become a parsed article.
UNREADABLE = {
    "nul_bytes.txt": "The file contains NUL bytes",
    "utf16_bom_but_odd_length.txt": "The file starts as utf-16 but is not",
    "html_comment_only.html": "The HTML page has no readable article text.",
    # Generated at test time (make_corpus.py).
    "deeply_nested.html": "The HTML page has no readable article text.",
    "random_binary.txt": "The file is not text in any encoding we recognise.",
}


def test_the_corpus_has_at_least_forty_files_and_every_outcome():
    assert len(FILES) >= 40
    names = {p.name for p in FILES}
    assert names & REFUSED.keys() and names & UNREADABLE.keys()
    assert names - REFUSED.keys() - UNREADABLE.keys()


def upload_of(path: Path) -> SimpleUploadedFile:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


def assert_parsed_and_kept(path: Path) -> None:
    article = Article.objects.get()
    assert article.status == Article.Status.PARSED, (article.status, article.error)
    assert bytes(article.original_content) == path.read_bytes()
    assert article.original_filename == path.name


def assert_failed_with_the_reason_and_kept(path: Path) -> None:
    """The worker could not read it: the article says why, as the upload used to, with no
    text, and keeps the bytes to be read again."""
    article = Article.objects.get()
    assert article.status == Article.Status.FAILED, (article.status, article.error)
    assert article.error.startswith(f"{path.name}: {UNREADABLE[path.name]}"), article.error
    assert article.body == "" and not article.claims.exists()
    assert bytes(article.original_content) == path.read_bytes()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_admin_upload_refuses_with_the_reason_or_parses(
    path, client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADMIN_UPLOAD, {"file": upload_of(path)})

    if path.name in REFUSED:
        assert response.status_code == 200
        errors = response.context["form"].non_field_errors()
        assert errors == [f"{path.name}: {REFUSED[path.name]}"] or (
            REFUSED[path.name] in errors[0] and path.name in errors[0]
        )
        assert not Article.objects.exists()
    elif path.name in UNREADABLE:
        assert response.status_code == 302, response.context["form"].errors
        assert_failed_with_the_reason_and_kept(path)
    else:
        assert response.status_code == 302, response.context["form"].errors
        assert_parsed_and_kept(path)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_api_upload_refuses_with_the_reason_or_parses(
    path, token_client, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(editor).post(
            API_UPLOAD, {"file": upload_of(path)}, format="multipart"
        )

    if path.name in REFUSED:
        assert response.status_code == 400
        (message,) = response.json()["fields"]["file"]
        assert message.startswith(f"{path.name}: {REFUSED[path.name]}")
        assert not Article.objects.exists()
    else:
        assert response.status_code == 202, response.content
        status = token_client(editor).get(response.json()["status_url"]).json()
        if path.name in UNREADABLE:
            assert_failed_with_the_reason_and_kept(path)
            assert status["status"] == "failed"
            assert status["error"].startswith(f"{path.name}: {UNREADABLE[path.name]}")
        else:
            assert_parsed_and_kept(path)
            assert status["status"] == "parsed"


def ingest(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest_articles", *args, verbosity=2, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_ingest_articles_refuses_with_the_reason_or_parses(
    path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out, err = ingest(str(path))

    if path.name in REFUSED:
        assert f"refused: {path.name}: {REFUSED[path.name]}" in err
        assert out.startswith("0 new, 0 duplicate, 1 failed")
    else:
        # The summary is written before the test's transaction runs the parse.
        assert out.startswith("1 new, 0 duplicate, 0 failed"), out + err
        if path.name in UNREADABLE:
            assert_failed_with_the_reason_and_kept(path)
        else:
            assert_parsed_and_kept(path)


# --- Generated large files ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> dict[str, Path]:
    return {path.name: path for path in generate(tmp_path_factory.mktemp("bad"))}


@pytest.mark.parametrize("name", ["deeply_nested.html", "random_binary.txt"])
@pytest.mark.django_db(transaction=True)
def test_generated_unreadable_files_fail_with_the_reason_everywhere(
    name, big, client, editor, token_client
):
    # In-process tasks, as `make serve` runs them: committed at once, each upload is read and
    # parsed before its request answers, which says how it ended.
    path = big[name]
    expected = f"{name}: {UNREADABLE[name]}"
    client.force_login(editor)
    admin = client.post(ADMIN_UPLOAD, {"file": upload_of(path)}, follow=True)
    assert_failed_with_the_reason_and_kept(path)
    assert f"could not be read: {expected}" in [str(m) for m in admin.context["messages"]][0]
    Article.objects.all().delete()

    api = token_client(editor).post(API_UPLOAD, {"file": upload_of(path)}, format="multipart")
    assert api.status_code == 202 and api.json()["status"] == "failed"
    assert_failed_with_the_reason_and_kept(path)
    Article.objects.all().delete()

    out, err = ingest(str(path))
    assert out.startswith("1 new, 0 duplicate, 1 failed (0 parsed, 0 waiting)"), out
    assert f"failed: article {Article.objects.get().pk} (Article " in err and expected in err
    assert_failed_with_the_reason_and_kept(path)


@pytest.mark.parametrize(
    "name", ["one_line_5mb.txt", "one_word_5mb.txt", "thousands_of_numbers_one_sentence.txt"]
)
def test_long_lines_under_the_limit_are_accepted_and_kept(name, big, token_client, editor):
    # Accepted and queued with the original kept; they are not parsed here because the
    # extractor takes minutes on them (the worker's time limit marks such an article failed).
    path = big[name]
    response = token_client(editor).post(API_UPLOAD, {"file": upload_of(path)}, format="multipart")

    assert response.status_code == 202, response.content
    article = Article.objects.get()
    assert article.status == Article.Status.QUEUED
    assert bytes(article.original_content) == path.read_bytes()


def test_thousands_of_figures_are_parsed_into_drafts(
    big, token_client, editor, django_capture_on_commit_callbacks
):
    path = big["thousands_of_numbers.txt"]
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(editor).post(
            API_UPLOAD, {"file": upload_of(path)}, format="multipart"
        )

    assert response.status_code == 202, response.content
    assert_parsed_and_kept(path)
    assert Article.objects.get().claims.count() > 1000


def test_a_file_over_the_limit_is_refused_everywhere(big, client, editor, token_client):
    path = big["text_20mb.txt"]
    client.force_login(editor)
    admin = client.post(ADMIN_UPLOAD, {"file": upload_of(path)})
    api = token_client(editor).post(API_UPLOAD, {"file": upload_of(path)}, format="multipart")
    _, err = ingest(str(path))

    # The web requests are refused from their Content-Length (RequestBodyLimitMiddleware).
    assert admin.status_code == 413
    assert "an upload may be at most 10,485,760 bytes" in admin.content.decode()
    assert api.status_code == 413 and api.json()["code"] == "request_too_large"
    assert "refused: text_20mb.txt is 20,971,520 bytes; the limit is 10,485,760." in err
    assert not Article.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_whole_corpus_in_one_bulk_upload_is_reported_file_by_file(client, editor):
    # In-process tasks, committed at once: each file is read before the next is saved.
    client.force_login(editor)
    response = client.post(
        reverse("admin:claims_article_bulk_upload"),
        {"files": [upload_of(path) for path in FILES], "outlet": "", "published": ""},
    )

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["results"]}
    assert set(rows) == {path.name for path in FILES}
    for name, row in rows.items():
        if name in REFUSED:
            assert row["outcome"] == "refused" and REFUSED[name] in row["message"], row
        elif name in UNREADABLE:
            assert row["outcome"] == "failed" and UNREADABLE[name] in row["message"], row
            assert row["article"].status == Article.Status.FAILED
        else:
            # Several files carry the same text in other encodings: those are duplicates,
            # known once the worker has read them.
            assert row["outcome"] in ("new", "duplicate"), row
    duplicates = [row for row in rows.values() if row["outcome"] == "duplicate"]
    assert duplicates and all("already has this text" in row["message"] for row in duplicates)
    assert set(Article.objects.values_list("status", flat=True)) == {
        Article.Status.PARSED,
        Article.Status.FAILED,
        Article.Status.DUPLICATE,
    }
    assert "refused, 3 failed." in [str(m) for m in response.context["messages"]][0]
