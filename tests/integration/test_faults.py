"""Faults with the real services: a worker killed mid-parse, PostgreSQL restarted under load."""

import random
import time

import pytest
from django.db.models import Count

from claims.models import Article, Claim
from tests.integration.conftest import manage

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Short, so the killed worker's task comes back within the test; production keeps an hour.
VISIBILITY_TIMEOUT = "5"


def wait_for(predicate, *, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def long_article(lines: int = 1500) -> str:
    # Thousands of figures: several seconds of parsing, long enough to be killed in the middle.
    rng = random.Random(3)
    return "".join(
        f"Officials said {rng.randint(1, 99_999):,} soldiers were killed and "
        f"{rng.randint(1, 999)} to {rng.randint(1_000, 9_999)} wounded.\n"
        for _ in range(lines)
    )


def test_a_worker_killed_mid_parse_has_its_task_delivered_again_and_parsed_once(
    service_env, start_worker, tmp_path
):
    env = {**service_env, "CELERY_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT}
    path = tmp_path / "long.txt"
    path.write_text(long_article())
    first = start_worker("doomed", CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT)

    result = manage(env, "ingest_articles", str(path))
    assert result.returncode == 0, result.stderr
    article = Article.objects.get()
    parsing = wait_for(
        lambda: Article.objects.filter(pk=article.pk, status=Article.Status.PARSING).exists(),
        timeout=60,
    )
    assert parsing, (first.log_path.read_text(), Article.objects.get().status)
    first.kill()

    article.refresh_from_db()
    assert article.status == Article.Status.PARSING and article.attempts == 1
    assert not article.claims.exists()

    start_worker("rescuer", CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT)
    parsed = wait_for(
        lambda: Article.objects.filter(pk=article.pk, status=Article.Status.PARSED).exists(),
        timeout=60,
        step=0.5,
    )
    article.refresh_from_db()
    assert parsed, (article.status, article.error)
    # Delivered again (a second attempt), and its drafts written once.
    assert article.attempts == 2
    drafts = article.claims.filter(status=Claim.Status.DRAFT)
    assert drafts.count() > 500
    duplicates = (
        drafts.values("start_offset", "category").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    assert duplicates == 0
