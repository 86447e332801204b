import pytest
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded

from claims.models import Article
from ingest.tasks import article_parse_task
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_parse_killed_at_the_hard_time_limit_marks_the_article_failed_with_the_reason():
    article = ArticleFactory(status=Article.Status.PARSING)

    article_parse_task.on_failure(TimeLimitExceeded(360), "task-id", (article.pk,), {}, None)

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error.startswith(
        "Parsing took longer than 360 seconds and its worker process was killed"
    )


def test_any_other_failure_marks_the_article_failed_with_the_error():
    article = ArticleFactory(status=Article.Status.PARSING)

    article_parse_task.on_failure(
        ValueError("bad figure"), "task-id", (), {"article_id": article.pk}, None
    )

    article.refresh_from_db()
    assert (article.status, article.error) == (Article.Status.FAILED, "ValueError: bad figure")


def test_the_soft_time_limit_outside_the_extractor_is_recorded_in_words(
    monkeypatch, django_capture_on_commit_callbacks
):
    from ingest import services

    def out_of_time(**kwargs):
        raise SoftTimeLimitExceeded()

    # Struck while the claims are saved, after the extractor returned.
    monkeypatch.setattr(services, "_claims_replace_drafts", out_of_time)
    article = ArticleFactory(status=Article.Status.QUEUED)

    article_parse_task.apply((article.pk,))

    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error == (
        "Parsing took longer than 300 seconds and was stopped: the text may be too long or "
        "have very long lines."
    )
