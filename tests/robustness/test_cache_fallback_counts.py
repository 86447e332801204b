"""Calls answered without the shared cache are counted in the database, so that the counts of
every web and worker process add up and can be read in one place (`manage.py
cache_fallbacks`), not only inside each process."""

import os
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from claims.models import CacheFallbackCount
from claimsite import shared_cache
from claimsite.shared_cache import cache_call, fallback_counts, fallback_counts_save
from tests.redis_away import refused_url

# Transactions committed for real: the counts are saved only outside a transaction, and other
# connections and processes must see them.
pytestmark = pytest.mark.django_db(transaction=True)
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_refused(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": refused_url(),
        }
    }


def _saved() -> dict[str, int]:
    return dict(CacheFallbackCount.objects.values_list("purpose", "count"))


def test_fallbacks_of_a_request_are_saved_and_shown_by_the_command(
    cache_refused, client, monkeypatch
):
    monkeypatch.setattr(shared_cache, "SAVE_EVERY_SECONDS", 0)  # due at once

    client.get("/api/v1/battles/")

    counted = fallback_counts()
    assert counted["throttle"] >= 1 and counted["public cache"] >= 1
    assert _saved() == counted
    output = StringIO()
    call_command("cache_fallbacks", stdout=output)
    lines = {line.split()[0]: line.split() for line in output.getvalue().splitlines()}
    assert lines["throttle"][1] == str(counted["throttle"])


def test_the_command_says_when_no_call_went_without_the_cache():
    output = StringIO()
    call_command("cache_fallbacks", stdout=output)
    assert output.getvalue() == "No call has gone without the shared cache.\n"


def test_fallbacks_are_saved_at_most_every_few_seconds_then_all_of_them(cache_refused):
    for _ in range(5):
        cache_call("get", "key", purpose="throttle")

    assert _saved() == {"throttle": 1}  # the first; the other four wait until due
    fallback_counts_save()
    assert _saved() == {"throttle": 5}


def test_fallbacks_inside_a_transaction_are_saved_after_it(cache_refused):
    from django.db import transaction

    with transaction.atomic():
        cache_call("get", "key", purpose="public cache")
        assert not CacheFallbackCount.objects.exists()

    fallback_counts_save()
    assert _saved() == {"public cache": 1}


# Two writers at once: on SQLite the second waits on a file lock, and on a loaded machine
# that wait can outlast the lock timeout, so the case is PostgreSQL's, as in production.
@pytest.mark.postgresql
def test_counts_from_two_connections_add_up(cache_refused):
    barrier = threading.Barrier(2)

    def add(count: int) -> None:
        from claims.services import cache_fallbacks_add

        try:
            barrier.wait()
            cache_fallbacks_add(counts={"throttle": count, "public cache": 1})
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=add, args=(count,)) for count in (3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert _saved() == {"throttle": 7, "public cache": 2}


@pytest.mark.postgresql
def test_counts_of_two_processes_add_up_and_survive_them():
    """Two processes, each with a cache that refuses, count five fallbacks and exit; the
    database holds ten."""
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    script = (
        "from claimsite.shared_cache import cache_call, fallback_counts_save\n"
        "for _ in range(5): cache_call('get', 'key', purpose='throttle')\n"
        "fallback_counts_save()\n"
    )
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": refused_url(),
        "DJANGO_SETTINGS_MODULE": "claimsite.settings.test",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=PROJECT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], outputs
    assert _saved() == {"throttle": 10}
