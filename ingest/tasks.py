"""Celery tasks: thin wrappers that load by id and call the service of the same name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from django.db import InterfaceError, OperationalError

from ingest.services import (
    article_mark_failed,
    article_parse,
    article_sweep,
    parse_time_limit_error,
)

if TYPE_CHECKING:
    from billiard.einfo import ExceptionInfo

# Only errors that another try can fix are retried: the database restarting or unreachable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


# The arguments are article_parse_task's: (article_id: int, force: bool = False). A parameter
# list here, [int, bool], would make both positional-only and refuse delay(..., force=True).
class ArticleParseTask(Task[..., str]):
    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: ExceptionInfo,
    ) -> None:
        # Retries are used up, the error was not transient, or the parse ran past the hard time
        # limit and its process was killed: show it in the admin. For the hard limit the
        # worker's main process calls this (Celery 5.7, celery/celery#10226) and acknowledges
        # the message, so it is not delivered again.
        article_id = args[0] if args else kwargs["article_id"]
        if isinstance(exc, TimeLimitExceeded):
            error = parse_time_limit_error(seconds=exc.args[0] if exc.args else None, killed=True)
        elif isinstance(exc, SoftTimeLimitExceeded):
            # The soft limit struck outside the extractor (reading the reference data, saving
            # the claims), where article_parse does not catch it.
            error = parse_time_limit_error()
        else:
            error = f"{type(exc).__name__}: {exc}"
        article_mark_failed(article_id=article_id, error=error)


@shared_task(
    base=ArticleParseTask,
    name="ingest.article_parse",
    # Safe to acknowledge late: article_parse locks the row and replaces its own drafts, so a
    # task delivered again after a worker died ends with the same claims, once.
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=4,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
)
def article_parse_task(article_id: int, force: bool = False) -> str:
    article = article_parse(article_id=article_id, force=force)
    return article.status


@shared_task(name="ingest.article_sweep")
def article_sweep_task() -> int:
    return article_sweep()
