"""claimsite's Celery app, for the hard time limit test: on an article whose text starts with
STUCK_MARKER the extractor never returns and ignores the soft time limit, as code stuck in C (a
long regular-expression match) would; only the hard limit, which kills the process, stops it.
Run as `celery -A tests.integration.stuck_parse_app worker`; nothing in the project imports it."""

import contextlib
import time

from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init

from claimsite.celery import app

__all__ = ["STUCK_MARKER", "app"]

STUCK_MARKER = "[stuck parse]"


@worker_init.connect
def _extractor_stuck_on_marked_articles(**kwargs) -> None:
    # In the worker's main process, before the pool forks its children (they inherit this).
    import django

    django.setup()
    from ingest import services

    extract_article = services.extract_article

    def extract_or_get_stuck(text: str, **options):
        if not text.startswith(STUCK_MARKER):
            return extract_article(text, **options)
        while True:
            with contextlib.suppress(SoftTimeLimitExceeded):
                time.sleep(3600)

    services.extract_article = extract_or_get_stuck
