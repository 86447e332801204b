from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ingest.services import article_sweep


class Command(BaseCommand):
    help = (
        "Enqueue articles left queued (broker down at upload) or stuck parsing (worker died). "
        "Run it from cron, or let celery beat run ingest.article_sweep."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, default=5, help="Minutes (default 5).")

    def handle(self, *args: Any, older_than: int, **options: Any) -> None:
        count = article_sweep(older_than=timedelta(minutes=older_than))
        self.stdout.write(f"{count} articles enqueued.")
