"""The parse time limits on a real worker. Only the prefork pool enforces them (the solo pool of
the other tests does not), so these workers run it with one child. Settings bring the limits
down to seconds (time_limit_settings.py), for the worker and for the process that enqueues:
Celery writes the limits into each message from the sender's settings, and they win over the
worker's own."""

import pytest

from claims.models import Article, Claim
from tests.integration.conftest import long_article, manage, wait_for
from tests.integration.stuck_parse_app import STUCK_MARKER

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

LIMITS = {"DJANGO_SETTINGS_MODULE": "tests.integration.time_limit_settings"}
SHORT_ARTICLE = "About 1,200 Ukrainian soldiers were wounded, officials said on Friday."


def submit(env: dict, path) -> Article:
    result = manage({**env, **LIMITS}, "ingest_articles", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    return Article.objects.latest("pk")


def wait_until_done(article: Article, worker) -> Article:
    """The article once it has left queued and parsing, or as it is after a minute."""
    wait_for(
        lambda: Article.objects.filter(
            pk=article.pk, status__in=[Article.Status.PARSED, Article.Status.FAILED]
        ).exists(),
        timeout=60,
        step=0.2,
    )
    article.refresh_from_db()
    assert article.status != Article.Status.PARSING, worker.log_path.read_text()[-5000:]
    return article


def test_a_parse_past_the_soft_limit_fails_the_article_and_the_worker_parses_the_next(
    service_env, start_worker, tmp_path
):
    worker = start_worker("soft-limit", pool="prefork", **LIMITS)
    # About ten seconds of real extraction on a quiet machine: well past the 2 s soft limit.
    slow = tmp_path / "slow.txt"
    slow.write_text(long_article(20_000))
    short = tmp_path / "short.txt"
    short.write_text(SHORT_ARTICLE)

    article = wait_until_done(submit(service_env, slow), worker)

    assert article.status == Article.Status.FAILED
    assert article.error.startswith("Parsing took longer than 2 seconds and was stopped"), (
        article.error
    )
    assert article.attempts == 1
    assert not article.claims.exists()

    following = wait_until_done(submit(service_env, short), worker)
    assert following.status == Article.Status.PARSED, following.error
    assert following.claims.get().figure_low == 1200
    assert worker.process.poll() is None, "the worker died"


def test_a_parse_deaf_to_the_soft_limit_is_killed_at_the_hard_limit_and_the_article_fails(
    service_env, start_worker, tmp_path
):
    worker = start_worker(
        "hard-limit", app="tests.integration.stuck_parse_app", pool="prefork", **LIMITS
    )
    stuck = tmp_path / "stuck.txt"
    stuck.write_text(f"{STUCK_MARKER}\n{SHORT_ARTICLE}")
    short = tmp_path / "short.txt"
    short.write_text(SHORT_ARTICLE.replace("1,200", "1,300"))

    article = wait_until_done(submit(service_env, stuck), worker)

    assert article.status == Article.Status.FAILED
    assert article.error.startswith(
        "Parsing took longer than 4 seconds and its worker process was killed"
    ), article.error
    log = worker.log_path.read_text()
    assert "Hard time limit (4" in log, log[-5000:]

    # A new pool child parses the next article; the killed parse is not delivered again.
    following = wait_until_done(submit(service_env, short), worker)
    assert following.status == Article.Status.PARSED, following.error
    assert following.claims.filter(status=Claim.Status.DRAFT).get().figure_low == 1300
    assert worker.process.poll() is None, "the worker died"
    article.refresh_from_db()
    assert (article.status, article.attempts) == (Article.Status.FAILED, 1)
