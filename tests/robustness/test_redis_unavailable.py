"""Redis refused or silent (accepts connections, never answers) under the real redis client:
pages, API reads and uploads still answer, throttles and the public cache work without it
and say so, and an upload is saved queued for the sweep instead of holding its thread."""

import contextlib
import logging
import signal
from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings

from claims.models import Article, Claim
from claimsite.shared_cache import fallback_counts
from ingest.tasks import article_parse_task
from tests.factories import ClaimFactory
from tests.redis_away import SilentServer, refused_url

pytestmark = pytest.mark.django_db

TEXT = "The garrison lost about 340 soldiers in the week, its commander told reporters."
# Long enough never to trip on a slow machine, short enough that a hang fails the test.
HANG_GUARD_SECONDS = 60


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture(params=["refused", "silent"])
def redis_away(request, settings) -> str:
    """The cache pointed at a Redis that refuses, or one that never answers, with the
    options production uses."""
    url = (
        refused_url()
        if request.param == "refused"
        else request.getfixturevalue("silent_server").url
    )
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": django_settings.REDIS_CACHE_OPTIONS,
        }
    }
    return url


@pytest.fixture
def broker_at():
    """broker_at(url): Celery sends tasks to that broker instead of running them in-process."""
    conf = article_parse_task.app.conf
    saved = {name: conf[name] for name in ("broker_url", "task_always_eager")}
    yield lambda url: conf.update(broker_url=url, task_always_eager=False)
    conf.update(saved)


class Hung(Exception):
    pass


@contextlib.contextmanager
def _fails_if_hung():
    """Interrupts the block with Hung when it has not returned after HANG_GUARD_SECONDS."""

    def interrupt(signum, frame):
        raise Hung(f"still waiting after {HANG_GUARD_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, HANG_GUARD_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/claims/", "/api/v1/claims/?format=csv", "/api/v1/battles/", "/api/v1/sources/"],
)
def test_api_reads_answer_without_the_cache_and_say_so(redis_away, api_client, path, caplog):
    ClaimFactory(status=Claim.Status.APPROVED)

    with caplog.at_level(logging.WARNING, logger="claimsite.shared_cache"):
        response = api_client.get(path)
        if response.streaming:  # read to its end: the test client closes it only then
            b"".join(response.streaming_content)

    assert response.status_code == 200
    assert "API requests are not throttled" in caplog.text
    assert fallback_counts()["throttle"] >= 1


def test_pages_answer_without_the_cache(redis_away, client):
    claim = ClaimFactory(status=Claim.Status.APPROVED)

    assert client.get("/").status_code == 200
    assert client.get(f"/battles/{claim.battle.slug}/").status_code == 200
    assert client.get(f"/claims/{claim.pk}/").status_code == 200
    assert fallback_counts()["public cache"] >= 1


def test_a_silent_cache_is_waited_for_once_not_on_every_call(silent_server, settings, api_client):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": silent_server.url,
            "OPTIONS": django_settings.REDIS_CACHE_OPTIONS,
        }
    }
    ClaimFactory(status=Claim.Status.APPROVED)

    answers = [api_client.get("/api/v1/claims/").status_code for _ in range(5)]

    assert answers == [200] * 5
    # One connection timed out; every later call of the pause went without the cache.
    assert len(silent_server.accepted) == 1


def test_api_upload_is_saved_queued_when_cache_and_broker_are_away(
    redis_away, broker_at, token_client, editor, django_capture_on_commit_callbacks
):
    broker_at(redis_away)
    client = token_client(editor)

    with _fails_if_hung(), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/articles/", {"text": TEXT})

    assert response.status_code == 202, response.content
    article = Article.objects.get()
    assert article.status == Article.Status.QUEUED  # the sweep enqueues it later


def test_anonymous_requests_do_not_count_against_the_users_rate(settings, api_client):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/minute", "user": "2/minute"},
    }

    answers = [api_client.get("/api/v1/battles/").status_code for _ in range(4)]

    assert answers == [200] * 4
