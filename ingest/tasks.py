"""Celery tasks: thin wrappers that load by id and call the service of the same name."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from ingest.services import article_mark_failed, article_parse, article_sweep

# Only errors that another try can fix are retried: the database restarting or unreachable.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class ArticleParseTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Retries are used up (or the error was not transient): show it in the admin.
        article_id = args[0] if args else kwargs["article_id"]
        article_mark_failed(article_id=article_id, error=f"{type(exc).__name__}: {exc}")


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
