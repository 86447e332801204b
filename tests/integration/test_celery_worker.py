"""The real path: ingest_articles enqueues through Redis, a Celery worker process parses,
the draft claims land in PostgreSQL."""

import shutil
import sys
import time
from pathlib import Path

import pytest

from claims.models import Article, Claim
from tests.integration.conftest import manage
from tests.needs import shared_path
from tests.redis_away import SilentServer, refused_url

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


def test_worker_parses_articles_submitted_through_redis(service_env, worker, tmp_path):
    assert shutil.which("celery", path=str(Path(sys.executable).parent))
    assert manage(service_env, "load_reference").returncode == 0

    result = manage(service_env, "ingest_articles", str(shared_path("seeds", "articles")), "--wait")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 new, 0 duplicate, 0 failed (5 parsed, 0 waiting)" in result.stdout
    assert Article.objects.filter(status=Article.Status.PARSED).count() == 5
    for article in Article.objects.all():
        assert article.claims.filter(status=Claim.Status.DRAFT).exists(), article.title
    # The worker, not this process, did the parsing: each article took one attempt.
    assert set(Article.objects.values_list("attempts", flat=True)) == {1}


def test_worker_reads_html_uploads_and_fails_an_unreadable_one_with_the_reason(
    service_env, worker, tmp_path
):
    page = (
        "<html><head><title>Front line</title></head><body><article><p>About 1,200 Ukrainian "
        "soldiers were wounded, officials said on Friday.</p></article></body></html>"
    )
    (tmp_path / "report.html").write_text(page)
    (tmp_path / "no_text.html").write_text("<html><body><!-- nothing --></body></html>")

    result = manage(service_env, "ingest_articles", str(tmp_path), "--wait")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 new, 0 duplicate, 1 failed (1 parsed, 0 waiting)" in result.stdout
    assert "no_text.html: The HTML page has no readable article text." in result.stderr
    parsed = Article.objects.get(status=Article.Status.PARSED)
    assert parsed.title == "Front line" and parsed.claims.get().figure_low == 1200
    failed = Article.objects.get(status=Article.Status.FAILED)
    assert (
        failed.body == ""
        and bytes(failed.original_content) == (tmp_path / "no_text.html").read_bytes()
    )


@pytest.mark.parametrize("away", ["refused", "silent"])
def test_upload_with_redis_down_stays_queued_and_the_sweep_recovers_it(
    service_env, worker, tmp_path, away
):
    article = tmp_path / "report.txt"
    article.write_text("About 1,200 Ukrainian soldiers were wounded, officials said on Friday.")
    # Nothing listens there, or a listener that accepts and never answers.
    silent = SilentServer() if away == "silent" else None
    down_env = {**service_env, "REDIS_URL": silent.url if silent else refused_url()}

    started = time.monotonic()
    result = manage(down_env, "ingest_articles", str(article), timeout=60)

    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 30, "a broker that is down must not hang the upload"
    assert "1 new" in result.stdout
    assert Article.objects.get().status == Article.Status.QUEUED
    if silent:
        silent.close()

    swept = manage(service_env, "sweep_articles", "--older-than", "0")
    assert swept.returncode == 0, swept.stderr
    assert "1 articles enqueued" in swept.stdout
    deadline = time.monotonic() + 60
    while Article.objects.get().status != Article.Status.PARSED and time.monotonic() < deadline:
        time.sleep(0.5)
    parsed = Article.objects.get()
    assert parsed.status == Article.Status.PARSED
    assert parsed.claims.get().figure_low == 1200
