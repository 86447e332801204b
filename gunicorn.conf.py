"""gunicorn's settings, read from the working directory (the Dockerfile, docker-compose.yml
and the benchmarks start gunicorn there). Flags on the command line override them."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# gthread, not the sync worker: a sync worker serves one connection at a time, so a hundred
# clients that connect and then pause hold every worker (unless a buffering proxy sits in
# front). gthread parks kept-alive connections in a poller; a fresh connection still holds a
# thread until its first request arrives (up to 5 s), hence many threads.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 25))
# Those threads share a few database connections per process: set before the app is loaded,
# so the settings of the web workers (and only theirs: Celery never reads this file) see it.
os.environ.setdefault("DATABASE_POOL_SIZE", "8")
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# A one-million-row CSV export streams for longer than gunicorn's default 30 s.
timeout = 300


def post_worker_init(worker):
    """Once the app is loaded: import every view now (not at the first request), then move
    all those long-lived objects out of the garbage collector's sight. Its full collections
    walked them on each pass, and paused requests that build many objects (an uncached list
    or summary) for tens of milliseconds: p99 106 -> 47 ms for the uncached claims list."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the attribute imports the URLconf)
    gc.freeze()
